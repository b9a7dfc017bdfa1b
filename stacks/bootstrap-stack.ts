import { ARGOCD_APPS_IMAGES } from '../addons/chart-images';
import { Construct } from 'constructs';
import { HelmProvider } from '@cdktf/provider-helm/lib/provider';
import { Release } from '@cdktf/provider-helm/lib/release';
import { ARGO_CD_CHART, argoCdValues } from '../addons/argo-cd';
import { PinnedChart, pinnedChartImages } from '../constructs/k8s/helm-application';
import { rootApplicationSpecJson } from '../constructs/k8s/app-of-apps';
import { Environment } from '../lib/core/model/schema';
import { chartOrigin } from '../constructs/mirror';
import { toYaml } from '../lib/core/util/serialize';
import { BootstrapChart, ClusterConnection } from '../contracts/substrate';
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
}

/**
 * The hand-off from Terraform to GitOps: installs whatever the cluster needs to run pods at all, then
 * Argo CD, then the environment's root Application. From here on every change is a Git commit.
 */
export class BootstrapStack extends ParityStack {
  /** Images the bootstrap releases pull, as origin references. */
  readonly images: string[] = [];

  constructor(scope: Construct, props: BootstrapStackProps) {
    super(scope, { env: props.env, stackId: 'bootstrap', description: 'Argo CD and the root Application pointed at the GitOps path' });
    const c = props.connection;
    new HelmProvider(this, 'helm', {
      kubernetes: {
        host: c.host,
        clusterCaCertificate: c.clusterCaCertificate,
        configPath: c.configPath,
        exec: c.exec ? { apiVersion: c.exec.apiVersion, command: c.exec.command, args: c.exec.args } : undefined,
      },
    });

    // Air-gapped: charts come from the mirror's OCI repository and their images from the mirror, with the
    // same values Argo CD syncs later (so taking the release over changes nothing).
    const mirror = props.env.registryMirror;
    const repository = (chart: PinnedChart) => (mirror ? `oci://${mirror}/charts/${chartOrigin(chart.repoURL)}` : chart.repoURL);
    let previous: Release | undefined;
    const release = (name: string, namespace: string, chart: PinnedChart, values: object) => {
      const pinned = pinnedChartImages(this, chart, values, mirror);
      this.images.push(...pinned.images.map((i) => i.image));
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
        dependsOn: previous ? [previous] : undefined,
      });
      return previous;
    };
    for (const p of props.prerequisites) release(p.name, p.namespace, p.chart, p.values);

    release('argo-cd', ARGO_NAMESPACE, ARGO_CD_CHART, argoCdValues(props.env));

    const root = rootAppProps(props.env);
    release('argocd-apps', ARGO_NAMESPACE, ARGO_APPS_CHART, {
      applications: {
        [root.name]: { namespace: ARGO_NAMESPACE, finalizers: ['resources-finalizer.argocd.argoproj.io'], ...rootApplicationSpecJson(root) },
      },
    });
  }
}
