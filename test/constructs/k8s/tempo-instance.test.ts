import { TempoInstance, TempoInstanceProps } from '../../../constructs/k8s/tempo-instance';
import { workloadPeer } from '../../../lib/core/facts/connections';
import { FactRegistry } from '../../../lib/core/facts/registry';
import { errorOf, k8sChart, only, synthK8s } from '../helpers';

function chart() {
  const c = k8sChart();
  FactRegistry.of(c).provideWorkload(
    'tempo-operator',
    workloadPeer('monitoring', 'tempo-operator', { 'control-plane': 'controller-manager' }),
    'test',
  );
  FactRegistry.of(c).provideName('CRD group', 'tempo.grafana.com', 'test');
  FactRegistry.of(c).provideName('StorageClass', 'gp3', 'test');
  return c;
}

const props: TempoInstanceProps = { name: 'traces', namespace: 'monitoring', storageSize: '20Gi' };

describe('TempoInstance', () => {
  it('a TempoMonolithic: traces on a volume for 30 days, OTLP over gRPC and HTTP, no Jaeger UI, restricted pod', () => {
    const c = chart();
    const t = new TempoInstance(c, 'tempo', props);
    const spec = only(synthK8s(c), 'TempoMonolithic').spec;
    expect(spec.storage.traces).toEqual({ backend: 'pv', size: '20Gi' });
    expect(spec.ingestion).toEqual({ otlp: { grpc: { enabled: true }, http: { enabled: true } } });
    expect(spec.jaegerui).toEqual({ enabled: false });
    expect(spec.podSecurityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 10001, seccompProfile: { type: 'RuntimeDefault' } });
    expect(spec.extraConfig.tempo).toEqual({ compactor: { compaction: { block_retention: '720h' } } });
    // The operator's Service and labels (naming.Name, monolithic/labels.go).
    expect(t.http).toMatchObject({ namespace: 'monitoring', service: 'tempo-traces', port: 3200 });
    expect(t.otlpGrpc).toMatchObject({ service: 'tempo-traces', port: 4317 });
    expect(t.peer.podLabels).toEqual({
      'app.kubernetes.io/name': 'tempo-monolithic',
      'app.kubernetes.io/instance': 'traces',
      'app.kubernetes.io/managed-by': 'tempo-operator',
      'app.kubernetes.io/component': 'tempo',
    });
  });

  it('options: the metrics generator writing service graph and span metrics to Prometheus, class, retention, wave', () => {
    const c = chart();
    new TempoInstance(c, 'tempo', {
      ...props,
      storageClass: 'gp3',
      retention: '168h',
      metricsRemoteWriteUrl: 'http://prom:9090/api/v1/write',
      syncWave: -3,
    });
    const t = only(synthK8s(c), 'TempoMonolithic');
    expect(t.metadata.annotations).toEqual({ 'argocd.argoproj.io/sync-wave': '-3' });
    expect(t.spec.storage.traces.storageClassName).toBe('gp3');
    expect(t.spec.extraConfig.tempo).toEqual({
      compactor: { compaction: { block_retention: '168h' } },
      metrics_generator: {
        storage: { path: '/var/tempo/generator/wal', remote_write: [{ url: 'http://prom:9090/api/v1/write', send_exemplars: true }] },
      },
      overrides: { defaults: { metrics_generator: { processors: ['service-graphs', 'span-metrics'] } } },
    });
  });

  it('rejects bad sizes and retention, and needs the operator, its CRDs and the class', () => {
    expect(errorOf(() => new TempoInstance(chart(), 'tempo', { ...props, storageSize: '20G' }))).toMatch(
      /prop "storageSize" is "20G"; expected a size in Gi/,
    );
    expect(errorOf(() => new TempoInstance(chart(), 'tempo', { ...props, retention: '30d' }))).toMatch(/prop "retention" is "30d"; expected hours/);
    expect(errorOf(() => new TempoInstance(k8sChart(), 'tempo', props))).toMatch(/needs CRD group "tempo.grafana.com"/);
    const c = k8sChart();
    FactRegistry.of(c).provideName('CRD group', 'tempo.grafana.com', 'test');
    expect(errorOf(() => new TempoInstance(c, 'tempo', props))).toMatch(/tempo-operator/);
    expect(errorOf(() => new TempoInstance(chart(), 'tempo', { ...props, storageClass: 'gp2' }))).toMatch(/needs StorageClass "gp2"/);
  });
});
