import { canonicalImage, mirroredImage, registryAndPath, splitImageRef } from '../lib/core/util/image-ref';
import { containersOf, podTemplates } from '../lib/core/k8s-objects';
import { PLUGIN_ENV, SECRET_VALUES_PLUGIN } from '../lib/core/chart-secret-values';

/** What the mirroring job copies: source reference -> where the environment pulls it from. */
export interface MirrorPlan {
  readonly images: Map<string, string>;
  readonly charts: Map<string, string>;
}

/** `https://charts.jetstack.io` -> `charts.jetstack.io`; OCI sources are already host/path. */
export function chartOrigin(repoURL: string): string {
  return repoURL.replace(/^(https?|oci):\/\//, '').replace(/\/+$/, '');
}

/** Where the mirror serves the charts of a Helm repository: `<mirror>/charts/<origin>`, an OCI registry path. */
export function mirroredChartRepository(origin: string, mirror: string): string {
  return `${mirror}/charts/${origin}`;
}

/** Records a chart the mirror must hold (charts.txt) and returns the repository it is pulled from there. */
export function mirroredChart(plan: MirrorPlan, mirror: string, origin: string, chart: string, version: string): string {
  const target = mirroredChartRepository(origin, mirror);
  plan.charts.set(`${origin}/${chart}:${version}`, `${target}/${chart}:${version}`);
  return target;
}

/**
 * Rewrites the synthesized objects of an air-gapped or mirrored environment in place: every container
 * image and CloudNativePG operand image to `<mirror>/<origin registry>/<path>`, and every Helm chart
 * source of an Argo CD Application to the mirror's OCI chart repository `<mirror>/charts/<origin>`.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- documents of every kind, rewritten where an image or chart source sits
export function applyMirror(docs: any[], mirror: string, plan: MirrorPlan): void {
  const image = (ref: string) => {
    if (ref.startsWith(`${mirror}/`)) return ref;
    const target = mirroredImage(ref, mirror);
    plan.images.set(canonicalImage(ref), target);
    return target;
  };
  // podTemplates hands back the documents' own container objects, so rewriting them rewrites the docs.
  for (const t of podTemplates(docs)) for (const { container } of containersOf(t)) if (container.image) container.image = image(container.image);
  for (const doc of docs) {
    if (doc?.kind === 'Cluster' && doc.apiVersion?.startsWith('postgresql.cnpg.io/') && doc.spec?.imageName)
      doc.spec.imageName = image(doc.spec.imageName);
    if (doc?.kind === 'Application' && doc.spec?.source?.chart) {
      const source = doc.spec.source;
      const origin = chartOrigin(source.repoURL);
      if (!origin.startsWith(`${mirror}/`)) source.repoURL = mirroredChart(plan, mirror, origin, source.chart, source.targetRevision);
    }
    // A vendor chart rendered by the secret-values plugin: its registry is in the plugin's environment.
    if (doc?.kind === 'Application' && doc.spec?.source?.plugin?.name === SECRET_VALUES_PLUGIN) {
      const env: Array<{ name: string; value: string }> = doc.spec.source.plugin.env;
      const get = (name: string) => env.find((e) => e.name === name)!;
      const repository = get(PLUGIN_ENV.repository);
      if (!repository.value.startsWith(`${mirror}/`))
        repository.value = mirroredChart(plan, mirror, repository.value, get(PLUGIN_ENV.chart).value, get(PLUGIN_ENV.version).value);
    }
  }
}

export function planFile(entries: Map<string, string>, header: string): string {
  const lines = [...entries].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([from, to]) => `${from} ${to}`);
  return `# ${header}\n# source destination\n${lines.join('\n')}\n`;
}

/** Where the nodes get an image when they pull through a proxy cache (containerd `hosts.toml`). */
export interface PullThroughCache {
  readonly host: string;
  readonly origins: ReadonlyArray<{ readonly origin: string }>;
}

/**
 * Every image of an environment whose nodes pull through a proxy cache, as the cache serves it:
 * `<cache>/<origin registry>/<path>` for the registries it proxies, the image itself where it is already
 * the cache's (the organisation's own images pushed to it), and `undefined` where the cache does not
 * proxy the registry, so the pull bypasses it.
 */
export function pullThroughImage(ref: string, cache: PullThroughCache): string | undefined {
  const canonical = canonicalImage(ref);
  const { registry } = registryAndPath(splitImageRef(canonical).name);
  if (registry === cache.host) return canonical;
  return cache.origins.some((o) => o.origin === registry) ? mirroredImage(canonical, cache.host) : undefined;
}

/** The images the documents pull: containers of every pod template, and CloudNativePG operand images. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- documents of every kind
export function imagesOf(docs: ReadonlyArray<any>): string[] {
  const out: string[] = [];
  for (const t of podTemplates(docs as any[])) for (const { container } of containersOf(t)) if (container.image) out.push(container.image); // eslint-disable-line @typescript-eslint/no-explicit-any
  for (const doc of docs)
    if (doc?.kind === 'Cluster' && doc.apiVersion?.startsWith('postgresql.cnpg.io/') && doc.spec?.imageName) out.push(doc.spec.imageName);
  return out;
}
