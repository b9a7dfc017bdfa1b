import type { InfrastructureBoundObject, WorkloadIdentityRequest } from '../contracts/identity';
import * as path from 'path';
import { Application } from '../imports/argoproj.io';
import { STATIC_SECRETS_DIR, StaticSecret } from '../lib/core/sops';
import { AppOfApps, AppOfAppsProps } from '../constructs/k8s/app-of-apps';
import { ConnectionPolicies } from '../constructs/k8s/network-policies';
import { chartOrigin, mirroredChartRepository } from '../constructs/mirror';
import { PlatformNamespace } from '../constructs/k8s/platform-namespace';
import { VaultAppSecrets } from '../constructs/k8s/vault-app-secrets';
import { ADD_ON_CATALOGUE } from '../addons/catalogue';
import { appFor, vaultAccessOf } from '../apps';
import { AddOnContext, AddOnUserInterface, PlatformAddOn } from '../contracts/addon';
import { routeTls } from '../contracts/app';
import { ServiceRoute } from '../constructs/k8s/service-route';
import { ApiObject, Chart, ManifestApp, k8s } from '../lib/core/facade/k8s';
import { apiGroup } from '../lib/core/k8s-objects';
import { ChartFacts, POD_SECURITY_ORDER, PodSecurityLevel } from '../lib/core/facts/chart-facts';
import { FactRegistry } from '../lib/core/facts/registry';
import { publishNames, publishObjectNames } from './platform-names';
import { PLATFORM_TIER_LABEL, waveAnnotation } from '../lib/core/facts/waves';
import { Environment } from '../lib/core/model/schema';
import { hostDomain, privateHosts } from '../lib/core/model/hosts';
import { Substrate } from '../contracts/substrate';
import {
  INTERNAL_INGRESS_CLASS,
  PRIVATE_ACCESS_NAMESPACE,
  buildPrivateAccessManifests,
  privateAccessChartFacts,
  publishPrivateAccess,
} from './private-access';

export const ARGO_NAMESPACE = 'argocd';

/** Namespaces a fresh cluster has, plus Argo CD's (created by the bootstrap stack). */
export const PREEXISTING_NAMESPACES: ReadonlyArray<string> = ['default', 'kube-system', 'kube-public', 'kube-node-lease', ARGO_NAMESPACE];

/** API groups served by kube-apiserver itself (and Argo CD's, installed before the root syncs). */
export const BUILT_IN_GROUPS: ReadonlySet<string> = new Set([
  '',
  'apps',
  'batch',
  'autoscaling',
  'policy',
  'networking.k8s.io',
  'rbac.authorization.k8s.io',
  'storage.k8s.io',
  'scheduling.k8s.io',
  'coordination.k8s.io',
  'node.k8s.io',
  'discovery.k8s.io',
  'certificates.k8s.io',
  'admissionregistration.k8s.io',
  'apiextensions.k8s.io',
  'apiregistration.k8s.io',
  'flowcontrol.apiserver.k8s.io',
  'argoproj.io',
]);

export const SKIP_DRY_RUN = 'SkipDryRunOnMissingResource=true';
export const SYNC_OPTIONS_ANNOTATION = 'argocd.argoproj.io/sync-options';

/** A chart and the file (relative to `dist/<env>/manifests`) it is written to. */
export interface ManifestFile {
  readonly chart: Chart;
  readonly file: string;
}

/** Path of the environment's manifests inside its GitOps repository. */
export function manifestsPathInRepo(env: Environment): string {
  return path.posix.join(env.gitops.path, 'manifests');
}

/**
 * The Application of the environment's static secrets (`secrets/` beside `manifests/`, outside the
 * root's directory): kustomize with the KSOPS generator, which the repo server runs with Argo CD's age
 * key (argoCdValues). Right after the namespaces, so every Secret is there before anything mounts it.
 */
function staticSecretsApplication(c: Chart, env: Environment): void {
  new Application(c, 'static-secrets', {
    metadata: { name: 'static-secrets', namespace: ARGO_NAMESPACE, annotations: waveAnnotation('staticSecrets') },
    spec: {
      project: 'default',
      source: { repoUrl: env.gitops.repoURL, targetRevision: env.gitops.branch, path: path.posix.join(env.gitops.path, STATIC_SECRETS_DIR) },
      destination: { server: 'https://kubernetes.default.svc', namespace: ARGO_NAMESPACE },
      syncPolicy: { automated: { prune: true, selfHeal: true } },
    },
  });
}

