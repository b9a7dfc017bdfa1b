import { ARGOCD_APPS_IMAGES } from '../addons/chart-images';
import { Construct } from 'constructs';
import { HelmProvider } from '@cdktf/provider-helm/lib/provider';
import { KubernetesProvider } from '@cdktf/provider-kubernetes/lib/provider';
import { Manifest } from '@cdktf/provider-kubernetes/lib/manifest';
import { SecretV1 } from '@cdktf/provider-kubernetes/lib/secret-v1';
import { MissingFactError } from '../lib/core/facts/registry';
import { Release } from '@cdktf/provider-helm/lib/release';
import { ARGO_CD_CHART, argoCdExtraImages, argoCdValues } from '../addons/argo-cd';
import { SOPS_AGE_KEY } from '../lib/core/sops';
import { PinnedChart, pinnedChartImages } from '../constructs/k8s/helm-application';
import { rootApplicationSpecJson } from '../constructs/k8s/app-of-apps';
import { Environment } from '../lib/core/model/schema';
import { chartOrigin, mirroredChartRepository } from '../constructs/mirror';
import { toYaml } from '../lib/core/util/serialize';
import { TerraformVariable } from '../lib/core/facade/tf';
import type { ITerraformDependable } from '../lib/core/facade/tf';
import { BootstrapChart, ClusterConnection } from '../contracts/substrate';
import type { InfrastructureBoundObject } from '../contracts/identity';
import { ParityStack } from '../constructs/terraform/parity-stack';
import { ARGO_NAMESPACE, rootAppProps } from './platform-manifests';

export const ARGO_APPS_CHART: PinnedChart = {
  repoURL: 'https://argoproj.github.io/argo-helm',
  chart: 'argocd-apps',
  version: '2.0.2',
  images: ARGOCD_APPS_IMAGES,
};

export interface BootstrapStackProps {
  readonly env: Environment;
  readonly connection: ClusterConnection;
  /** Substrate prerequisites (CNI on bare metal), installed before Argo CD. */
  readonly prerequisites: ReadonlyArray<BootstrapChart>;
  /** Objects with values from the cluster stack's outputs, written before the root Application. @default [] */
  readonly infrastructureBound?: ReadonlyArray<InfrastructureBoundObject>;
  /** Client IDs of the cluster stack's workload identities, by id. @default {} */
  readonly workloadIdentityClientIds?: Readonly<Record<string, string>>;
}

/** Images the bootstrap releases pull (the CNI prerequisites and Argo CD), as origin references. */
export function bootstrapImages(env: Environment, prerequisites: ReadonlyArray<BootstrapChart>): string[] {
  return [
    ...workloadReleases(env, prerequisites).flatMap(({ chart, values }) =>
      pinnedChartImages('bootstrap stack', chart, values).images.map((i) => i.image),
    ),
    ...argoCdExtraImages(env),
  ];
}

/** The releases that run pods, in install order: the substrate's prerequisites (the CNI), then Argo CD. */
function workloadReleases(env: Environment, prerequisites: ReadonlyArray<BootstrapChart>): BootstrapChart[] {
  return [...prerequisites, { name: 'argo-cd', namespace: ARGO_NAMESPACE, chart: ARGO_CD_CHART, values: argoCdValues(env) }];
}

/** A copy of `manifest` with `value` at `path`. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- any Kubernetes object
function withValue(manifest: any, path: ReadonlyArray<string>, value: string): any {
  const [head, ...rest] = path;
  return { ...manifest, [head]: rest.length === 0 ? value : withValue(manifest?.[head] ?? {}, rest, value) };
}

/**
 * The hand-off from Terraform to GitOps: installs whatever the cluster needs to run pods at all, then
 * Argo CD, then the environment's root Application. From here on every change is a Git commit.
 */
export class BootstrapStack extends ParityStack {
  constructor(scope: Construct, props: BootstrapStackProps) {
    super(scope, {
      env: props.env,
      stackId: 'bootstrap',
      description: 'Argo CD and the root Application pointed at the GitOps path',
      fromNetwork: true,
      checks: [
        'kubectl -n argocd get applications   # the root and its children appear and sync wave by wave',
        'kubectl -n vault get pods   # vault-0..2 Running (not ready until initialised)',
      ],
    });
    const c = props.connection;
    new HelmProvider(this, 'helm', {
      kubernetes: {
        host: c.host,
        clusterCaCertificate: c.clusterCaCertificate,
        configPath: c.configPath,
        clientCertificate: c.clientCertificate,
        clientKey: c.clientKey,
        exec: c.exec ? { apiVersion: c.exec.apiVersion, command: c.exec.command, args: c.exec.args } : undefined,
      },
    });

    // Air-gapped: charts come from the mirror's OCI repository and their images from the mirror, with the
    // same values Argo CD syncs later (so taking the release over changes nothing).
    const mirror = props.env.registryMirror;
    const repository = (chart: PinnedChart) => (mirror ? `oci://${mirroredChartRepository(chartOrigin(chart.repoURL), mirror)}` : chart.repoURL);
    let previous: Release | undefined;
    const release = (name: string, namespace: string, chart: PinnedChart, values: object, after: ReadonlyArray<ITerraformDependable> = []) => {
      const pinned = pinnedChartImages(this, chart, values, mirror);
      previous = new Release(this, name, {
        name,
        namespace,
        createNamespace: true,
        repository: repository(chart),
        chart: chart.chart,
        version: chart.version,
        values: [toYaml(pinned.values)],
        atomic: true,
        wait: true,
        timeout: 900,
        dependsOn: previous || after.length ? [...(previous ? [previous] : []), ...after] : undefined,
        // One owner per component: Terraform installs it once, then its Application in Git (same chart,
        // values and release name) owns every change; a later apply of this stack must not undo those.
        lifecycle: { ignoreChanges: 'all' },
      });
      return previous;
    };
    new KubernetesProvider(this, 'kubernetes', {
      host: c.host,
      clusterCaCertificate: c.clusterCaCertificate,
      configPath: c.configPath,
      clientCertificate: c.clientCertificate,
      clientKey: c.clientKey,
      exec: c.exec ? [{ apiVersion: c.exec.apiVersion, command: c.exec.command, args: c.exec.args }] : undefined,
    });
    const bound = this.infrastructureBound(props);
    // Argo CD comes last of these: the repository credentials wait for its namespace.
    const releases = workloadReleases(props.env, props.prerequisites).map((r) => release(r.name, r.namespace, r.chart, r.values));
    const argo = releases[releases.length - 1];
    const repoCredentials = this.gitopsCredentials(props.env, argo);
    const sopsKey = this.sopsAgeKey(props.env, argo);

    const root = rootAppProps(props.env);
    // Argo CD syncs nothing before the objects carrying the identities exist.
    release(
      'argocd-apps',
      ARGO_NAMESPACE,
      ARGO_APPS_CHART,
      {
        applications: {
          [root.name]: { namespace: ARGO_NAMESPACE, finalizers: ['resources-finalizer.argocd.argoproj.io'], ...rootApplicationSpecJson(root) },
        },
      },
      [...bound, repoCredentials, ...(sopsKey ? [sopsKey] : [])],
    );
  }

