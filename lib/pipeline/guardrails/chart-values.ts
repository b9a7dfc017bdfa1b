/* eslint-disable @typescript-eslint/no-explicit-any -- Helm values are arbitrary YAML, checked against each chart's own files */
import Ajv, { ValidateFunction } from 'ajv';
import Ajv2020 from 'ajv/dist/2020';
import * as fs from 'fs';
import * as path from 'path';
import { parse } from 'yaml';
import { K8sObject, objectRef } from '../../core/k8s-objects';
import { BUILD_ROOT } from '../../core/paths';
import { VENDORED_CHARTS, chartDefaults, helmMerge, isObj } from '../../core/charts/vendored';
import { Finding } from './finding';
import { TerraformStackJson } from './policy';

export const CHART_VALUES_RULE = 'CHART-001';
const HINT = 'use a value the pinned chart has (see vendor/charts/<chart>-<version>/values.yaml), or move the setting where the chart reads it';

/**
 * Values a chart passes through whole although neither its values.yaml nor a simple template reference
 * shows it, with the reason; keys below them are the component's own configuration.
 */
const FREE_FORM: Record<string, ReadonlyArray<string>> = {
  // Every key of configs.cm becomes an entry of argocd-cm (merged in the template, not ranged over).
  'argo-cd': ['configs.cm', 'configs.params'],
  // Loki's limits_config is Loki's own configuration block, rendered into its config file.
  loki: ['loki.limits_config', 'loki.storage_config', 'loki.schemaConfig'],
  // The collector's configuration; the chart's values.schema.json validates its shape.
  'opentelemetry-collector': ['config'],
  // The ingress's annotations, rendered whole through a variable (`toYaml $ingress.annotations`, templates/ingress/ingress.yaml).
  harbor: ['expose.ingress.annotations'],
};

/**
 * Map values whose template also takes a string in their place (`kindIs "string"`), with the reason: a
 * map there would put what the string names into the values.
 */
const STRING_OR_MAP: Record<string, ReadonlyArray<string>> = {
  // The name of a Secret created beforehand (from Vault), instead of credentials written into the values.
  'gha-runner-scale-set': ['githubConfigSecret'],
};

interface VendoredChart {
  readonly name: string;
  readonly version: string;
  readonly defaults: any;
  readonly keys: ReadonlySet<string>;
  readonly freeForm: ReadonlyArray<string>;
  readonly schema?: ValidateFunction;
}

const charts = new Map<string, VendoredChart | undefined>();

/** The vendored facts of a pinned chart, or undefined when the pin has none. */
export function vendoredChart(name: string, version: string): VendoredChart | undefined {
  const id = `${name}-${version}`;
  if (!charts.has(id)) {
    const dir = path.join(VENDORED_CHARTS, id);
    if (!fs.existsSync(dir)) charts.set(id, undefined);
    else {
      const keys = JSON.parse(fs.readFileSync(path.join(dir, 'keys.json'), 'utf8')) as { keys: string[]; freeForm: string[]; dependencies: string[] };
      const schemaFile = path.join(dir, 'values.schema.json');
      charts.set(id, {
        name,
        version,
        defaults: chartDefaults(name, version),
        keys: new Set(keys.keys),
        freeForm: [...keys.freeForm, ...keys.dependencies, ...(FREE_FORM[name] ?? [])],
        schema: fs.existsSync(schemaFile) ? (precompiled(id) ?? compile(JSON.parse(fs.readFileSync(schemaFile, 'utf8')))) : undefined,
      });
    }
  }
  return charts.get(id);
}

/** The validator `npm run build` precompiled for a chart's schema (scripts/chart-validators.js), if any. */
function precompiled(id: string): ValidateFunction | undefined {
  const file = path.join(BUILD_ROOT, 'vendor', 'charts', id, 'validator.js');
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- a module generated at build time
  return fs.existsSync(file) ? ((require(file) as { default?: ValidateFunction } & ValidateFunction).default ?? require(file)) : undefined;
}

function compile(schema: any): ValidateFunction {
  const options = { strict: false, allErrors: true, validateSchema: false, validateFormats: false } as const;
  const ajv = String(schema.$schema ?? '').includes('2020-12') ? new Ajv2020(options) : new Ajv(options);
  return ajv.compile(schema);
}

