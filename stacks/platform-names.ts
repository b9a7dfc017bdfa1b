import { Substrate } from '../contracts/substrate';
import { ApiObject, Chart } from '../lib/core/facade/k8s';
import { ChartFacts } from '../lib/core/facts/chart-facts';
import { FactRegistry, NameKind } from '../lib/core/facts/registry';
import { Environment } from '../lib/core/model/schema';

/**
 * Publishes what exists by name before any module refers to it: the environment's namespaces and
 * those of its add-ons, the substrate's StorageClasses, and what each add-on's chart installs
 * (CRD groups, StorageClasses, IngressClasses).
 */
export function publishNames(
  facts: FactRegistry,
  env: Environment,
  substrate: Substrate,
  preexisting: ReadonlyArray<string>,
  charts: ReadonlyMap<string, { namespace: string; facts: ChartFacts }>,
): void {
  for (const ns of preexisting) facts.provideName('Namespace', ns, 'the cluster');
  for (const ns of env.namespaces) facts.provideName('Namespace', ns.name, `environment ${env.name} (namespaces)`);
  // The Argo CD Application CRDs come with Argo CD, which the bootstrap stack installs.
  facts.provideName('CRD group', 'argoproj.io', 'the bootstrap stack (Argo CD)');
  for (const sc of substrate.clusterFacts(env).storageClasses) facts.provideName('StorageClass', sc.name, substrate.title);
  for (const [id, { namespace, facts: f }] of charts) {
    const by = `add-on ${id}`;
    for (const ns of [namespace, ...(f.extraNamespaces ?? [])]) facts.provideName('Namespace', ns, by);
    for (const c of f.crds ?? []) facts.provideName('CRD group', c.group, by);
    for (const sc of f.storageClasses ?? []) facts.provideName('StorageClass', sc.name, by);
    for (const ic of f.ingressClasses ?? []) facts.provideName('IngressClass', ic, by);
  }
}

const NAMED_KINDS: Partial<Record<string, NameKind>> = {
  StorageClass: 'StorageClass',
  IngressClass: 'IngressClass',
  ClusterIssuer: 'ClusterIssuer',
  Namespace: 'Namespace',
};

/** Publishes the classes, issuers and namespaces an add-on's own manifests create (e.g. cert-manager's ClusterIssuers). */
export function publishObjectNames(facts: FactRegistry, chart: Chart, provider: string): void {
  for (const c of chart.node.findAll()) {
    if (!(c instanceof ApiObject)) continue;
    const kind = NAMED_KINDS[c.kind];
    if (kind && c.metadata.name) facts.provideName(kind, c.metadata.name, provider);
  }
}
