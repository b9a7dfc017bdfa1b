import { K8sObject, apiGroup } from '../../core/k8s-objects';
import type { Labels } from '../../core/facts/connections';

/** A Service an operator makes for its custom resource: name suffix, the pods it selects, their port. */
interface OperatorService {
  readonly suffix: string;
  readonly pods: (name: string) => Labels;
  readonly port: number;
}

/** The pods of a RedisReplication, by the operator's labels. */
const redisReplicationPods = (name: string): Labels => ({ app: name, redis_setup_type: 'replication', role: 'replication' });

const LOKI_COMPONENTS = ['distributor', 'ingester', 'querier', 'query-frontend', 'compactor', 'index-gateway'] as const;
/** The pods of one component of a LokiStack, by the operator's labels (var.go ComponentLabels). */
const lokiPods = (name: string, component: string): Labels => ({
  'app.kubernetes.io/name': 'lokistack',
  'app.kubernetes.io/instance': name,
  'app.kubernetes.io/component': component,
});

/**
 * Secrets and Services an operator makes for each of its custom resources (from each operator's source
 * at the pinned version): ready at the end of the resource's wave; a host in configuration that names
 * one of these Services implies a connection to the pods it selects.
 */
const OPERATOR_OUTPUTS: ReadonlyArray<{ group: string; kind: string; operator: string; secrets: string[]; services: OperatorService[] }> = [
  {
    group: 'postgresql.cnpg.io',
    kind: 'Cluster',
    operator: 'CloudNativePG',
    secrets: ['-app', '-ca', '-server', '-replication'],
    services: ['-rw', '-ro', '-r'].map((suffix) => ({ suffix, pods: (name) => ({ 'cnpg.io/cluster': name }), port: 5432 })),
  },
  // internal/k8sutils/labels.go, redis-replication.go and redis-sentinel.go (redis-operator v0.25.0).
  {
    group: 'redis.redis.opstreelabs.in',
    kind: 'RedisReplication',
    operator: 'redis-operator',
    secrets: [],
    services: [
      ...['', '-headless', '-additional', '-master', '-replica'].map((suffix) => ({ suffix, pods: redisReplicationPods, port: 6379 })),
      // With its exporter enabled (CreateOrUpdateMetricsService).
      { suffix: '-metrics', pods: redisReplicationPods, port: 9121 },
    ],
  },
  {
    group: 'redis.redis.opstreelabs.in',
    kind: 'RedisSentinel',
    operator: 'redis-operator',
    secrets: [],
    services: ['-sentinel', '-sentinel-headless', '-sentinel-additional'].map((suffix) => ({
      suffix,
      pods: (name) => ({ app: `${name}-sentinel`, redis_setup_type: 'sentinel', role: 'sentinel' }),
      port: 26379,
    })),
  },
  // controllers/resources/resources.go and reconcilers/grafana (grafana-operator v5.24.0); its admin
  // Secret `-admin-credentials` only without disableDefaultAdminSecret, which Parity always sets.
  {
    group: 'grafana.integreatly.org',
    kind: 'Grafana',
    operator: 'grafana-operator',
    secrets: [],
    services: [
      { suffix: '-service', pods: (name) => ({ app: name }), port: 3000 },
      { suffix: '-alerting', pods: (name) => ({ app: name }), port: 9094 },
    ],
  },
  // internal/manifests/var.go and each component's builder (loki operator v0.11.0, gateway off): an
  // HTTP and a gRPC Service per component, and the memberlist ring's headless Service.
  {
    group: 'loki.grafana.com',
    kind: 'LokiStack',
    operator: 'loki-operator',
    secrets: [],
    services: [
      ...LOKI_COMPONENTS.flatMap((component) => [
        { suffix: `-${component}-http`, pods: (name: string) => lokiPods(name, component), port: 3100 },
        { suffix: `-${component}-grpc`, pods: (name: string) => lokiPods(name, component), port: 9095 },
      ]),
      {
        suffix: '-gossip-ring',
        pods: (name) => ({ 'app.kubernetes.io/name': 'lokistack', 'app.kubernetes.io/instance': name, 'loki.grafana.com/gossip': 'true' }),
        port: 7946,
      },
    ],
  },
];

/** What the operator of a custom resource makes for it, if the table knows its kind. */
export function operatorOutputs(o: K8sObject): (typeof OPERATOR_OUTPUTS)[number] | undefined {
  return OPERATOR_OUTPUTS.find((x) => x.kind === o.kind && x.group === apiGroup(o.apiVersion));
}

/** Replicas and requests (as limits) of a LokiStack's components per size (internal/manifests/internal/sizes.go, loki operator v0.11.0). */
const LOKI_SIZES: Readonly<Record<string, ReadonlyArray<{ component: string; replicas: number; cpu?: string; memory?: string }>>> = {
  // One of each, without requests (the namespace's LimitRange defaults apply).
  '1x.demo': ['compactor', 'distributor', 'ingester', 'querier', 'query-frontend', 'index-gateway'].map((component) => ({ component, replicas: 1 })),
  '1x.pico': [
    { component: 'compactor', replicas: 1, cpu: '500m', memory: '500Mi' },
    { component: 'distributor', replicas: 2, cpu: '500m', memory: '500Mi' },
    { component: 'ingester', replicas: 3, cpu: '500m', memory: '3Gi' },
    { component: 'querier', replicas: 2, cpu: '750m', memory: '1.5Gi' },
    { component: 'query-frontend', replicas: 2, cpu: '500m', memory: '500Mi' },
    { component: 'index-gateway', replicas: 2, cpu: '150m', memory: '250Mi' },
  ],
};

/**
 * The pods an operator runs for a custom resource, where the resource decides their number and size
 * (a LokiStack's t-shirt size); undefined for resources whose pods the table does not know.
 */
export function operatorPods(o: K8sObject): ReadonlyArray<{ component: string; replicas: number; cpu?: string; memory?: string }> | undefined {
  if (o.kind !== 'LokiStack' || apiGroup(o.apiVersion) !== 'loki.grafana.com') return undefined;
  return LOKI_SIZES[o.spec?.size];
}
