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
];

/** What the operator of a custom resource makes for it, if the table knows its kind. */
export function operatorOutputs(o: K8sObject): (typeof OPERATOR_OUTPUTS)[number] | undefined {
  return OPERATOR_OUTPUTS.find((x) => x.kind === o.kind && x.group === apiGroup(o.apiVersion));
}
