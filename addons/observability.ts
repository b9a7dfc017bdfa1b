import { ALLOY_IMAGES, KUBE_PROMETHEUS_STACK_IMAGES, LOKI_IMAGES, OPENTELEMETRY_COLLECTOR_IMAGES, TEMPO_IMAGES } from './chart-images';
import { ChartWorkload, chartWorkloadPeer } from '../lib/core/facts/chart-facts';
import {
  Connection,
  Peer,
  PortSpec,
  ServiceEndpoint,
  WorkloadPeer,
  connectTo,
  hostPort,
  serviceEndpoint,
  serviceUrl,
  workloadPeer,
} from '../lib/core/facts/connections';
import { FactRegistry } from '../lib/core/facts/registry';
import { chartDashboards } from '../lib/core/charts/vendored';
import type { AddOnContext } from '../contracts/addon';
import { WAVES } from '../lib/core/facts/waves';
import { HelmAddOn } from './helm-addon';
import { HARDENED_CONTAINER, hardenedPod } from '../constructs/k8s/container-defaults';

const NS = 'monitoring';
/** Node agents need host namespaces and host paths: they get a namespace of their own at Pod Security privileged. */
export const NODE_AGENTS_NAMESPACE = 'monitoring-agents';
const KPS = 'kube-prometheus-stack';

const tcp = (...ports: number[]): PortSpec[] => ports.map((port) => ({ port }));
const link = (from: Peer, to: Peer, ports: PortSpec[], purpose: string): Connection => ({ from, to, ports, purpose });

/** Pods of kube-prometheus-stack 67.5.0 with the values below (labels from the chart's and operator's selectors). */
const KPS_WORKLOADS = {
  prometheus: {
    name: 'prometheus',
    kind: 'StatefulSet',
    podSecurity: 'restricted',
    podLabels: { 'app.kubernetes.io/name': 'prometheus', 'operator.prometheus.io/name': `${KPS}-prometheus` },
  },
  alertmanager: {
    name: 'alertmanager',
    kind: 'StatefulSet',
    podSecurity: 'restricted',
    podLabels: { 'app.kubernetes.io/name': 'alertmanager', alertmanager: `${KPS}-alertmanager` },
  },
  operator: { name: 'prometheus-operator', kind: 'Deployment', podSecurity: 'restricted', podLabels: { app: `${KPS}-operator`, release: KPS } },
  kubeStateMetrics: {
    name: 'kube-state-metrics',
    kind: 'Deployment',
    podSecurity: 'restricted',
    podLabels: { 'app.kubernetes.io/name': 'kube-state-metrics', 'app.kubernetes.io/instance': KPS },
  },
  admissionJobs: {
    name: 'admission-webhook-patch',
    kind: 'Job',
    podSecurity: 'restricted',
    podLabels: { release: KPS, 'app.kubernetes.io/component': 'prometheus-operator-webhook' },
  },
  nodeExporter: {
    name: 'node-exporter',
    namespace: NODE_AGENTS_NAMESPACE,
    kind: 'DaemonSet',
    podSecurity: 'privileged',
    podSecurityReason: 'hostNetwork, hostPID and hostPath mounts of /proc, /sys and / (prometheus-node-exporter daemonset.yaml)',
    podLabels: { 'app.kubernetes.io/name': 'prometheus-node-exporter', 'app.kubernetes.io/instance': KPS },
  },
} satisfies Record<string, ChartWorkload>;

const peer = (w: ChartWorkload): WorkloadPeer => chartWorkloadPeer(NS, w);

const KPS_CHART = {
  repoURL: 'https://prometheus-community.github.io/helm-charts',
  chart: KPS,
  version: '67.5.0',
  images: KUBE_PROMETHEUS_STACK_IMAGES,
};

