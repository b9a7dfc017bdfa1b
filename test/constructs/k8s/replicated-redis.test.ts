import { ReplicatedRedis, ReplicatedRedisProps } from '../../../constructs/k8s/replicated-redis';
import { workloadPeer } from '../../../lib/core/facts/connections';
import { FactRegistry } from '../../../lib/core/facts/registry';
import { errorOf, k8sChart, only, synthK8s } from '../helpers';

function chart() {
  const c = k8sChart();
  FactRegistry.of(c).provideWorkload('redis-operator', workloadPeer('redis-operator', 'redis-operator', { name: 'redis-operator' }), 'test');
  FactRegistry.of(c).provideName('CRD group', 'redis.redis.opstreelabs.in', 'test');
  FactRegistry.of(c).provideName('StorageClass', 'ceph-block', 'test');
  return c;
}

const props: ReplicatedRedisProps = {
  name: 'cache',
  namespace: 'app',
  image: 'quay.io/opstree/redis:v7.0.15',
  sentinelImage: 'quay.io/opstree/redis-sentinel:v7.0.15',
  password: { secret: 'cache-auth', key: 'password' },
  storageSize: '5Gi',
};

describe('ReplicatedRedis', () => {
  it('defaults: three Redis pods with persistent volumes watched by three Sentinels, both with the password, hardened and disruption-budgeted', () => {
    const c = chart();
    const redis = new ReplicatedRedis(c, 'redis', props);
    const objects = synthK8s(c);
    const rr = only(objects, 'RedisReplication');
    expect(rr.spec).toMatchObject({
      clusterSize: 3,
      kubernetesConfig: { image: props.image, redisSecret: { name: 'cache-auth', key: 'password' } },
      storage: { volumeClaimTemplate: { spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '5Gi' } } } } },
      pdb: { enabled: true, maxUnavailable: 1 },
    });
    const rs = only(objects, 'RedisSentinel');
    expect(rs.spec).toMatchObject({
      clusterSize: 3,
      redisSentinelConfig: { redisReplicationName: 'cache', redisReplicationPassword: { secretKeyRef: { name: 'cache-auth', key: 'password' } } },
      kubernetesConfig: { image: props.sentinelImage, redisSecret: { name: 'cache-auth', key: 'password' } },
    });
    // Pod Security "restricted" for both: non-root, no privilege escalation, no capabilities, RuntimeDefault seccomp.
    for (const spec of [rr.spec, rs.spec]) {
      expect(spec.podSecurityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 1000, seccompProfile: { type: 'RuntimeDefault' } });
      expect(spec.securityContext).toMatchObject({ allowPrivilegeEscalation: false, runAsNonRoot: true, capabilities: { drop: ['ALL'] } });
    }
    // Clients call the master's Service, which the operator keeps on the current master.
    expect(redis.endpoint).toMatchObject({ namespace: 'app', service: 'cache-master', port: 6379, targetPort: 6379 });
    expect(redis.peer.podLabels).toEqual({ app: 'cache', redis_setup_type: 'replication', role: 'replication' });
    expect(redis.sentinelPeer.podLabels).toEqual({ app: 'cache-sentinel', redis_setup_type: 'sentinel', role: 'sentinel' });
  });

  it('declares what replication and failover need on the network: operator, replicas, Sentinels', () => {
    const c = chart();
    new ReplicatedRedis(c, 'redis', props);
    const flows = FactRegistry.of(c)
      .connections()
      .map(
        ({ connection: x }) =>
          `${x.from.kind === 'workload' ? x.from.name : x.from.kind} -> ${x.to.kind === 'workload' ? x.to.name : x.to.kind}:${x.ports.map((p) => p.port)}`,
      );
    expect(flows).toEqual([
      'redis-operator/redis-operator -> app/cache:6379',
      'redis-operator/redis-operator -> app/cache-sentinel:26379',
      'app/cache -> app/cache:6379',
      'app/cache-sentinel -> app/cache:6379',
      'app/cache-sentinel -> app/cache-sentinel:26379',
      'app/cache -> app/cache-sentinel:26379',
    ]);
  });

  it('options: replicas, sentinels, storage class, resources, sync wave', () => {
    const c = chart();
    new ReplicatedRedis(c, 'redis', {
      ...props,
      replicas: 2,
      sentinels: 5,
      storageClass: 'ceph-block',
      resources: { requests: { cpu: '1', memory: '2Gi' }, limits: { cpu: '2', memory: '4Gi' } },
      syncWave: 1,
    });
    const objects = synthK8s(c);
    const rr = only(objects, 'RedisReplication');
    expect(rr.metadata.annotations).toEqual({ 'argocd.argoproj.io/sync-wave': '1' });
    expect(rr.spec.clusterSize).toBe(2);
    expect(rr.spec.storage.volumeClaimTemplate.spec.storageClassName).toBe('ceph-block');
    expect(rr.spec.kubernetesConfig.resources).toEqual({ requests: { cpu: '1', memory: '2Gi' }, limits: { cpu: '2', memory: '4Gi' } });
    expect(only(objects, 'RedisSentinel').spec.clusterSize).toBe(5);
  });

  it('option: exporterImage, a hardened metrics sidecar scraped through the operator’s metrics Service where Prometheus runs', () => {
    const c = chart();
    FactRegistry.of(c).provideWorkload('prometheus', workloadPeer('monitoring', 'prometheus', { app: 'prometheus' }), 'test');
    FactRegistry.of(c).provideName('CRD group', 'monitoring.coreos.com', 'test');
    new ReplicatedRedis(c, 'redis', { ...props, exporterImage: 'quay.io/opstree/redis-exporter:v1.44.0' });
    const objects = synthK8s(c);
    expect(only(objects, 'RedisReplication').spec.redisExporter).toMatchObject({
      enabled: true,
      image: 'quay.io/opstree/redis-exporter:v1.44.0',
      port: 9121,
      securityContext: { readOnlyRootFilesystem: true, runAsNonRoot: true, allowPrivilegeEscalation: false },
    });
    expect(only(objects, 'ServiceMonitor').spec).toEqual({
      selector: { matchLabels: { app: 'cache', 'app.kubernetes.io/component': 'metrics' } },
      endpoints: [{ port: 'redis-exporter', interval: '30s' }],
    });
    const scraped = FactRegistry.of(c)
      .connections()
      .find(({ connection: x }) => x.from.kind === 'workload' && x.from.name === 'monitoring/prometheus')!.connection;
    expect([scraped.to.kind === 'workload' && scraped.to.name, scraped.ports]).toEqual(['app/cache', [{ port: 9121 }]]);
    // Without Prometheus, the sidecar alone.
    const bare = chart();
    new ReplicatedRedis(bare, 'redis', { ...props, exporterImage: 'quay.io/opstree/redis-exporter:v1.44.0' });
    expect(synthK8s(bare).filter((o) => o.kind === 'ServiceMonitor')).toEqual([]);
  });

  it('rejects what cannot fail over: one Redis pod, an even or too small Sentinel group, an untagged image', () => {
    expect(errorOf(() => new ReplicatedRedis(chart(), 'redis', { ...props, replicas: 1 }))).toMatch(
      /prop "replicas" is 1; expected a whole number of at least 2 \(a master and a replica to fail over to\)$/,
    );
    expect(errorOf(() => new ReplicatedRedis(chart(), 'redis', { ...props, sentinels: 4 }))).toMatch(
      /prop "sentinels" is 4; expected an odd whole number of at least 3/,
    );
    expect(errorOf(() => new ReplicatedRedis(chart(), 'redis', { ...props, image: 'quay.io/opstree/redis' }))).toMatch(/image/);
  });

  it('needs the operator, its CRDs and the StorageClass to be provided', () => {
    expect(errorOf(() => new ReplicatedRedis(k8sChart(), 'redis', props))).toMatch(/needs CRD group "redis.redis.opstreelabs.in"/);
    const c = k8sChart();
    FactRegistry.of(c).provideName('CRD group', 'redis.redis.opstreelabs.in', 'test');
    expect(errorOf(() => new ReplicatedRedis(c, 'redis', props))).toMatch(/redis-operator/);
    expect(errorOf(() => new ReplicatedRedis(chart(), 'redis', { ...props, storageClass: 'gp2' }))).toMatch(/needs StorageClass "gp2"/);
  });
});
