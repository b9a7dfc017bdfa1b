import { LokiInstance, lokiInstanceEndpoints } from '../../../constructs/k8s/loki-instance';
import { workloadPeer } from '../../../lib/core/facts/connections';
import { FactRegistry } from '../../../lib/core/facts/registry';
import { errorOf, k8sChart, only, synthK8s } from '../helpers';

const props = {
  name: 'logs',
  namespace: 'monitoring',
  size: '1x.pico' as const,
  storage: { secret: 'logs-object-storage', credentialMode: 'token' as const },
  objectStoreHosts: ['s3.us-east-1.amazonaws.com', 'sts.us-east-1.amazonaws.com'],
  storageClass: 'gp3',
};

function chart(withPrometheus = true) {
  const c = k8sChart();
  const facts = FactRegistry.of(c);
  for (const [kind, name] of [
    ['CRD group', 'loki.grafana.com'],
    ['CRD group', 'monitoring.coreos.com'],
    ['StorageClass', 'gp3'],
  ] as const)
    facts.provideName(kind, name, 'test');
  facts.provideWorkload('loki-operator', workloadPeer('monitoring', 'loki-operator', { name: 'loki-operator' }), 'test');
  if (withPrometheus) facts.provideWorkload('prometheus', workloadPeer('monitoring', 'prometheus', { app: 'prometheus' }), 'test');
  return c;
}

describe('LokiInstance', () => {
  it('a LokiStack on the object store Secret, TSDB schema from a fixed day, 30 days retention, limits equal to requests, no operator policies', () => {
    const c = chart();
    new LokiInstance(c, 'loki', { ...props, syncWave: -3 });
    const stack = only(synthK8s(c), 'LokiStack');
    expect(stack.metadata).toMatchObject({ name: 'logs', namespace: 'monitoring', annotations: { 'argocd.argoproj.io/sync-wave': '-3' } });
    expect(stack.spec).toEqual({
      size: '1x.pico',
      storage: {
        secret: { name: 'logs-object-storage', type: 's3', credentialMode: 'token' },
        schemas: [{ version: 'v13', effectiveDate: '2025-01-01' }],
      },
      storageClassName: 'gp3',
      limits: { global: { retention: { days: 30 } } },
      template: { useRequestsAsLimits: true },
      networkPolicies: { ruleSet: 'None' },
    });
  });

  it('pushes go to the distributor and queries to the query frontend, both naming the tenant', () => {
    const c = chart();
    const loki = new LokiInstance(c, 'loki', { ...props, tenant: 'axiom' });
    expect(loki.push).toMatchObject({ service: 'logs-distributor-http', port: 3100, headers: { 'X-Scope-OrgID': 'axiom' } });
    expect(loki.push.workload.podLabels).toEqual({
      'app.kubernetes.io/name': 'lokistack',
      'app.kubernetes.io/instance': 'logs',
      'app.kubernetes.io/component': 'distributor',
    });
    expect(loki.query).toMatchObject({ service: 'logs-query-frontend-http', port: 3100, headers: { 'X-Scope-OrgID': 'axiom' } });
    expect(lokiInstanceEndpoints('monitoring', 'logs', 'axiom')).toEqual({ peer: loki.peer, push: loki.push, query: loki.query });
  });

  it('declares the ring between its components, the object store and the scrape; a ServiceMonitor on the operator’s metrics ports', () => {
    const c = chart();
    const loki = new LokiInstance(c, 'loki', props);
    const flows = FactRegistry.of(c)
      .connections()
      .map(
        ({ connection: x }) =>
          `${x.from.kind === 'workload' ? x.from.name : x.from.kind} -> ${x.to.kind === 'external' ? x.to.host : x.to.kind === 'workload' ? x.to.name : x.to.kind} ${x.ports.map((p) => p.port).join(',')}`,
      );
    expect(flows).toEqual([
      'monitoring/logs -> monitoring/logs 3100,9095,7946',
      'monitoring/logs -> s3.us-east-1.amazonaws.com 443',
      'monitoring/logs -> sts.us-east-1.amazonaws.com 443',
      'monitoring/prometheus -> monitoring/logs 3100',
    ]);
    expect(loki.peer.podLabels['loki.grafana.com/gossip']).toBe('true');
    const monitor = only(synthK8s(c), 'ServiceMonitor');
    expect(monitor.spec.endpoints).toEqual([{ port: 'metrics', path: '/metrics', interval: '30s' }]);
    // Without Prometheus, no monitor to reconcile.
    const bare = chart(false);
    new LokiInstance(bare, 'loki', props);
    expect(synthK8s(bare).some((o) => o.kind === 'ServiceMonitor')).toBe(false);
  });

  it('rejects sizes the rehearsal cannot count, no object store host, a bad retention or tenant', () => {
    expect(errorOf(() => new LokiInstance(chart(), 'l', { ...props, size: '1x.medium' as any }))).toContain(
      'prop "size" is "1x.medium"; expected one of 1x.demo, 1x.pico',
    );
    expect(errorOf(() => new LokiInstance(chart(), 'l', { ...props, objectStoreHosts: [] }))).toContain('prop "objectStoreHosts" is []');
    expect(errorOf(() => new LokiInstance(chart(), 'l', { ...props, retentionDays: 0 }))).toContain('prop "retentionDays" is 0');
    expect(errorOf(() => new LokiInstance(chart(), 'l', { ...props, tenant: 'a tenant' }))).toContain('prop "tenant" is "a tenant"');
  });
});