function kpsValues({ traits }: AddOnContext) {
  return {
    prometheus: {
      prometheusSpec: {
        retention: '30d',
        // Pick up every ServiceMonitor and PodMonitor, not only the chart's own.
        serviceMonitorSelectorNilUsesHelmValues: false,
        podMonitorSelectorNilUsesHelmValues: false,
        enableFeatures: ['exemplar-storage'],
        // The collector and Tempo's metrics generator push here (remote write), and OTLP senders to
        // /api/v1/otlp: Prometheus 3's flag, which this chart version does not template as a value.
        enableRemoteWriteReceiver: true,
        additionalArgs: [{ name: 'web.enable-otlp-receiver' }],
        storageSpec: {
          volumeClaimTemplate: {
            spec: { storageClassName: traits.defaultStorageClass, accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '100Gi' } } },
          },
        },
      },
    },
    // Grafana runs through its operator (add-on grafana-operator); the chart still renders its
    // dashboards as ConfigMaps, which the operator loads.
    grafana: { enabled: false, forceDeployDashboards: true, defaultDashboardsEnabled: true },
    // Linux nodes only: no AIX or macOS node dashboards.
    nodeExporter: { operatingSystems: { aix: { enabled: false }, darwin: { enabled: false } } },
    // Host agents run where host access is allowed; the rest of monitoring stays restricted.
    'prometheus-node-exporter': { namespaceOverride: NODE_AGENTS_NAMESPACE },
    // Control-plane components are not reachable from the pod network (managed control planes, or
    // kubeadm's loopback-bound ports): their monitors would only ever fire.
    kubeEtcd: { enabled: false },
    kubeControllerManager: { enabled: false },
    kubeScheduler: { enabled: false },
    kubeProxy: { enabled: false },
  };
}

/** Prometheus, Alertmanager, node-exporter, kube-state-metrics; 30 days local retention; dashboards for Grafana. */
export const kubePrometheusStack = new HelmAddOn({
  id: KPS,
  description: 'Prometheus, Alertmanager, node-exporter, kube-state-metrics, dashboards',
  namespace: NS,
  syncWave: WAVES.monitoring,
  chart: () => KPS_CHART,
  values: kpsValues,
  syncOptions: ['ServerSideApply=true'],
  facts: ({ traits }) => {
    const w = KPS_WORKLOADS;
    const prom = peer(w.prometheus);
    const api = { kind: 'api-server' } as const;
    return {
      crds: [
        {
          group: 'monitoring.coreos.com',
          kinds: [
            'ServiceMonitor',
            'PodMonitor',
            'PrometheusRule',
            'Prometheus',
            'Alertmanager',
            'Probe',
            'ThanosRuler',
            'AlertmanagerConfig',
            'PrometheusAgent',
            'ScrapeConfig',
          ],
        },
      ],
      extraNamespaces: [NODE_AGENTS_NAMESPACE],
      workloads: [
        { ...w.prometheus, claims: [{ storageClass: traits.defaultStorageClass, size: '100Gi' }] },
        w.alertmanager,
        w.operator,
        w.kubeStateMetrics,
        w.admissionJobs,
        w.nodeExporter,
      ],
      services: [
        { name: `${KPS}-prometheus`, ports: [{ port: 9090, targetPort: 9090 }], workload: 'prometheus' },
        { name: `${KPS}-alertmanager`, ports: [{ port: 9093, targetPort: 9093 }], workload: 'alertmanager' },
        { name: `${KPS}-operator`, ports: [{ port: 443, targetPort: 10250 }], workload: 'prometheus-operator' },
        { name: `${KPS}-kube-state-metrics`, ports: [{ port: 8080, targetPort: 8080 }], workload: 'kube-state-metrics' },
      ],
      connections: [
        link(prom, api, [], 'service discovery'),
        link(prom, { kind: 'nodes' }, tcp(10250, 9100), 'scrapes kubelets, cAdvisor and node-exporter (host network)'),
        link(prom, peer(w.alertmanager), tcp(9093), 'sends alerts'),
        link(prom, peer(w.operator), tcp(10250), 'scrapes the operator'),
        link(prom, peer(w.kubeStateMetrics), tcp(8080), 'scrapes kube-state-metrics'),
        link(prom, workloadPeer('kube-system', 'coredns', { 'k8s-app': 'kube-dns' }), tcp(9153), 'scrapes CoreDNS'),
        link(peer(w.operator), api, [], 'reconciles Prometheus and Alertmanager'),
        link(api, peer(w.operator), tcp(10250), 'admission webhook for PrometheusRules'),
        link(peer(w.kubeStateMetrics), api, [], 'lists and watches every object'),
        link(peer(w.admissionJobs), api, [], 'creates the webhook certificate and patches the webhook configurations'),
      ],
    };
  },
  publish: (facts: FactRegistry, ctx) => {
    const prom = peer(KPS_WORKLOADS.prometheus);
    const by = `add-on ${KPS}`;
    facts.provideWorkload('prometheus', prom, by);
    // The release is named after the chart, so its full name is the chart's; names are cut at 63.
    for (const d of chartDashboards(KPS, KPS_CHART.version, kpsValues(ctx)))
      facts.provideDashboard({ namespace: NS, configMap: `${KPS}-${d.suffix}`.slice(0, 63).replace(/-+$/, ''), key: d.key }, by);
    facts.provideEndpoint('prometheus', serviceEndpoint(`${KPS}-prometheus`, 9090, prom), by);
    facts.provideEndpoint('prometheus-remote-write', serviceEndpoint(`${KPS}-prometheus`, 9090, prom), by);
    facts.provideEndpoint('alertmanager', serviceEndpoint(`${KPS}-alertmanager`, 9093, peer(KPS_WORKLOADS.alertmanager)), by);
  },
});