/**
 * Problems of `values` for the chart: keys the chart does not know (in its values.yaml or its
 * templates), values of the wrong shape where values.yaml shows the shape, and violations of the chart's
 * values.schema.json. Below a value whose structure the chart does not show (a map rendered whole, a key
 * known only from a template), anything goes.
 */
export function chartValueProblems(chart: VendoredChart, values: any): Array<{ path: string; message: string }> {
  const out: Array<{ path: string; message: string }> = [];
  const free = (p: string) => chart.freeForm.some((f) => p === f || p.startsWith(`${f}.`));
  const walk = (v: any, d: any, prefix: string) => {
    for (const [k, value] of Object.entries(v)) {
      const p = prefix ? `${prefix}.${k}` : k;
      if (free(p)) continue;
      if (!chart.keys.has(p)) {
        const known = isObj(d) ? Object.keys(d).sort() : [];
        out.push({
          path: p,
          message: `chart ${chart.name} ${chart.version} has no value ${p}${known.length ? ` (${prefix || 'the top level'} has: ${known.join(', ')})` : ''}`,
        });
        continue;
      }
      const def = isObj(d) ? d[k] : undefined;
      // null removes the chart's default (Helm's merge), whatever its shape.
      if (value === null) continue;
      if (!isObj(def) || Object.keys(def).length === 0) {
        if (typeof def === 'boolean' && typeof value !== 'boolean' && !chart.schema)
          out.push({ path: p, message: `chart ${chart.name} ${chart.version} expects true or false at ${p}, found ${JSON.stringify(value)}` });
        continue;
      }
      if (!isObj(value)) {
        if (typeof value === 'string' && (STRING_OR_MAP[chart.name] ?? []).includes(p)) continue;
        if (!chart.schema)
          out.push({ path: p, message: `chart ${chart.name} ${chart.version} expects a map at ${p}, found ${JSON.stringify(value)}` });
        continue;
      }
      walk(value, def, p);
    }
  };
  walk(values ?? {}, chart.defaults, '');
  if (chart.schema && !chart.schema(helmMerge(chart.defaults, values ?? {}))) {
    for (const e of chart.schema.errors ?? []) {
      const p = e.instancePath.split('/').filter(Boolean).join('.');
      out.push({
        path: p,
        message: `chart ${chart.name} ${chart.version} values.schema.json: ${p || 'values'} ${e.message}${e.params && 'allowedValues' in e.params ? ` (${(e.params as any).allowedValues.join(', ')})` : ''}`,
      });
    }
  }
  return out;
}

/** Every Argo CD Application of a chart, and every Helm release of the Terraform stacks, against its pinned chart. */
export function chartValueFindings(env: string, objects: ReadonlyArray<K8sObject>, stacks: ReadonlyArray<TerraformStackJson>): Finding[] {
  const findings: Finding[] = [];
  const check = (target: string, file: string, base: string, chartName: string, version: string, values: any) => {
    const chart = vendoredChart(chartName, version);
    if (!chart) {
      findings.push({
        ruleId: CHART_VALUES_RULE,
        severity: 'error',
        environment: env,
        target,
        path: base,
        message: `chart ${chartName} ${version} is not vendored, so its values cannot be checked`,
        hint: 'vendor the pinned chart: node scripts/vendor-charts.js (README: Vendored charts)',
        file,
      });
      return;
    }
    for (const p of chartValueProblems(chart, values)) {
      findings.push({
        ruleId: CHART_VALUES_RULE,
        severity: 'error',
        environment: env,
        target,
        path: `${base}.${p.path}`,
        message: p.message,
        hint: HINT,
        file,
      });
    }
  };
  for (const o of objects) {
    const src = o.kind === 'Application' ? o.spec?.source : undefined;
    if (src?.chart) check(objectRef(o), o.file, 'spec.source.helm.valuesObject', src.chart, src.targetRevision, src.helm?.valuesObject);
  }
  for (const s of stacks) {
    for (const [id, r] of Object.entries<any>(s.json.resource?.helm_release ?? {})) {
      const values = (r.values ?? []).reduce((acc: any, text: string) => helmMerge(acc, parse(text)), {});
      check(`${s.stackId}:helm_release.${id}`, s.file, 'values', r.chart, r.version, values);
    }
  }
  return findings;
}
