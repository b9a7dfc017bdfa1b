import { HelmAddOn } from './helm-addon';

/** Prometheus, Grafana, Alertmanager, node-exporter, kube-state-metrics; 30 days local retention (seed 004). */
export const kubePrometheusStack = new HelmAddOn({
  id: 'kube-prometheus-stack',
  description: 'Prometheus, Alertmanager, Grafana, node-exporter, kube-state-metrics',
  namespace: 'monitoring',
  syncWave: -4,
  chart: () => ({ repoURL: 'https://prometheus-community.github.io/helm-charts', chart: 'kube-prometheus-stack', version: '67.5.0' }),
  values: ({ traits }) => ({
    prometheus: {
      prometheusSpec: {
        retention: '30d',
        // Pick up every ServiceMonitor and PodMonitor, not only the chart's own.
        serviceMonitorSelectorNilUsesHelmValues: false,
        podMonitorSelectorNilUsesHelmValues: false,
        enableFeatures: ['exemplar-storage'],
        storageSpec: { volumeClaimTemplate: { spec: { storageClassName: traits.defaultStorageClass, accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '100Gi' } } } } },
      },
    },
    grafana: { enabled: true, defaultDashboardsEnabled: true },
  }),
  syncOptions: ['ServerSideApply=true'],
});

/** Loki single binary, 30-day retention (seed 004); index-on-query instead of full-text (seed 000). */
export const loki = new HelmAddOn({
  id: 'loki',
  description: 'Log aggregation (single binary, 30-day retention)',
  namespace: 'monitoring',
  syncWave: -3,
  chart: () => ({ repoURL: 'https://grafana.github.io/helm-charts', chart: 'loki', version: '6.24.0' }),
  values: ({ traits }) => ({
    deploymentMode: 'SingleBinary',
    loki: {
      auth_enabled: false,
      commonConfig: { replication_factor: 1 },
      storage: { type: 'filesystem' },
      schemaConfig: { configs: [{ from: '2024-01-01', store: 'tsdb', object_store: 'filesystem', schema: 'v13', index: { prefix: 'index_', period: '24h' } }] },
      limits_config: { retention_period: '720h' },
      compactor: { retention_enabled: true, delete_request_store: 'filesystem' },
    },
    singleBinary: { replicas: 1, persistence: { storageClass: traits.defaultStorageClass, size: '50Gi' } },
    backend: { replicas: 0 },
    read: { replicas: 0 },
    write: { replicas: 0 },
  }),
});

export const tempo = new HelmAddOn({
  id: 'tempo',
  description: 'Distributed tracing backend',
  namespace: 'monitoring',
  syncWave: -3,
  chart: () => ({ repoURL: 'https://grafana.github.io/helm-charts', chart: 'tempo', version: '1.16.0' }),
  values: ({ traits }) => ({ tempo: { retention: '720h', metricsGenerator: { enabled: true, remoteWriteUrl: 'http://kube-prometheus-stack-prometheus.monitoring.svc:9090/api/v1/write' } }, persistence: { enabled: true, storageClassName: traits.defaultStorageClass, size: '20Gi' } }),
});

/** One OTLP endpoint for every service: traces to Tempo, metrics to Prometheus, logs to Loki (seed 000). */
export const openTelemetryCollector = new HelmAddOn({
  id: 'opentelemetry-collector',
  description: 'OTLP gateway: traces to Tempo, metrics to Prometheus, logs to Loki',
  namespace: 'monitoring',
  syncWave: -2,
  chart: () => ({ repoURL: 'https://open-telemetry.github.io/opentelemetry-helm-charts', chart: 'opentelemetry-collector', version: '0.111.2' }),
  values: () => ({
    mode: 'deployment',
    replicaCount: 2,
    image: { repository: 'otel/opentelemetry-collector-contrib' },
    config: {
      exporters: {
        'otlp/tempo': { endpoint: 'tempo.monitoring.svc:4317', tls: { insecure: true } },
        prometheusremotewrite: { endpoint: 'http://kube-prometheus-stack-prometheus.monitoring.svc:9090/api/v1/write' },
        otlphttp: { endpoint: 'http://loki.monitoring.svc:3100/otlp' },
      },
      service: {
        pipelines: {
          traces: { receivers: ['otlp'], processors: ['memory_limiter', 'batch'], exporters: ['otlp/tempo'] },
          metrics: { receivers: ['otlp'], processors: ['memory_limiter', 'batch'], exporters: ['prometheusremotewrite'] },
          logs: { receivers: ['otlp'], processors: ['memory_limiter', 'batch'], exporters: ['otlphttp'] },
        },
      },
    },
  }),
});