const LOKI_WORKLOAD: ChartWorkload = {
  name: 'loki',
  kind: 'StatefulSet',
  podSecurity: 'restricted',
  podLabels: { 'app.kubernetes.io/name': 'loki', 'app.kubernetes.io/instance': 'loki', 'app.kubernetes.io/component': 'single-binary' },
};

/** Loki single binary, 30-day retention; label index, no full-text index. */
export const loki = new HelmAddOn({
  id: 'loki',
  description: 'Log aggregation (single binary, 30-day retention)',
  namespace: NS,
  syncWave: WAVES.observabilityBackends,
  chart: () => ({ repoURL: 'https://grafana.github.io/helm-charts', chart: 'loki', version: '6.24.0', images: LOKI_IMAGES }),
  values: ({ traits }) => ({
    deploymentMode: 'SingleBinary',
    loki: {
      auth_enabled: false,
      commonConfig: { replication_factor: 1 },
      storage: { type: 'filesystem' },
      schemaConfig: {
        configs: [{ from: '2024-01-01', store: 'tsdb', object_store: 'filesystem', schema: 'v13', index: { prefix: 'index_', period: '24h' } }],
      },
      limits_config: { retention_period: '720h' },
      compactor: { retention_enabled: true, delete_request_store: 'filesystem' },
    },
    singleBinary: { replicas: 1, persistence: { storageClass: traits.defaultStorageClass, size: '50Gi' } },
    backend: { replicas: 0 },
    read: { replicas: 0 },
    write: { replicas: 0 },
    // Clients write to the single binary directly: no gateway, no canary pushing from every node, no
    // memcached caches sized for a distributed deployment, no rules sidecar calling the API server.
    gateway: { enabled: false },
    lokiCanary: { enabled: false },
    test: { enabled: false },
    chunksCache: { enabled: false },
    resultsCache: { enabled: false },
    sidecar: { rules: { enabled: false } },
  }),
  facts: ({ traits }) => ({
    workloads: [{ ...LOKI_WORKLOAD, claims: [{ storageClass: traits.defaultStorageClass, size: '50Gi' }] }],
    services: [{ name: 'loki', ports: [{ port: 3100, targetPort: 3100 }], workload: 'loki' }],
  }),
  // One Service takes pushes and queries; its single tenant needs no header (auth_enabled off).
  publish: (facts) => {
    const endpoint = serviceEndpoint('loki', 3100, chartWorkloadPeer(NS, LOKI_WORKLOAD));
    facts.provideEndpoint('loki-push', endpoint, 'add-on loki');
    facts.provideEndpoint('loki-query', endpoint, 'add-on loki');
  },
  connect: (facts) => {
    const w = chartWorkloadPeer(NS, LOKI_WORKLOAD);
    facts.scrape(w, 3100, 'add-on loki');
    if (facts.hasWorkload('grafana'))
      facts.connect(connectTo(facts.workload('grafana', 'add-on loki'), facts.endpoint('loki-query', 'add-on loki'), 'queries logs'), 'add-on loki');
  },
});

