/* eslint-disable @typescript-eslint/no-explicit-any -- Helm values are arbitrary YAML */
import * as fs from 'fs';
import * as path from 'path';
import { parse, parseAllDocuments } from 'yaml';
import { BUILD_ROOT, REPO_ROOT } from '../paths';

/** `vendor/charts/<chart>-<version>/`, written by scripts/vendor-charts.js from the upstream chart. */
export const VENDORED_CHARTS = path.join(REPO_ROOT, 'vendor', 'charts');

export const isObj = (v: unknown): v is Record<string, any> => v !== null && typeof v === 'object' && !Array.isArray(v);

/** Helm's merge: the user's maps merge into the defaults, anything else replaces them; null removes a default. */
export function helmMerge(defaults: any, values: any): any {
  if (!isObj(defaults) || !isObj(values)) return values === undefined ? defaults : values;
  const out: Record<string, any> = { ...defaults };
  for (const [k, v] of Object.entries(values)) out[k] = v === null ? undefined : helmMerge(defaults[k], v);
  return out;
}

export function vendoredChartDir(name: string, version: string): string | undefined {
  const dir = path.join(VENDORED_CHARTS, `${name}-${version}`);
  return fs.existsSync(dir) ? dir : undefined;
}

const defaults = new Map<string, any>();

/** The chart's values.yaml, from the JSON `npm run build` wrote (parsing the YAML costs tenths of a second). */
export function chartDefaults(name: string, version: string): any {
  const id = `${name}-${version}`;
  if (!defaults.has(id)) {
    const dir = vendoredChartDir(name, version);
    const built = path.join(BUILD_ROOT, 'vendor', 'charts', id, 'defaults.json');
    defaults.set(
      id,
      !dir
        ? undefined
        : fs.existsSync(built)
          ? JSON.parse(fs.readFileSync(built, 'utf8'))
          : (parse(fs.readFileSync(path.join(dir, 'values.yaml'), 'utf8')) ?? {}),
    );
  }
  return defaults.get(id);
}

/**
 * The CRDs a vendored chart ships, with the size of each as JSON: what a client-side apply writes into
 * its last-applied-configuration annotation. From the JSON `npm run build` wrote, else read here.
 */
export function chartCrdSizes(name: string, version: string): ReadonlyArray<{ name: string; bytes: number }> {
  const id = `${name}-${version}`;
  if (!crdSizes.has(id)) crdSizes.set(id, readCrdSizes(name, version));
  return crdSizes.get(id)!;
}

const crdSizes = new Map<string, ReadonlyArray<{ name: string; bytes: number }>>();

function readCrdSizes(name: string, version: string): ReadonlyArray<{ name: string; bytes: number }> {
  const dir = vendoredChartDir(name, version);
  if (!dir) return [];
  const built = path.join(BUILD_ROOT, 'vendor', 'charts', `${name}-${version}`, 'crds.json');
  if (fs.existsSync(built)) return JSON.parse(fs.readFileSync(built, 'utf8'));
  const crds = path.join(dir, 'crds');
  if (!fs.existsSync(crds)) return [];
  return fs
    .readdirSync(crds)
    .filter((f) => /\.ya?ml$/.test(f))
    .sort()
    .flatMap((f) => parseAllDocuments(fs.readFileSync(path.join(crds, f), 'utf8')).map((d) => d.toJS()))
    .filter((o) => o?.kind === 'CustomResourceDefinition')
    .map((o) => ({ name: o.metadata.name, bytes: Buffer.byteLength(JSON.stringify(o)) }));
}

/** A condition of a chart template as scripts/vendor-charts.js wrote it. */
type TemplateCondition = boolean | { value: string } | { and: TemplateCondition[] } | { or: TemplateCondition[] } | { not: TemplateCondition };

/** Go templates' truth: false, 0, "", nil and empty collections are false. */
const truthy = (v: unknown): boolean =>
  !(v === undefined || v === null || v === false || v === 0 || v === '' || (typeof v === 'object' && Object.keys(v).length === 0));

function holds(c: TemplateCondition, values: any): boolean {
  if (typeof c === 'boolean') return c;
  if ('value' in c) return truthy(c.value.split('.').reduce((o, k) => (isObj(o) ? o[k] : undefined), values));
  if ('and' in c) return c.and.every((x) => holds(x, values));
  if ('or' in c) return c.or.some((x) => holds(x, values));
  return !holds(c.not, values);
}

/**
 * The Grafana dashboards a vendored chart renders as ConfigMaps with these values (merged into its
 * defaults): each ConfigMap's name after the release's full name, and its data key.
 */
export function chartDashboards(name: string, version: string, values: any): ReadonlyArray<{ suffix: string; key: string }> {
  const dir = vendoredChartDir(name, version);
  const file = dir && path.join(dir, 'dashboards.json');
  if (!file || !fs.existsSync(file)) return [];
  const merged = helmMerge(chartDefaults(name, version), values);
  const { dashboards } = JSON.parse(fs.readFileSync(file, 'utf8')) as { dashboards: Array<{ suffix: string; key: string; when: TemplateCondition }> };
  return dashboards.filter((d) => holds(d.when, merged)).map(({ suffix, key }) => ({ suffix, key }));
}
