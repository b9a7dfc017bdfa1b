import { Construct } from 'constructs';
import {
  RedisReplication,
  RedisReplicationSpecKubernetesConfigResourcesLimits as Limit,
  RedisReplicationSpecKubernetesConfigResourcesRequests as Request,
  RedisReplicationSpecStorageVolumeClaimTemplateSpecResourcesRequests as StorageRequest,
  RedisReplicationSpecRedisExporterResourcesLimits as ExporterLimit,
  RedisReplicationSpecRedisExporterResourcesRequests as ExporterRequest,
  RedisSentinel,
  RedisSentinelSpecKubernetesConfigResourcesLimits as SentinelLimit,
  RedisSentinelSpecKubernetesConfigResourcesRequests as SentinelRequest,
} from '../../imports/redis.redis.opstreelabs.in';
import { ServiceEndpoint, WorkloadPeer, workloadPeer } from '../../lib/core/facts/connections';
import { FactRegistry } from '../../lib/core/facts/registry';
import { ServiceMonitor } from '../../imports/monitoring.coreos.com';
import { SYNC_WAVE_ANNOTATION } from '../../lib/core/facts/waves';
import { parseImageRef } from '../image';
import { propError } from '../props';

const REDIS_PORT = 6379;
const SENTINEL_PORT = 26379;
/** The exporter sidecar's port and its name on the operator's metrics Service (common/constants.go). */
const EXPORTER = { port: 9121, name: 'redis-exporter' } as const;
/** The user of OT-CONTAINER-KIT's redis and redis-sentinel images. */
const REDIS_UID = 1000;

export interface ReplicatedRedisProps {
  /** Name of the RedisReplication; the Sentinel group is `<name>-sentinel`, clients call `<name>-master`. */
  readonly name: string;
  readonly namespace: string;
  /** OT-CONTAINER-KIT's redis image (its entrypoint writes the operator's configuration), pinned. */
  readonly image: string;
  /** OT-CONTAINER-KIT's redis-sentinel image, pinned. */
  readonly sentinelImage: string;
  /** The Secret and key with the password of Redis and of Sentinel. */
  readonly password: { readonly secret: string; readonly key: string };
  /** Size of each Redis pod's volume (append-only file and snapshots), e.g. "5Gi". */
  readonly storageSize: string;
  /** @default the cluster's default StorageClass */
  readonly storageClass?: string;
  /** Redis pods: one master, the rest replicas; failover needs at least one replica. @default 3 */
  readonly replicas?: number;
  /** Sentinels, an odd number of at least three: a majority elects the new master. @default 3 */
  readonly sentinels?: number;
  /** @default 100m / 256Mi requests, 1 / 1Gi limits */
  readonly resources?: { readonly requests: { cpu: string; memory: string }; readonly limits: { cpu: string; memory: string } };
  /**
   * OT-CONTAINER-KIT's redis-exporter image: a metrics sidecar in every Redis pod, scraped by the
   * environment's Prometheus (a ServiceMonitor on the operator's `<name>-metrics` Service). @default none
   */
  readonly exporterImage?: string;
  /** @default 0 */
  readonly syncWave?: number;
}

/**
 * Redis with replication and automatic failover through OT-CONTAINER-KIT's operator (add-on
 * `redis-operator`): a RedisReplication (one master, replicas streaming from it, persistent volumes)
 * watched by a RedisSentinel group that promotes a replica when the master fails; the operator moves
 * the `redis-role=master` label, so clients keep calling one Service (`<name>-master`) and need no
 * Sentinel support. Pods run non-root with no capabilities or privilege escalation; their root
 * filesystem stays writable because the images' entrypoints write the generated configuration there.
 */
export class ReplicatedRedis extends Construct {
  /** The master's Service, for clients. */
  readonly endpoint: ServiceEndpoint;
  /** Every Redis pod. */
  readonly peer: WorkloadPeer;
  /** Every Sentinel pod. */
  readonly sentinelPeer: WorkloadPeer;