const TEMPO_WORKLOAD: ChartWorkload = {
  name: 'tempo',
  kind: 'StatefulSet',
  podSecurity: 'restricted',
  podLabels: { 'app.kubernetes.io/name': 'tempo', 'app.kubernetes.io/instance': 'tempo' },
};

/**
 * Tempo from its Helm chart (single binary): for environments that pin every image by digest, which
 * the operator's run-time images cannot be offline; `tempo-operator` runs it through the operator.
 */
export const tempo = new HelmAddOn({
  id: 'tempo',
  description: 'Distributed tracing backend (Helm chart)',
  namespace: NS,
  syncWave: WAVES.observabilityBackends,
  chart: () => ({ repoURL: 'https://grafana.github.io/helm-charts', chart: 'tempo', version: '1.16.0', images: TEMPO_IMAGES }),
  values: ({ traits, facts }) => ({
    tempo: {
      retention: '720h',
      metricsGenerator: {
        enabled: true,
        remoteWriteUrl: serviceUrl(facts.endpoint('prometheus-remote-write', 'add-on tempo'), 'http', '/api/v1/write'),
      },
    },
    persistence: { enabled: true, storageClassName: traits.defaultStorageClass, size: '20Gi' },
  }),
  facts: ({ traits }) => ({
    workloads: [{ ...TEMPO_WORKLOAD, claims: [{ storageClass: traits.defaultStorageClass, size: '20Gi' }] }],
    services: [
      {
        name: 'tempo',
        ports: [
          { port: 3100, targetPort: 3100 },
          { port: 4317, targetPort: 4317 },
          { port: 4318, targetPort: 4318 },
        ],
        workload: 'tempo',
      },
    ],
  }),
  publish: (facts) => {
    const w = chartWorkloadPeer(NS, TEMPO_WORKLOAD);
    facts.provideEndpoint('tempo-otlp-grpc', serviceEndpoint('tempo', 4317, w), 'add-on tempo');
    facts.provideEndpoint('tempo-http', serviceEndpoint('tempo', 3100, w), 'add-on tempo');
  },
  connect: (facts) => {
    const w = chartWorkloadPeer(NS, TEMPO_WORKLOAD);
    const by = 'add-on tempo';
    facts.connect(connectTo(w, facts.endpoint('prometheus-remote-write', by), 'span metrics (remote write)'), by);
    facts.scrape(w, 3100, by);
    if (facts.hasWorkload('grafana')) facts.connect(connectTo(facts.workload('grafana', by), facts.endpoint('tempo-http', by), 'queries traces'), by);
  },
});

const COLLECTOR_WORKLOAD: ChartWorkload = {
  name: 'opentelemetry-collector',
  kind: 'Deployment',
  podSecurity: 'restricted',
  podLabels: {
    'app.kubernetes.io/name': 'opentelemetry-collector',
    'app.kubernetes.io/instance': 'opentelemetry-collector',
    'app.kubernetes.io/component': 'standalone-collector',
  },
  replicas: 2,
};

