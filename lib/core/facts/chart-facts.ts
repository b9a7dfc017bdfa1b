import { Connection, Labels, WorkloadPeer, workloadPeer } from './connections';

export type PodSecurityLevel = 'restricted' | 'baseline' | 'privileged';

export const POD_SECURITY_ORDER: ReadonlyArray<PodSecurityLevel> = ['restricted', 'baseline', 'privileged'];

/** Pods a chart runs, as the pinned chart renders them with the add-on's values. */
export interface ChartWorkload {
  /** Name in reports, e.g. "node-exporter". */
  readonly name: string;
  /** @default the release namespace */
  readonly namespace?: string;
  readonly kind: 'Deployment' | 'StatefulSet' | 'DaemonSet' | 'Job';
  readonly podLabels: Labels;
  /** Lowest Pod Security level that admits its pods. */
  readonly podSecurity: PodSecurityLevel;
  /** What in the chart's template needs that level (host network, hostPath, privileged). @default none */
  readonly podSecurityReason?: string;
  /** @default 1 (DaemonSets: one per node) */
  readonly replicas?: number;
  /** Claims it makes, by StorageClass name (from the values). @default [] */
  readonly claims?: ReadonlyArray<{ readonly storageClass: string; readonly size: string }>;
  /** Secrets its pods mount or read that the chart does not create itself. @default [] */
  readonly readsSecrets?: ReadonlyArray<string>;
}

export interface ChartService {
  readonly name: string;
  /** @default the release namespace */
  readonly namespace?: string;
  readonly ports: ReadonlyArray<{ readonly port: number; readonly targetPort: number }>;
  /** Name of the ChartWorkload it selects. */
  readonly workload: string;
}

/**
 * What a pinned chart deploys, as typed facts: the deploy rehearsal treats each as present once the
 * chart's Application is healthy. Declared per add-on from the chart's templates at the pinned version;
 * `test/chart-facts.test.ts` checks the CRD groups and host-access claims against ../shared/charts.
 */
export interface ChartFacts {
  /** CRDs the chart installs, by API group. @default [] */
  readonly crds?: ReadonlyArray<{ readonly group: string; readonly kinds: ReadonlyArray<string> }>;
  /** @default [] */
  readonly workloads?: ReadonlyArray<ChartWorkload>;
  /** @default [] */
  readonly services?: ReadonlyArray<ChartService>;
  /** Secrets the chart itself creates (namespace/name). @default [] */
  readonly secrets?: ReadonlyArray<string>;
  /** @default [] */
  readonly storageClasses?: ReadonlyArray<{ readonly name: string; readonly provisioner: string }>;
  /** @default [] */
  readonly ingressClasses?: ReadonlyArray<string>;
  /** Namespaces other than the release namespace that the chart deploys into. @default [] */
  readonly extraNamespaces?: ReadonlyArray<string>;
  /**
   * A step outside Git without which the Application never becomes healthy on a fresh cluster
   * (e.g. a sealed Vault failing its readiness probe). @default none
   */
  readonly healthBlockedBy?: string;
  /** The chart approves kubelet serving-certificate CSRs (needed with serverTLSBootstrap). @default false */
  readonly approvesKubeletServingCertificates?: boolean;
  /** Images the chart's pods pull, as origin references (`docker.io/grafana/loki:3.3.2`). @default [] */
  readonly images?: ReadonlyArray<string>;
  /** Connections the chart's pods make or receive. @default [] */
  readonly connections?: ReadonlyArray<Connection>;
  /** Hosts the chart routes with Ingresses of its own (a chart's `ingress` values). @default [] */
  readonly routes?: ReadonlyArray<ChartRoute>;
}

/** A host a chart's own Ingress routes, to the Service behind it, with its certificate. */
export interface ChartRoute {
  readonly host: string;
  /** namespace/name:port of the Service it routes to. */
  readonly service: string;
  /** @default none: the ingress's default certificate */
  readonly tlsSecret?: string;
  readonly clusterIssuer?: string;
}

/** The workload peer of a chart workload (namespace defaults to the release namespace). */
export function chartWorkloadPeer(releaseNamespace: string, w: ChartWorkload): WorkloadPeer {
  return workloadPeer(w.namespace ?? releaseNamespace, w.name, w.podLabels);
}