/** The environment's root Application: its GitOps repository, branch and manifests path. */
export function rootAppProps(env: Environment): AppOfAppsProps {
  return {
    name: `${env.name}-root`,
    repoURL: env.gitops.repoURL,
    revision: env.gitops.branch,
    path: manifestsPathInRepo(env),
    argoNamespace: ARGO_NAMESPACE,
  };
}

/** The manifest side of an environment, with the facts the rehearsal and README read. */
export interface PlatformManifests {
  readonly files: ManifestFile[];
  readonly addOns: PlatformAddOn[];
  readonly facts: FactRegistry;
  /** What each child Application's chart deploys, by Application name. */
  readonly applicationFacts: ReadonlyMap<string, ChartFacts>;
  /** Namespaces that deny by default (declared by the environment or the platform). */
  readonly denyByDefault: ReadonlySet<string>;
  /** Objects the bootstrap stack writes from the cluster stack's outputs (not in Git). */
  readonly infrastructureBound: ReadonlyArray<InfrastructureBoundObject>;
}

/** Workload identities the environment's add-ons and apps need, for the substrate's cluster stack. */
export function workloadIdentityRequests(env: Environment): WorkloadIdentityRequest[] {
  return [
    ...env.addons.flatMap((id) => ADD_ON_CATALOGUE.get(id)!.workloadIdentities?.(env) ?? []),
    ...env.apps.flatMap((config) => appFor(config).workloadIdentities?.(config, env) ?? []),
  ];
}

function maxLevel(levels: PodSecurityLevel[]): PodSecurityLevel {
  return levels.reduce<PodSecurityLevel>((a, b) => (POD_SECURITY_ORDER.indexOf(b) > POD_SECURITY_ORDER.indexOf(a) ? b : a), 'restricted');
}

/**
 * Namespaces the add-ons' charts run in, created with the namespace layer (first wave) so that
 * nothing of the root sync waits for Argo CD's CreateNamespace, and labelled with the Pod Security
 * level their pods need (node agents privileged, everything else restricted).
 */
function addOnNamespaces(chart: Chart, env: Environment, facts: ReadonlyMap<string, { namespace: string; facts: ChartFacts }>): void {
  const declared = new Set([...env.namespaces.map((n) => n.name), PRIVATE_ACCESS_NAMESPACE, ...PREEXISTING_NAMESPACES]);
  const levels = new Map<string, PodSecurityLevel[]>();
  for (const { namespace, facts: f } of facts.values()) {
    for (const ns of [namespace, ...(f.extraNamespaces ?? [])]) levels.set(ns, levels.get(ns) ?? []);
    for (const w of f.workloads ?? []) levels.get(w.namespace ?? namespace)?.push(w.podSecurity);
  }
  for (const ns of [...levels.keys()].sort()) {
    if (declared.has(ns)) continue;
    const level = maxLevel(levels.get(ns)!);
    new k8s.KubeNamespace(chart, `addon-namespace-${ns}`, {
      metadata: {
        name: ns,
        annotations: waveAnnotation('namespaces'),
        labels: {
          'kubernetes.io/metadata.name': ns,
          'pod-security.kubernetes.io/enforce': level,
          'pod-security.kubernetes.io/enforce-version': 'latest',
          'pod-security.kubernetes.io/audit': level,
          'pod-security.kubernetes.io/warn': level,
          'app.kubernetes.io/managed-by': 'parity',
          [PLATFORM_TIER_LABEL]: 'platform',
        },
      },
    });
  }
}

/**
 * A custom resource whose CRD a child Application installs cannot be dry-run when the root's sync
 * starts: Argo CD skips that dry run on request, and the sync waves make sure the CRD exists by the
 * time the resource is applied (the deploy rehearsal checks it).
 */
function skipDryRunForCustomResources(charts: ReadonlyArray<Chart>): void {
  for (const chart of charts) {
    for (const c of chart.node.findAll()) {
      if (!(c instanceof ApiObject)) continue;
      const group = apiGroup(c.apiVersion);
      if (BUILT_IN_GROUPS.has(group)) continue;
      const existing: string | undefined = c.metadata.toJson().annotations?.[SYNC_OPTIONS_ANNOTATION];
      c.metadata.addAnnotation(SYNC_OPTIONS_ANNOTATION, existing ? `${existing},${SKIP_DRY_RUN}` : SKIP_DRY_RUN);
    }
  }
}

