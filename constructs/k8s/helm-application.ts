import { Construct } from 'constructs';
import { Application } from '../../imports/argoproj.io';
import { propError } from '../props';
import { ChartImage, ChartImageError, ChartImageTable, chartImages } from '../../lib/core/charts/chart-images';

/** A Helm chart at an exact version; ranges would make two syncs of the same commit differ. */
export interface PinnedChart {
  /** Helm repository URL (https:// or an OCI registry host for `oci://`-style sources). */
  readonly repoURL: string;
  readonly chart: string;
  /** Exact chart version, e.g. "3.12.2". */
  readonly version: string;
  /** Which images of the vendored chart run, slot by slot (the air-gap list and the mirror rewrite use it). */
  readonly images: ChartImageTable;
}

/**
 * The images a pinned chart pulls with these values and, with a mirror, the values rewritten so that
 * each is pulled as `<mirror>/<origin>`. A chart or slot the table does not cover is a prop error.
 */
export function pinnedChartImages<V extends object>(
  scope: Construct | string,
  chart: PinnedChart,
  values: V,
  registryMirror?: string,
): { images: ChartImage[]; values: V } {
  try {
    return chartImages(chart, chart.images, values, registryMirror);
  } catch (e) {
    if (e instanceof ChartImageError) throw propError(scope, 'chart.images', `${chart.chart} ${chart.version}`, e.message);
    throw e;
  }
}

export interface HelmApplicationProps<V extends object> {
  /** Application name, also the Helm release name. */
  readonly name: string;
  readonly chart: PinnedChart;
  /** Namespace the release is installed into; created by Argo CD. */
  readonly destinationNamespace: string;
  /** Typed chart values, rendered as `helm.valuesObject`. */
  readonly values: V;
  /**
   * Namespace where Argo CD watches Application objects.
   * @default 'argocd'
   */
  readonly argoNamespace?: string;
  /**
   * Registry that serves every image (air-gapped mirror): the chart's image values are rewritten to it.
   * @default none (images pulled from their origin)
   */
  readonly registryMirror?: string;
  /**
   * Argo CD sync wave; lower waves must be healthy before higher ones sync.
   * @default 0
   */
  readonly syncWave?: number;
  /**
   * Argo CD project.
   * @default 'default'
   */
  readonly project?: string;
  /**
   * Cluster API server the release goes to.
   * @default 'https://kubernetes.default.svc'
   */
  readonly destinationServer?: string;
  /**
   * Argo CD creates the destination namespace; off where the platform's namespace layer creates it
   * (an app's own namespace, with its Pod Security labels and quota).
   * @default true
   */
  readonly createNamespace?: boolean;
  /**
   * Extra sync options, e.g. "ServerSideApply=true" for charts with large CRDs.
   * @default []
   */
  readonly syncOptions?: ReadonlyArray<string>;
}

const EXACT_VERSION = /^v?\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$/;

/**
 * What every Application Parity writes shares: its place in Argo CD's namespace, its sync wave, the
 * resources finalizer (deleting it deletes what it deployed), and automated sync with prune, self-heal
 * and retries, because in GitOps the repository is the truth and drift is to be undone.
 */
export function applicationFrame(props: { name: string; argoNamespace?: string; syncWave?: number; syncOptions?: ReadonlyArray<string> }) {
  return {
    metadata: {
      name: props.name,
      namespace: props.argoNamespace ?? 'argocd',
      annotations: { 'argocd.argoproj.io/sync-wave': String(props.syncWave ?? 0) },
      finalizers: ['resources-finalizer.argocd.argoproj.io'],
    },
    syncPolicy: {
      automated: { prune: true, selfHeal: true },
      ...(props.syncOptions?.length ? { syncOptions: [...props.syncOptions] } : {}),
      retry: { limit: 5, backoff: { duration: '10s', factor: 2, maxDuration: '5m' } },
    },
  };
}

/**
 * A third-party chart delivered by Argo CD: no helm binary runs at synth time, the chart is pinned to
 * an exact version and the values are typed by the caller. Automated sync with prune and self-heal,
 * because in GitOps the repository is the truth and drift is to be undone.
 */
export class HelmApplication<V extends object> extends Construct {
  readonly application: Application;
  /** Images the chart pulls (origin references), from the vendored chart and these values. */
  readonly images: ReadonlyArray<ChartImage>;

  constructor(scope: Construct, id: string, props: HelmApplicationProps<V>) {
    super(scope, id);
    if (!EXACT_VERSION.test(props.chart.version)) {
      throw propError(this, 'chart.version', props.chart.version, 'an exact chart version such as 1.2.3 (no ranges, no "latest")');
    }
    if (!/^(https:\/\/|oci:\/\/)?[a-z0-9.-]+(\/|$)/.test(props.chart.repoURL)) {
      throw propError(this, 'chart.repoURL', props.chart.repoURL, 'an https:// Helm repository or an OCI registry');
    }
    const { images, values } = pinnedChartImages(this, props.chart, props.values, props.registryMirror);
    this.images = images;
    const frame = applicationFrame({
      ...props,
      syncOptions: [...(props.createNamespace === false ? [] : ['CreateNamespace=true']), ...(props.syncOptions ?? [])],
    });
    this.application = new Application(this, 'app', {
      metadata: frame.metadata,
      spec: {
        project: props.project ?? 'default',
        source: {
          repoUrl: props.chart.repoURL,
          chart: props.chart.chart,
          targetRevision: props.chart.version,
          helm: { releaseName: props.name, valuesObject: values },
        },
        destination: { server: props.destinationServer ?? 'https://kubernetes.default.svc', namespace: props.destinationNamespace },
        syncPolicy: frame.syncPolicy,
      },
    });
  }
}
