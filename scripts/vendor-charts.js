#!/usr/bin/env node
/**
 * Vendors what Parity reads of each pinned Helm chart into vendor/charts/<chart>-<version>/:
 * Chart.yaml, values.yaml, values.schema.json (where the chart has one), crds/, and keys.json: every
 * values path the chart knows, from its values.yaml (comments excluded) and from the `.Values.x.y`
 * references of its templates (keys a chart documents only in comments, such as tempo's
 * persistence.storageClassName). Subcharts: their keys under their alias, where the subchart is vendored.
 * dashboards.json (charts that render Grafana dashboards as ConfigMaps): each one's name, key and condition.
 * images.json: every image slot of values.yaml (subcharts under their alias), with the convention the
 * chart spells it in, its default, and the appVersion an empty tag falls back to.
 *
 *   node scripts/vendor-charts.js <charts dir, default ../shared/charts> [<chart-dir> <from-dir>]...
 */
const fs = require('fs');
const path = require('path');
const { parse, parseAllDocuments, stringify } = require('yaml');

const ROOT = path.join(__dirname, '..');
const OUT = path.join(ROOT, 'vendor', 'charts');
const isObj = (v) => v !== null && typeof v === 'object' && !Array.isArray(v);

function valuePaths(values, prefix = '', out = new Set()) {
  for (const [k, v] of Object.entries(values ?? {})) {
    const p = prefix ? `${prefix}.${k}` : k;
    out.add(p);
    if (isObj(v)) valuePaths(v, p, out);
  }
  return out;
}

/** The text of every template file under `dir`. */
function templateTexts(dir, out = []) {
  if (!fs.existsSync(dir)) return out;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) templateTexts(full, out);
    else out.push(fs.readFileSync(full, 'utf8'));
  }
  return out;
}

const VALUES_PATH = '\\$?\\.Values((?:\\.[A-Za-z_][A-Za-z0-9_-]*)+)';
const matches = (dir, patterns) =>
  new Set(templateTexts(dir).flatMap((text) => patterns.flatMap((re) => [...text.matchAll(new RegExp(re, 'g'))].map((m) => m[1].slice(1)))));

/** Values paths the templates read. */
const templatePaths = (dir) => matches(dir, [VALUES_PATH]);

/**
 * Paths a template renders whole (toYaml, range over a map, or `with .Values.x` whose body renders
 * `toYaml .`): any key below them is the chart's to accept.
 */
const freeFormPaths = (dir) => {
  const out = matches(dir, [
    `(?:toYaml|toJson|toPrettyJson)\\s+\\(?\\s*${VALUES_PATH}`,
    `range\\s+\\$\\w+\\s*,\\s*\\$\\w+\\s*:=\\s*\\(?\\s*${VALUES_PATH}`,
  ]);
  const withBlock = new RegExp(`\\{\\{-?\\s*with\\s+${VALUES_PATH}\\s*-?\\}\\}([\\s\\S]*?)\\{\\{-?\\s*end`, 'g');
  for (const text of templateTexts(dir))
    for (const m of text.matchAll(withBlock)) if (/(?:toYaml|toJson)\s+\.\s*[|}]/.test(m[2])) out.add(m[1].slice(1));
  return out;
};

const scalars = (o) => Object.fromEntries(Object.entries(o).filter(([, v]) => v === null || typeof v !== 'object'));
const IMAGE_STRING = /^[a-z0-9.-]+(:[0-9]+)?(\/[a-z0-9._-]+)+(:[\w.-]+)?(@sha256:[a-f0-9]{64})?$/;

/**
 * The image slots of a values tree, by the convention each chart family spells them in:
 * repository[+tag][+digest] (most charts), registry+repository (kube-prometheus-stack, loki, grafana),
 * registry+image (ingress-nginx), repository+image+version (gpu-operator), name+tag (reloader),
 * imageName+imageTag (redis-operator), or a plain
 * reference string.
 */
function imageSlots(values, appVersion, prefix = '', out = []) {
  for (const [k, v] of Object.entries(values ?? {})) {
    const p = prefix ? `${prefix}.${k}` : k;
    if (typeof v === 'string' && /image$/i.test(k) && IMAGE_STRING.test(v) && v.includes(':')) {
      out.push({ path: p, scheme: 'string', default: v, appVersion });
      continue;
    }
    if (!isObj(v)) continue;
    let scheme;
    if (typeof v.image === 'string' && typeof v.repository === 'string') scheme = 'repository-image-version';
    else if (typeof v.image === 'string' && 'registry' in v) scheme = 'registry-image';
    else if (typeof v.repository === 'string' && 'registry' in v) scheme = 'registry-repository';
    else if (typeof v.repository === 'string') scheme = 'repository';
    // name+tag (stakater's reloader: the full reference in `name`, `base` only under global.imageRegistry).
    else if (typeof v.name === 'string' && 'tag' in v && IMAGE_STRING.test(`${v.name}:x`)) scheme = 'name-tag';
    // imageName+imageTag (OT-CONTAINER-KIT's redis-operator: the repository in `imageName`).
    else if (typeof v.imageName === 'string' && 'imageTag' in v && IMAGE_STRING.test(`${v.imageName}:x`)) scheme = 'imagename-imagetag';
    if (scheme) out.push({ path: p, scheme, default: scalars(v), appVersion });
    imageSlots(v, appVersion, p, out);
  }
  return out;
}

