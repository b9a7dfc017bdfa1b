import { Construct } from 'constructs';
import { Application } from '../../imports/argoproj.io';
import { propError } from '../props';

/** A Helm chart at an exact version; ranges would make two syncs of the same commit differ. */
export interface PinnedChart {
  /** Helm repository URL (https:// or an OCI registry host for `oci://`-style sources). */
  readonly repoURL: string;
  readonly chart: string;
  /** Exact chart version, e.g. "3.12.2". */
  readonly version: string;
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
   * Extra sync options, e.g. "ServerSideApply=true" for charts with large CRDs.
   * @default []
   */
  readonly syncOptions?: ReadonlyArray<string>;
}

const EXACT_VERSION = /^v?\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$/;

/**
 * A third-party chart delivered by Argo CD: no helm binary runs at synth time, the chart is pinned to
 * an exact version and the values are typed by the caller. Automated sync with prune and self-heal,
 * because in GitOps the repository is the truth and drift is to be undone.
 */
export class HelmApplication<V extends object> extends Construct {
  readonly application: Application;

  constructor(scope: Construct, id: string, props: HelmApplicationProps<V>) {
    super(scope, id);
    if (!EXACT_VERSION.test(props.chart.version)) {
      throw propError(this, 'chart.version', props.chart.version, 'an exact chart version such as 1.2.3 (no ranges, no "latest")');
    }
    if (!/^(https:\/\/|oci:\/\/)?[a-z0-9.-]+(\/|$)/.test(props.chart.repoURL)) {
      throw propError(this, 'chart.repoURL', props.chart.repoURL, 'an https:// Helm repository or an OCI registry');
    }
    this.application = new Application(this, 'app', {
      metadata: {
        name: props.name,
        namespace: props.argoNamespace ?? 'argocd',
        annotations: { 'argocd.argoproj.io/sync-wave': String(props.syncWave ?? 0) },
        finalizers: ['resources-finalizer.argocd.argoproj.io'],
      },
      spec: {
        project: props.project ?? 'default',
        source: {
          repoUrl: props.chart.repoURL,
          chart: props.chart.chart,
          targetRevision: props.chart.version,
          helm: { releaseName: props.name, valuesObject: props.values },
        },
        destination: { server: props.destinationServer ?? 'https://kubernetes.default.svc', namespace: props.destinationNamespace },
        syncPolicy: {
          automated: { prune: true, selfHeal: true },
          syncOptions: ['CreateNamespace=true', ...(props.syncOptions ?? [])],
          retry: { limit: 5, backoff: { duration: '10s', factor: 2, maxDuration: '5m' } },
        },
      },
    });
  }
}
