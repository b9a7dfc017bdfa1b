import { REDIS_OPERATOR_IMAGES } from './chart-images';
import { HARDENED_CONTAINER, hardenedPod } from '../constructs/k8s/container-defaults';
import { ChartWorkload, chartWorkloadPeer } from '../lib/core/facts/chart-facts';
import { WAVES } from '../lib/core/facts/waves';
import { HelmAddOn } from './helm-addon';

const NS = 'redis-operator';
/** The operator's Deployment, selected by the chart's `name` label. */
const OPERATOR: ChartWorkload = { name: 'redis-operator', kind: 'Deployment', podSecurity: 'restricted', podLabels: { name: 'redis-operator' } };
/** Fact name other modules look the operator up by (ReplicatedRedis). */
export const REDIS_OPERATOR_WORKLOAD = 'redis-operator' as const;

/**
 * OT-CONTAINER-KIT's Redis operator (the Axiom design: operators for the stateful services): Redis
 * replication with Sentinel failover as custom resources (ReplicatedRedis). It watches every namespace
 * with cluster-scoped RBAC; its mutating webhook (pod anti-affinity between master and replicas) stays
 * off, so a down operator never blocks pod creation. Hardened: the chart's defaults set no security context.
 */
export const redisOperator = new HelmAddOn({
  id: 'redis-operator',
  description: 'Redis operator: replicated Redis with Sentinel failover',
  namespace: NS,
  syncWave: WAVES.operators,
  // Its CRDs exceed what client-side apply's last-applied annotation holds (REH-024).
  syncOptions: ['ServerSideApply=true'],
  chart: () => ({
    repoURL: 'https://ot-container-kit.github.io/helm-charts',
    chart: 'redis-operator',
    version: '0.25.0',
    images: REDIS_OPERATOR_IMAGES,
  }),
  values: () => ({
    redisOperator: { imagePullPolicy: 'IfNotPresent', webhook: false, metrics: { enabled: true, bindAddress: ':8080' } },
    podSecurityContext: hardenedPod(65532),
    securityContext: HARDENED_CONTAINER,
    resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '500m', memory: '500Mi' } },
  }),
  facts: () => ({
    crds: [{ group: 'redis.redis.opstreelabs.in', kinds: ['Redis', 'RedisCluster', 'RedisReplication', 'RedisSentinel'] }],
    workloads: [OPERATOR],
    connections: [
      { from: chartWorkloadPeer(NS, OPERATOR), to: { kind: 'api-server' }, ports: [], purpose: 'reconciles Redis resources, labels the master pod' },
    ],
  }),
  publish: (facts) => facts.provideWorkload(REDIS_OPERATOR_WORKLOAD, chartWorkloadPeer(NS, OPERATOR), 'add-on redis-operator'),
});