  constructor(scope: Construct, id: string, props: ReplicatedRedisProps) {
    super(scope, id);
    const replicas = props.replicas ?? 3;
    const sentinels = props.sentinels ?? 3;
    if (!Number.isInteger(replicas) || replicas < 2)
      throw propError(this, 'replicas', replicas, 'a whole number of at least 2 (a master and a replica to fail over to)');
    if (!Number.isInteger(sentinels) || sentinels < 3 || sentinels % 2 === 0)
      throw propError(this, 'sentinels', sentinels, 'an odd whole number of at least 3 (a majority elects the new master)');
    parseImageRef(props.image, this, 'image');
    parseImageRef(props.sentinelImage, this, 'sentinelImage');
    if (props.exporterImage) parseImageRef(props.exporterImage, this, 'exporterImage');
    const res = props.resources ?? { requests: { cpu: '100m', memory: '256Mi' }, limits: { cpu: '1', memory: '1Gi' } };
    const ns = props.namespace;
    const sentinelName = `${props.name}-sentinel`;
    // The operator's labels (internal/k8sutils/labels.go): app, redis_setup_type, role.
    this.peer = workloadPeer(ns, props.name, { app: props.name, redis_setup_type: 'replication', role: 'replication' });
    this.sentinelPeer = workloadPeer(ns, sentinelName, { app: sentinelName, redis_setup_type: 'sentinel', role: 'sentinel' });
    this.endpoint = { namespace: ns, service: `${props.name}-master`, port: REDIS_PORT, targetPort: REDIS_PORT, workload: this.peer };

    const facts = FactRegistry.of(this);
    const by = this.node.path;
    facts.name('CRD group', 'redis.redis.opstreelabs.in', `${by} (RedisReplication, RedisSentinel)`);
    if (props.storageClass) facts.name('StorageClass', props.storageClass, `${by} (storage)`);
    const operator = facts.workload('redis-operator', by);
    facts.connect({ from: operator, to: this.peer, ports: [{ port: REDIS_PORT }], purpose: 'operator sets up replication, finds the master' }, by);
    facts.connect({ from: operator, to: this.sentinelPeer, ports: [{ port: SENTINEL_PORT }], purpose: 'operator asks Sentinel for the master' }, by);
    facts.connect({ from: this.peer, to: this.peer, ports: [{ port: REDIS_PORT }], purpose: 'replicas stream from the master' }, by);
    facts.connect({ from: this.sentinelPeer, to: this.peer, ports: [{ port: REDIS_PORT }], purpose: 'Sentinel monitors and promotes' }, by);
    facts.connect({ from: this.sentinelPeer, to: this.sentinelPeer, ports: [{ port: SENTINEL_PORT }], purpose: 'Sentinels agree on failover' }, by);
    // The pre-stop hook of a master asks Sentinel to fail over before the pod goes.
    facts.connect({ from: this.peer, to: this.sentinelPeer, ports: [{ port: SENTINEL_PORT }], purpose: 'master hands over on shutdown' }, by);

    const metadata = (name: string) => ({
      name,
      namespace: ns,
      annotations: props.syncWave !== undefined ? { [SYNC_WAVE_ANNOTATION]: String(props.syncWave) } : undefined,
    });
    const pod = { runAsNonRoot: true, runAsUser: REDIS_UID, runAsGroup: REDIS_UID, fsGroup: REDIS_UID, seccompProfile: { type: 'RuntimeDefault' } };
    const container = { allowPrivilegeEscalation: false, readOnlyRootFilesystem: false, runAsNonRoot: true, capabilities: { drop: ['ALL'] } };
    const secret = { name: props.password.secret, key: props.password.key };
    new RedisReplication(this, 'replication', {
      metadata: metadata(props.name),
      spec: {
        clusterSize: replicas,
        kubernetesConfig: {
          image: props.image,
          imagePullPolicy: 'IfNotPresent',
          redisSecret: secret,
          resources: {
            requests: { cpu: Request.fromString(res.requests.cpu), memory: Request.fromString(res.requests.memory) },
            limits: { cpu: Limit.fromString(res.limits.cpu), memory: Limit.fromString(res.limits.memory) },
          },
        },
        storage: {
          volumeClaimTemplate: {
            spec: {
              accessModes: ['ReadWriteOnce'],
              storageClassName: props.storageClass,
              resources: { requests: { storage: StorageRequest.fromString(props.storageSize) } },
            },
          },
        },
        podSecurityContext: pod,
        securityContext: container,
        pdb: { enabled: true, maxUnavailable: 1 },
        redisExporter: props.exporterImage
          ? {
              enabled: true,
              image: props.exporterImage,
              imagePullPolicy: 'IfNotPresent',
              port: EXPORTER.port,
              // The exporter writes nothing: its root filesystem can be read-only.
              securityContext: { ...container, readOnlyRootFilesystem: true },
              resources: {
                requests: { cpu: ExporterRequest.fromString('10m'), memory: ExporterRequest.fromString('32Mi') },
                limits: { cpu: ExporterLimit.fromString('100m'), memory: ExporterLimit.fromString('128Mi') },
              },
            }
          : undefined,
      },
    });
    if (props.exporterImage && facts.hasWorkload('prometheus')) {
      facts.name('CRD group', 'monitoring.coreos.com', `${by} (ServiceMonitor)`);
      new ServiceMonitor(this, 'service-monitor', {
        metadata: metadata(props.name),
        spec: {
          selector: { matchLabels: { app: props.name, 'app.kubernetes.io/component': 'metrics' } },
          endpoints: [{ port: EXPORTER.name, interval: '30s' }],
        },
      });
      facts.scrape(this.peer, EXPORTER.port, by);
    }
    new RedisSentinel(this, 'sentinel', {
      metadata: metadata(props.name),
      spec: {
        clusterSize: sentinels,
        redisSentinelConfig: { redisReplicationName: props.name, redisReplicationPassword: { secretKeyRef: secret } },
        kubernetesConfig: {
          image: props.sentinelImage,
          imagePullPolicy: 'IfNotPresent',
          redisSecret: secret,
          resources: {
            requests: { cpu: SentinelRequest.fromString('50m'), memory: SentinelRequest.fromString('64Mi') },
            limits: { cpu: SentinelLimit.fromString('200m'), memory: SentinelLimit.fromString('128Mi') },
          },
        },
        podSecurityContext: pod,
        securityContext: container,
        pdb: { enabled: true, maxUnavailable: 1 },
      },
    });
  }
}
