import { Construct } from 'constructs';
import {
  TempoMonolithic,
  TempoMonolithicSpecResourcesLimits as Limit,
  TempoMonolithicSpecResourcesRequests as Request,
  TempoMonolithicSpecStorageTracesBackend as Backend,
  TempoMonolithicSpecStorageTracesSize as Size,
} from '../../imports/tempo.grafana.com';
import { ServiceEndpoint, WorkloadPeer, serviceEndpoint, workloadPeer } from '../../lib/core/facts/connections';
import { FactRegistry } from '../../lib/core/facts/registry';
import { SYNC_WAVE_ANNOTATION } from '../../lib/core/facts/waves';
import { hardenedPod } from './container-defaults';
import { propError } from '../props';

/** Tempo's ports in the operator's Service (internal/manifests/manifestutils/constants.go). */
export const TEMPO_PORTS = { http: 3200, otlpGrpc: 4317, otlpHttp: 4318 } as const;
/** The user of Grafana's Tempo image. */
const TEMPO_UID = 10001;

/**
 * The pods of the TempoMonolithic `name` and the endpoints of its Service (monolithic/labels.go,
 * naming.Name: `tempo-<name>`): queries (Grafana) and OTLP over gRPC (the collector).
 */
export function tempoInstanceEndpoints(namespace: string, name: string): { peer: WorkloadPeer; http: ServiceEndpoint; otlpGrpc: ServiceEndpoint } {
  const peer = workloadPeer(namespace, `tempo-${name}`, {
    'app.kubernetes.io/name': 'tempo-monolithic',
    'app.kubernetes.io/instance': name,
    'app.kubernetes.io/managed-by': 'tempo-operator',
    'app.kubernetes.io/component': 'tempo',
  });
  const service = `tempo-${name}`;
  return { peer, http: serviceEndpoint(service, TEMPO_PORTS.http, peer), otlpGrpc: serviceEndpoint(service, TEMPO_PORTS.otlpGrpc, peer) };
}

export interface TempoInstanceProps {
  /** Name of the TempoMonolithic; the operator's Service is `tempo-<name>`. */
  readonly name: string;
  readonly namespace: string;
  /** Size of the traces volume, e.g. "20Gi". */
  readonly storageSize: string;
  /** @default the cluster's default StorageClass */
  readonly storageClass?: string;
  /** How long traces are kept, as Tempo spells durations. @default '720h' (30 days) */
  readonly retention?: string;
  /**
   * Prometheus's remote write URL: Tempo's metrics generator writes span metrics and the service graph
   * there (with exemplars), which Grafana's service map reads. @default none (no metrics generator)
   */
  readonly metricsRemoteWriteUrl?: string;
  /** @default 200m / 1Gi requests, 1 / 2Gi limits */
  readonly resources?: { readonly requests: { cpu: string; memory: string }; readonly limits: { cpu: string; memory: string } };
  /** @default none */
  readonly syncWave?: number;
}

/**
 * Tempo run by Grafana's Tempo operator as a TempoMonolithic (add-on `tempo`): traces on a persistent
 * volume, OTLP over gRPC and HTTP, no Jaeger UI (Grafana is the UI), no multi-tenancy gateway. The
 * operator's container is read-only and capability-free; the pod here runs non-root with RuntimeDefault
 * seccomp, so the whole pod is at Pod Security "restricted".
 */
export class TempoInstance extends Construct {
  readonly peer: WorkloadPeer;
  /** Queries (Grafana). */
  readonly http: ServiceEndpoint;
  /** OTLP over gRPC (the collector). */
  readonly otlpGrpc: ServiceEndpoint;

  constructor(scope: Construct, id: string, props: TempoInstanceProps) {
    super(scope, id);
    if (!/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(props.name) || props.name.length > 40)
      throw propError(this, 'name', props.name, 'a DNS label of at most 40 characters');
    if (!/^\d+Gi$/.test(props.storageSize)) throw propError(this, 'storageSize', props.storageSize, 'a size in Gi such as 20Gi');
    const retention = props.retention ?? '720h';
    if (!/^\d+h$/.test(retention)) throw propError(this, 'retention', retention, 'hours such as 720h');
    const res = props.resources ?? { requests: { cpu: '200m', memory: '1Gi' }, limits: { cpu: '1', memory: '2Gi' } };
    const ns = props.namespace;
    ({ peer: this.peer, http: this.http, otlpGrpc: this.otlpGrpc } = tempoInstanceEndpoints(ns, props.name));

    const facts = FactRegistry.of(this);
    const by = this.node.path;
    facts.name('CRD group', 'tempo.grafana.com', `${by} (TempoMonolithic)`);
    if (props.storageClass) facts.name('StorageClass', props.storageClass, `${by} (storage)`);
    // Nothing reconciles a TempoMonolithic without the operator.
    facts.workload('tempo-operator', by);

    new TempoMonolithic(this, 'tempo', {
      metadata: {
        name: props.name,
        namespace: ns,
        annotations: props.syncWave !== undefined ? { [SYNC_WAVE_ANNOTATION]: String(props.syncWave) } : undefined,
      },
      spec: {
        storage: {
          traces: { backend: Backend.PV, size: Size.fromString(props.storageSize), storageClassName: props.storageClass },
        },
        ingestion: { otlp: { grpc: { enabled: true }, http: { enabled: true } } },
        jaegerui: { enabled: false },
        podSecurityContext: hardenedPod(TEMPO_UID),
        resources: {
          requests: { cpu: Request.fromString(res.requests.cpu), memory: Request.fromString(res.requests.memory) },
          limits: { cpu: Limit.fromString(res.limits.cpu), memory: Limit.fromString(res.limits.memory) },
        },
        // Tempo's own configuration, overlaid on the operator's: retention, and the metrics generator.
        extraConfig: {
          tempo: {
            compactor: { compaction: { block_retention: retention } },
            ...(props.metricsRemoteWriteUrl
              ? {
                  metrics_generator: {
                    storage: { path: '/var/tempo/generator/wal', remote_write: [{ url: props.metricsRemoteWriteUrl, send_exemplars: true }] },
                  },
                  overrides: { defaults: { metrics_generator: { processors: ['service-graphs', 'span-metrics'] } } },
                }
              : {}),
          },
        },
      },
    });
  }
}