/**
 * Argo CD 2.x reaches a Helm chart in an OCI registry only through a repository declared with
 * `enableOCI` (its repoURL has no scheme), before any child Application syncs: with a mirror, one per
 * chart repository the Applications name (the site's mirror serves them all); without, one per chart
 * repository that is an OCI registry (ghcr.io). They hold no credential: the charts are public.
 */
function ociChartRepositoryUrls(mirror: string | undefined, files: ReadonlyArray<ManifestFile>): string[] {
  const urls = new Set<string>();
  for (const { chart: c } of files)
    for (const o of c.node.findAll())
      if (o instanceof ApiObject && o.kind === 'Application') {
        const source = o.toJson().spec?.source;
        if (!source?.chart) continue;
        if (mirror) urls.add(mirroredChartRepository(chartOrigin(source.repoURL), mirror));
        else if (!/^https?:\/\//.test(source.repoURL)) urls.add(chartOrigin(source.repoURL));
      }
  return [...urls].sort();
}

function ociChartRepositories(chart: Chart, urls: ReadonlyArray<string>, mirror: string | undefined): void {
  for (const url of urls) {
    const origin = mirror ? url.slice(`${mirror}/charts/`.length) : url;
    const name = `${mirror ? 'mirror' : 'oci'}-${origin.replace(/[^a-z0-9]+/g, '-')}`.slice(0, 63).replace(/-+$/, '');
    new k8s.KubeSecret(chart, name, {
      metadata: {
        name,
        namespace: ARGO_NAMESPACE,
        labels: { 'argocd.argoproj.io/secret-type': 'repository' },
        annotations: waveAnnotation('namespaces'),
      },
      stringData: { type: 'helm', name, url, enableOCI: 'true' },
    });
  }
}

/** The add-on's UI at `<label>.<host domain>`, with a certificate from the environment's issuer on ingress environments. */
function routeUserInterface(chart: Chart, env: Environment, addOn: PlatformAddOn, ui: AddOnUserInterface, className: string): void {
  const host = `${ui.hostLabel}.${hostDomain(env)}`;
  new ServiceRoute(chart, `route-${ui.hostLabel}`, {
    name: `${addOn.id}-${ui.hostLabel}`,
    namespace: addOn.namespace,
    host,
    className,
    service: ui.service,
    target: ui.target,
    backendProtocol: ui.backendProtocol,
    tls: routeTls({ env }, host),
  });
}

/**
 * The Kubernetes side of an environment: the namespace layer, one chart per add-on, the apps, the
 * NetworkPolicies generated from the declared connections, and the app-of-apps root.
 */
export function buildPlatformManifests(
  app: ManifestApp,
  env: Environment,
  substrate: Substrate,
  staticSecrets: ReadonlyArray<StaticSecret> = [],
): PlatformManifests {
  const files: ManifestFile[] = [];
  const chart = (id: string, file: string) => {
    const c = new Chart(app, `${env.name}-${id}`, { disableResourceNameHashes: true });
    files.push({ chart: c, file });
    return c;
  };
  const facts = FactRegistry.attach(app, new FactRegistry());
  const ctx: AddOnContext = {
    env,
    traits: substrate.traits,
    argoNamespace: ARGO_NAMESPACE,
    vaultSeal: substrate.vaultSeal(env),
    vaultPlacement: substrate.vaultPlacement?.(env),
    backupStorage: substrate.backupStorage(env),
    workloadBuckets: substrate.workloadBuckets?.(env),
    hostOs: substrate.hostOs?.(env),
    facts,
    chartSecrets: env.apps.flatMap((config) => appFor(config).chartSecrets?.(config) ?? []),
  };
  const addOns = [...env.addons.map((id) => ADD_ON_CATALOGUE.get(id)!), ...substrate.platformAddOns(env)];

  // Everyone publishes, then everyone connects, then everything installs: lookups never depend on order.
  for (const addOn of addOns) addOn.publish?.(facts, ctx);
  publishPrivateAccess(facts, env);
  for (const addOn of addOns) addOn.connect?.(facts, ctx);
  const applicationFacts = new Map<string, { namespace: string; facts: ChartFacts }>();
  for (const addOn of addOns) if (addOn.chartFacts) applicationFacts.set(addOn.id, { namespace: addOn.namespace, facts: addOn.chartFacts(ctx) });
  if (env.access.kind === 'tailscale') {
    const gateway = privateAccessChartFacts();
    applicationFacts.set('internal-gateway', { namespace: PRIVATE_ACCESS_NAMESPACE, facts: gateway });
    for (const c of gateway.connections ?? []) facts.connect(c, 'private access');
  }

  publishNames(facts, env, substrate, PREEXISTING_NAMESPACES, applicationFacts);
  if (env.access.kind === 'tailscale') facts.provideName('Namespace', PRIVATE_ACCESS_NAMESPACE, 'private access');
  for (const s of env.externalServices) facts.provideExternal(s.host, s.port, `environment ${env.name} (externalServices.${s.name})`);
  for (const s of env.managedServices) {
    const endpoint = substrate.managedServiceEndpoint?.(env, s);
    if (endpoint) facts.provideManaged(s.name, endpoint, `${substrate.title} (managedServices.${s.name})`);
  }

  const namespaces = chart('namespaces', 'namespaces.yaml');
  for (const ns of env.namespaces) new PlatformNamespace(namespaces, ns.name, ns);
  addOnNamespaces(namespaces, env, applicationFacts);

  const routeClass = env.access.kind === 'tailscale' ? INTERNAL_INGRESS_CLASS : substrate.traits.ingressClass;
  const addOnCharts = new Map<PlatformAddOn, Chart>();
  for (const addOn of addOns) {
    const addOnChart = chart(`addon-${addOn.id}`, `addons/${addOn.id}.yaml`);
    addOn.install(addOnChart, ctx);
    publishObjectNames(facts, addOnChart, `add-on ${addOn.id}`);
    addOnCharts.set(addOn, addOnChart);
  }
  // Once every add-on has published its objects (the issuers the routes' certificates come from).
  for (const [addOn, addOnChart] of addOnCharts)
    if (addOn.userInterface && privateHosts(env)) routeUserInterface(addOnChart, env, addOn, addOn.userInterface, routeClass);
  for (const config of env.apps) {
    const app = appFor(config);
    facts.name('Namespace', config.namespace, `app ${config.app} (apps[].namespace)`);
    const appChart = chart(`app-${config.app}-${config.namespace}`, `apps/${config.app}.${config.namespace}.yaml`);
    app.install(appChart, config, { env, traits: substrate.traits, facts, routeClass });
    for (const c of app.chartFacts?.(config, env) ?? []) applicationFacts.set(c.application, { namespace: config.namespace, facts: c.facts });
    const access = vaultAccessOf(config);
    if (access.secrets.length)
      new VaultAppSecrets(appChart, 'vault-secrets', {
        identity: access.identity,
        secrets: access.secrets,
        chartSecrets: app.chartSecrets?.(config),
        argoNamespace: ARGO_NAMESPACE,
      });
  }

  if (env.access.kind === 'tailscale') buildPrivateAccessManifests(chart('private-access', 'private-access.yaml'), env);

  const cluster = substrate.clusterFacts(env);
  const denyByDefault = new Set([...env.namespaces.map((n) => n.name), ...(env.access.kind === 'tailscale' ? [PRIVATE_ACCESS_NAMESPACE] : [])]);
  new ConnectionPolicies(chart('network-policies', 'network-policies.yaml'), 'connections', {
    connections: facts.connections().map((d) => d.connection),
    denyByDefault,
    addresses: {
      apiServer: cluster.apiServer,
      nodeCidrs: cluster.nodeCidrs,
      clusterCidrs: substrate
        .networks(env)
        .filter((n) => n.name !== 'node')
        .map((n) => n.cidr),
    },
  });

  const ociUrls = ociChartRepositoryUrls(env.registryMirror, files);
  if (ociUrls.length) ociChartRepositories(chart('argocd-repositories', 'argocd-repositories.yaml'), ociUrls, env.registryMirror);
  skipDryRunForCustomResources(files.map((f) => f.chart));
  if (staticSecrets.length) staticSecretsApplication(chart('static-secrets', 'static-secrets.yaml'), env);
  new AppOfApps(chart('root', 'bootstrap/root-app.yaml'), 'root', rootAppProps(env));
  const infrastructureBound = [
    ...addOns.flatMap((a) => a.infrastructureBound?.(ctx) ?? []),
    ...env.apps.flatMap((config) => appFor(config).infrastructureBound?.(config) ?? []),
  ];
  return {
    files,
    addOns,
    facts,
    applicationFacts: new Map([...applicationFacts].map(([k, v]) => [k, v.facts])),
    denyByDefault,
    infrastructureBound,
  };
}