/** One OTLP endpoint for every service: traces to Tempo, metrics to Prometheus, logs to Loki. */
export const openTelemetryCollector = new HelmAddOn({
  id: 'opentelemetry-collector',
  description: 'OTLP gateway: traces to Tempo, metrics to Prometheus, logs to Loki',
  namespace: NS,
  syncWave: WAVES.collectors,
  // Tempo and Loki through their charts or their operators: the endpoints are facts either provides.
  requires: [KPS],
  chart: () => ({
    repoURL: 'https://open-telemetry.github.io/opentelemetry-helm-charts',
    chart: 'opentelemetry-collector',
    version: '0.111.2',
    images: OPENTELEMETRY_COLLECTOR_IMAGES,
  }),
  values: ({ facts }) => {
    const by = 'add-on opentelemetry-collector';
    return {
      mode: 'deployment',
      replicaCount: 2,
      image: { repository: 'otel/opentelemetry-collector-contrib' },
      config: {
        exporters: {
          'otlp/tempo': { endpoint: hostPort(facts.endpoint('tempo-otlp-grpc', by)), tls: { insecure: true } },
          prometheusremotewrite: { endpoint: serviceUrl(facts.endpoint('prometheus-remote-write', by), 'http', '/api/v1/write') },
          otlphttp: { endpoint: serviceUrl(facts.endpoint('loki-push', by), 'http', '/otlp'), headers: facts.endpoint('loki-push', by).headers },
        },
        service: {
          pipelines: {
            traces: { receivers: ['otlp'], processors: ['memory_limiter', 'batch'], exporters: ['otlp/tempo'] },
            metrics: { receivers: ['otlp'], processors: ['memory_limiter', 'batch'], exporters: ['prometheusremotewrite'] },
            logs: { receivers: ['otlp'], processors: ['memory_limiter', 'batch'], exporters: ['otlphttp'] },
          },
        },
      },
    };
  },
  facts: () => ({
    workloads: [COLLECTOR_WORKLOAD],
    services: [
      {
        name: 'opentelemetry-collector',
        ports: [
          { port: 4317, targetPort: 4317 },
          { port: 4318, targetPort: 4318 },
        ],
        workload: 'opentelemetry-collector',
      },
    ],
  }),
  publish: (facts) => {
    const w = chartWorkloadPeer(NS, COLLECTOR_WORKLOAD);
    facts.provideEndpoint('otlp-grpc', serviceEndpoint('opentelemetry-collector', 4317, w), 'add-on opentelemetry-collector');
    facts.provideEndpoint('otlp-http', serviceEndpoint('opentelemetry-collector', 4318, w), 'add-on opentelemetry-collector');
  },
  connect: (facts) => {
    const w = chartWorkloadPeer(NS, COLLECTOR_WORKLOAD);
    const by = 'add-on opentelemetry-collector';
    for (const key of ['tempo-otlp-grpc', 'loki-push', 'prometheus-remote-write'] as const)
      facts.connect(connectTo(w, facts.endpoint(key, by), `exports telemetry (${key})`), by);
    facts.scrape(w, 8888, by);
  },
});

const ALLOY_WORKLOAD: ChartWorkload = {
  name: 'alloy',
  kind: 'DaemonSet',
  podSecurity: 'restricted',
  podLabels: { 'app.kubernetes.io/name': 'alloy', 'app.kubernetes.io/instance': 'alloy' },
};
/** The uid and gid of the alloy user in Grafana's image (the chart's non-root example). */
const ALLOY_USER = 473;

/**
 * Alloy's pipeline: the pods of its own node (the agent's HOSTNAME is the node name), labelled with
 * namespace, pod, container and app, tailed through the Kubernetes API and pushed to Loki.
 */