/**
 * CRDs a chart ships as templates (argo-cd, cloudnative-pg) or in its `crds` subchart
 * (kube-prometheus-stack): the template lines (`{{ ... }}`: the install switch and extra labels) are
 * dropped, and every CustomResourceDefinition left is written as `<group>_<plural>.yaml`, the name the
 * loose copies in ../shared/crds use.
 */
function templatedCrds(from) {
  const dirs = ['templates/crds', 'charts/crds/crds'].map((d) => path.join(from, d)).filter((d) => fs.existsSync(d));
  const out = [];
  for (const dir of dirs)
    for (const f of fs
      .readdirSync(dir)
      .filter((x) => x.endsWith('.yaml'))
      .sort()) {
      const text = fs
        .readFileSync(path.join(dir, f), 'utf8')
        .split('\n')
        .filter((l) => !l.includes('{{'))
        .join('\n');
      for (const doc of parseAllDocuments(text)) {
        const crd = doc.toJS();
        if (crd?.kind !== 'CustomResourceDefinition') continue;
        out.push([`${crd.spec.group}_${crd.spec.names.plural}.yaml`, stringify(crd)]);
      }
    }
  return out;
}

/**
 * A Go-template condition (`and (or .Values.a .Values.b) .Values.c`) as a tree of
 * `{ and: [...] }`, `{ or: [...] }`, `{ not: x }` and `{ value: "a.b" }`. `semverCompare` against the
 * target Kubernetes version becomes `true`: the dashboards' ranges (>= 1.14, < 9.9.9) hold on every
 * cluster Parity supports.
 */
function parseCondition(text) {
  const tokens = text.match(/\(|\)|"[^"]*"|[^\s()]+/g);
  let i = 0;
  const term = () => {
    if (tokens[i] === '(') {
      i++;
      const inner = call();
      i++; // ')'
      return inner;
    }
    const t = tokens[i++];
    if (t.startsWith('.Values.')) return { value: t.slice('.Values.'.length) };
    throw new Error(`unknown condition term ${t} in: ${text}`);
  };
  const call = () => {
    const fn = tokens[i];
    if (fn === 'and' || fn === 'or' || fn === 'not') {
      i++;
      const args = [];
      while (i < tokens.length && tokens[i] !== ')') args.push(term());
      return fn === 'not' ? { not: args[0] } : { [fn]: args };
    }
    if (fn === 'semverCompare') {
      while (i < tokens.length && tokens[i] !== ')') i++;
      return true;
    }
    return term();
  };
  return call();
}

/**
 * The dashboards a chart renders as ConfigMaps for Grafana (kube-prometheus-stack's
 * templates/grafana/dashboards-1.14): each ConfigMap's name after the release's full name, its data key,
 * and the condition under which the chart renders it, so an operator-run Grafana can load exactly the
 * ConfigMaps that exist.
 */