  /**
   * Argo CD's read access to the GitOps repository: a repository Secret from the credentials a person
   * supplies as Terraform variables (a deploy token with read access only). Vault does not exist yet
   * at this point, so the token lives in this stack's (encrypted) state.
   */
  private gitopsCredentials(env: Environment, after: Release): SecretV1 {
    const username = new TerraformVariable(this, 'gitops_username', {
      type: 'string',
      nullable: false,
      description: `user of a read-only deploy token for ${env.gitops.repoURL}`,
    });
    const password = new TerraformVariable(this, 'gitops_password', {
      type: 'string',
      nullable: false,
      sensitive: true,
      description: `read-only deploy token for ${env.gitops.repoURL}`,
    });
    return new SecretV1(this, 'gitops-repository', {
      metadata: { name: 'gitops-repository', namespace: ARGO_NAMESPACE, labels: { 'argocd.argoproj.io/secret-type': 'repository' } },
      data: { type: 'git', url: env.gitops.repoURL, username: username.stringValue, password: password.stringValue },
      dependsOn: [after],
    });
  }

  /**
   * Argo CD's private age key, with which KSOPS decrypts the environment's static secrets: a person
   * supplies it as a Terraform variable (age-keygen; its public half is gitops.sops.argoCd). Like the
   * Git token it exists before Vault does, so the first sync already decrypts.
   */
  private sopsAgeKey(env: Environment, after: Release): SecretV1 | undefined {
    if (!env.gitops.sops) return undefined;
    const key = new TerraformVariable(this, 'sops_age_key', {
      type: 'string',
      nullable: false,
      sensitive: true,
      description: `Argo CD's age private key (AGE-SECRET-KEY-1...) for ${env.gitops.sops.argoCd}, which decrypts the static secrets`,
    });
    return new SecretV1(this, 'sops-age-key', {
      metadata: { name: SOPS_AGE_KEY.secret, namespace: ARGO_NAMESPACE },
      data: { [SOPS_AGE_KEY.key]: key.stringValue },
      dependsOn: [after],
    });
  }

  /**
   * Writes the objects whose values come from the cluster stack (ServiceAccounts, SecretProviderClasses
   * and Secrets naming a workload identity's client ID or role), and their namespaces, which Argo
   * CD then adopts with the labels of the namespace layer (Terraform owns only the name).
   */
  private infrastructureBound(props: BootstrapStackProps): Array<Manifest | SecretV1> {
    const objects = props.infrastructureBound ?? [];
    const namespaces = new Map<string, Manifest>();
    for (const ns of [...new Set(objects.map((o) => o.manifest.metadata.namespace).filter((n): n is string => !!n))].sort())
      namespaces.set(ns, new Manifest(this, `namespace-${ns}`, { manifest: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } } }));
    return objects.map((o) => {
      let manifest = o.manifest;
      for (const { path, identity } of o.clientIds) {
        const clientId = props.workloadIdentityClientIds?.[identity];
        if (clientId === undefined)
          throw new MissingFactError(
            o.requestedBy,
            `the client ID of workload identity "${identity}" (a ${props.env.substrate.kind} cluster stack output)`,
            [],
            Object.keys(props.workloadIdentityClientIds ?? {}),
          );
        manifest = withValue(manifest, path, clientId);
      }
      const ns = o.manifest.metadata.namespace;
      const id = `${o.manifest.kind.toLowerCase()}-${ns ?? 'cluster'}-${o.manifest.metadata.name}`;
      const dependsOn = ns ? [namespaces.get(ns)!] : undefined;
      // A Secret through the provider's Secret resource: kubernetes_manifest would compare the stringData
      // the API never returns, and plan a change on every run.
      if (manifest.kind === 'Secret')
        return new SecretV1(this, id, { metadata: manifest.metadata, data: manifest.stringData, type: manifest.type, dependsOn });
      return new Manifest(this, id, { manifest, dependsOn });
    });
  }
}