export function alloyConfig(loki: ServiceEndpoint): string {
  const headers = Object.entries(loki.headers ?? {}).map(([name, value]) => `      "${name}" = "${value}",`);
  const rule = (from: string, to: string) => `  rule {\n    source_labels = ["${from}"]\n    target_label  = "${to}"\n  }`;
  return [
    'discovery.kubernetes "pods" {',
    '  role = "pod"',
    '  selectors {',
    '    role  = "pod"',
    '    field = "spec.nodeName=" + sys.env("HOSTNAME")',
    '  }',
    '}',
    '',
    'discovery.relabel "pods" {',
    '  targets = discovery.kubernetes.pods.targets',
    rule('__meta_kubernetes_namespace', 'namespace'),
    rule('__meta_kubernetes_pod_name', 'pod'),
    rule('__meta_kubernetes_pod_container_name', 'container'),
    rule('__meta_kubernetes_pod_label_app_kubernetes_io_name', 'app'),
    rule('__meta_kubernetes_pod_node_name', 'node'),
    '}',
    '',
    'loki.source.kubernetes "pods" {',
    '  targets    = discovery.relabel.pods.output',
    '  forward_to = [loki.write.default.receiver]',
    '}',
    '',
    'loki.write "default" {',
    '  endpoint {',
    `    url = "${serviceUrl(loki, 'http', '/loki/api/v1/push')}"`,
    ...(headers.length ? ['    headers = {', ...headers, '    }'] : []),
    '  }',
    '}',
    '',
  ].join('\n');
}

/**
 * The node log agent (Dev Center design: Alloy as a DaemonSet): one Grafana Alloy per node ships the
 * logs of that node's pods to Loki. It reads them through the Kubernetes API (`loki.source.kubernetes`),
 * so it runs non-root on a read-only filesystem without host mounts, at Pod Security restricted.
 */
export const alloy = new HelmAddOn({
  id: 'alloy',
  description: 'Node log agent: every pod’s logs to Loki (Grafana Alloy on each node)',
  namespace: NS,
  syncWave: WAVES.collectors,
  chart: () => ({ repoURL: 'https://grafana.github.io/helm-charts', chart: 'alloy', version: '0.10.1', images: ALLOY_IMAGES }),
  values: ({ facts }) => ({
    // Its PodLogs CRD is for a pipeline this configuration does not use.
    crds: { create: false },
    global: {
      podSecurityContext: hardenedPod(ALLOY_USER),
    },
    alloy: {
      configMap: { create: true, content: alloyConfig(facts.endpoint('loki-push', 'add-on alloy')) },
      // No usage reports to Grafana Labs: the platform runs air-gapped too.
      enableReporting: false,
      mounts: { varlog: false, dockercontainers: false, extra: [{ name: 'storage', mountPath: '/tmp/alloy' }] },
      securityContext: { ...HARDENED_CONTAINER, runAsUser: ALLOY_USER, runAsGroup: ALLOY_USER },
      resources: { requests: { cpu: '50m', memory: '128Mi' }, limits: { cpu: '500m', memory: '512Mi' } },
    },
    configReloader: {
      securityContext: { ...HARDENED_CONTAINER, runAsUser: ALLOY_USER, runAsGroup: ALLOY_USER },
      resources: { requests: { cpu: '5m', memory: '16Mi' }, limits: { cpu: '50m', memory: '64Mi' } },
    },
    controller: {
      type: 'daemonset',
      // Every node, GPU and control-plane nodes included: their pods log too.
      tolerations: [{ operator: 'Exists' }],
      volumes: { extra: [{ name: 'storage', emptyDir: {} }] },
    },
  }),
  facts: () => ({
    workloads: [ALLOY_WORKLOAD],
    services: [{ name: 'alloy', ports: [{ port: 12345, targetPort: 12345 }], workload: 'alloy' }],
  }),
  connect: (facts) => {
    const w = chartWorkloadPeer(NS, ALLOY_WORKLOAD);
    const by = 'add-on alloy';
    facts.connect({ from: w, to: { kind: 'api-server' }, ports: [], purpose: 'discovers its node’s pods and tails their logs' }, by);
    facts.connect(connectTo(w, facts.endpoint('loki-push', by), 'pushes pod logs'), by);
    facts.scrape(w, 12345, by);
  },
});