function grafanaDashboards(from) {
  const dir = path.join(from, 'templates', 'grafana', 'dashboards-1.14');
  if (!fs.existsSync(dir)) return undefined;
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.yaml'))
    .sort()
    .map((f) => {
      const text = fs.readFileSync(path.join(dir, f), 'utf8');
      const condition = text.match(/^\{\{- if (.*) \}\}$/m)[1];
      const suffix = text.match(/name: \{\{ printf "%s-%s" \(include "[^"]+" \$\) "([^"]+)"/)[1];
      const key = text.match(/^ {2}([A-Za-z0-9_.-]+\.json):/m)[1];
      return { suffix, key, when: parseCondition(condition) };
    });
}

function vendor(name, from, subcharts = {}) {
  const to = path.join(OUT, name);
  fs.rmSync(to, { recursive: true, force: true });
  fs.mkdirSync(to, { recursive: true });
  const chartFile = ['Chart.yaml', 'Chart.template.yaml'].find((f) => fs.existsSync(path.join(from, f)));
  fs.copyFileSync(path.join(from, chartFile), path.join(to, 'Chart.yaml'));
  fs.copyFileSync(path.join(from, 'values.yaml'), path.join(to, 'values.yaml'));
  if (fs.existsSync(path.join(from, 'values.schema.json')))
    fs.copyFileSync(path.join(from, 'values.schema.json'), path.join(to, 'values.schema.json'));
  if (fs.existsSync(path.join(from, 'crds'))) fs.cpSync(path.join(from, 'crds'), path.join(to, 'crds'), { recursive: true, dereference: true });
  // One file holding several CRDs (redis-operator's crds.yaml) becomes one <group>_<plural>.yaml per CRD,
  // the names import-crds.sh and the guardrails read.
  for (const f of fs.existsSync(path.join(to, 'crds')) ? fs.readdirSync(path.join(to, 'crds')).filter((x) => x.endsWith('.yaml')) : []) {
    const docs = parseAllDocuments(fs.readFileSync(path.join(to, 'crds', f), 'utf8'))
      .map((d) => d.toJS())
      .filter((c) => c?.kind === 'CustomResourceDefinition');
    if (docs.length < 2) continue;
    fs.rmSync(path.join(to, 'crds', f));
    for (const crd of docs) fs.writeFileSync(path.join(to, 'crds', `${crd.spec.group}_${crd.spec.names.plural}.yaml`), stringify(crd));
  }
  for (const [file, crd] of templatedCrds(from)) {
    fs.mkdirSync(path.join(to, 'crds'), { recursive: true });
    fs.writeFileSync(path.join(to, 'crds', file), crd);
  }
  // CRDs a chart renders from templates the copy here lacks, taken from the upstream repository at the
  // chart's tag (provenance in the README's vendored-charts table).
  const extra = path.join(ROOT, 'vendor', 'chart-crds', name);
  if (fs.existsSync(extra)) fs.cpSync(extra, path.join(to, 'crds'), { recursive: true });
  const keys = new Set([
    ...valuePaths(parse(fs.readFileSync(path.join(from, 'values.yaml'), 'utf8'))),
    ...templatePaths(path.join(from, 'templates')),
  ]);
  const freeForm = freeFormPaths(path.join(from, 'templates'));
  for (const [alias, subdir] of Object.entries(subcharts)) {
    keys.add(alias);
    for (const k of valuePaths(parse(fs.readFileSync(path.join(subdir, 'values.yaml'), 'utf8')))) keys.add(`${alias}.${k}`);
    for (const k of templatePaths(path.join(subdir, 'templates'))) keys.add(`${alias}.${k}`);
    for (const k of freeFormPaths(path.join(subdir, 'templates'))) freeForm.add(`${alias}.${k}`);
  }
  const chart = parse(fs.readFileSync(path.join(to, 'Chart.yaml'), 'utf8'));
  const slots = imageSlots(parse(fs.readFileSync(path.join(from, 'values.yaml'), 'utf8')), String(chart.appVersion ?? ''));
  for (const [alias, subdir] of Object.entries(subcharts)) {
    const sub = parse(fs.readFileSync(path.join(subdir, 'Chart.yaml'), 'utf8'));
    imageSlots(parse(fs.readFileSync(path.join(subdir, 'values.yaml'), 'utf8')), String(sub.appVersion ?? ''), alias, slots);
  }
  fs.writeFileSync(path.join(to, 'images.json'), `${JSON.stringify({ slots }, null, 1)}\n`);
  const dashboards = grafanaDashboards(from);
  if (dashboards) fs.writeFileSync(path.join(to, 'dashboards.json'), `${JSON.stringify({ dashboards }, null, 1)}\n`);
  const dependencies = (chart.dependencies ?? [])
    .map((d) => d.alias ?? d.name)
    .filter((a) => !(a in subcharts))
    .sort();
  fs.writeFileSync(
    path.join(to, 'keys.json'),
    `${JSON.stringify({ keys: [...keys].sort(), freeForm: [...freeForm].sort(), dependencies }, null, 1)}\n`,
  );
}

const shared = path.resolve(process.argv[2] ?? path.join(ROOT, '..', 'shared', 'charts'));
const subchartsOf = {
  'kube-prometheus-stack-67.5.0': {
    grafana: 'kube-prometheus-stack-67.5.0-subcharts/grafana-8.8.2',
    'kube-state-metrics': 'kube-prometheus-stack-67.5.0-subcharts/kube-state-metrics-5.27.0',
    'prometheus-node-exporter': 'kube-prometheus-stack-67.5.0-subcharts/prometheus-node-exporter-4.42.0',
  },
  // gpu-operator ships node-feature-discovery inside its package and deploys it by default (nfd.enabled).
  'gpu-operator-v24.9.1': { 'node-feature-discovery': 'gpu-operator-v24.9.1/charts/node-feature-discovery' },
};
for (const dir of fs.readdirSync(shared).sort()) {
  const from = path.join(shared, dir);
  if (!fs.statSync(from).isDirectory() || !fs.existsSync(path.join(from, 'values.yaml'))) continue;
  const subs = Object.fromEntries(Object.entries(subchartsOf[dir] ?? {}).map(([a, d]) => [a, path.join(shared, d)]));
  vendor(dir, from, subs);
}
// Charts taken from their repository by hand: <name> <directory>.
for (let i = 3; i + 1 < process.argv.length; i += 2) vendor(process.argv[i], path.resolve(process.argv[i + 1]));
console.log(fs.readdirSync(OUT).sort().join('\n'));
