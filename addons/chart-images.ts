/* eslint-disable @typescript-eslint/no-explicit-any -- Helm values are arbitrary YAML */
import { ChartImageTable, ImageUse, valueAt, whenAll } from '../lib/core/charts/chart-images';

/**
 * Which images each pinned chart of the add-ons runs, slot by slot of its vendored images.json, read
 * from the chart's templates at the pinned version. `deployed` sees the add-on's values merged into the
 * chart's defaults. Images an operator starts at run time (operands, solvers, sidecars it injects)
 * count as deployed: the air-gapped mirror must hold them before the first pod needs them.
 */

const always = { deployed: true } as const;
const never = { deployed: false } as const;
/** A component image whose empty repository falls back to the chart's global image (argo-cd). */
const ownRepository = (component: string, ...enabled: string[]) => ({
  deployed: (v: any) => Boolean(valueAt(v, `${component}.image.repository`)) && whenAll(...enabled)(v),
});

export const ARGO_CD_IMAGES: ChartImageTable = {
  // controller, server, repo-server, applicationset, notifications and the redis secret init Job.
  'global.image': always,
  'controller.image': ownRepository('controller'),
  'server.image': ownRepository('server'),
  'repoServer.image': ownRepository('repoServer'),
  'applicationSet.image': ownRepository('applicationSet'),
  'notifications.image': ownRepository('notifications', 'notifications.enabled'),
  'redisSecretInit.image': ownRepository('redisSecretInit', 'redisSecretInit.enabled'),
  'dex.image': { deployed: whenAll('dex.enabled') },
  'dex.initImage': { deployed: (v) => Boolean(valueAt(v, 'dex.initImage.repository')) && whenAll('dex.enabled')(v) },
  'redis.image': { deployed: (v) => whenAll('redis.enabled')(v) && !whenAll('redis-ha.enabled')(v) },
  'redis.exporter.image': { deployed: (v) => whenAll('redis.enabled', 'redis.exporter.enabled')(v) && !whenAll('redis-ha.enabled')(v) },
  // Values handed to the redis-ha subchart, which subchart:redis-ha refuses (not vendored).
  'redis-ha.image': never,
  'subchart:redis-ha': { deployed: whenAll('redis-ha.enabled') },
  'server.extensions.image': { deployed: whenAll('server.extensions.enabled') },
};

export const ARGOCD_APPS_IMAGES: ChartImageTable = {};

/** The chart's source carries appVersion v0.0.0 (Chart.template.yaml); the release publishes v1.16.2. */
const certManagerImage = (deployed: ImageUse['deployed']): ImageUse => ({ deployed, defaultTag: 'v1.16.2' });

export const CERT_MANAGER_IMAGES: ChartImageTable = {
  image: certManagerImage(true),
  'webhook.image': certManagerImage(true),
  'cainjector.image': certManagerImage(whenAll('cainjector.enabled')),
  // The controller starts solver pods with this image for HTTP-01 challenges (--acme-http01-solver-image).
  'acmesolver.image': certManagerImage(true),
  // A post-install hook Job; Argo CD runs it as a PostSync hook.
  'startupapicheck.image': certManagerImage(whenAll('startupapicheck.enabled')),
};

export const CLOUDNATIVE_PG_IMAGES: ChartImageTable = {
  image: always,
  // The Grafana dashboard ConfigMap chart.
  'subchart:monitoring': { deployed: whenAll('monitoring.grafanaDashboard.create') },
};

export const EXTERNAL_SECRETS_IMAGES: ChartImageTable = {
  image: always,
  'webhook.image': { deployed: whenAll('webhook.create') },
  'certController.image': { deployed: whenAll('webhook.create', 'certController.create') },
  'subchart:bitwarden-sdk-server': { deployed: whenAll('bitwarden-sdk-server.enabled') },
};

export const INGRESS_NGINX_IMAGES: ChartImageTable = {
  'controller.image': always,
  'controller.opentelemetry.image': { deployed: whenAll('controller.opentelemetry.enabled') },
  'controller.admissionWebhooks.patch.image': {
    deployed: (v) =>
      whenAll('controller.admissionWebhooks.enabled', 'controller.admissionWebhooks.patch.enabled')(v) &&
      !whenAll('controller.admissionWebhooks.certManager.enabled')(v),
  },
  'defaultBackend.image': { deployed: whenAll('defaultBackend.enabled') },
};

export const METRICS_SERVER_IMAGES: ChartImageTable = {
  image: { deployed: true, defaultTag: 'v0.7.2' },
  'addonResizer.image': { deployed: whenAll('addonResizer.enabled') },
};

export const KUBE_PROMETHEUS_STACK_IMAGES: ChartImageTable = {
  'alertmanager.alertmanagerSpec.image': { deployed: whenAll('alertmanager.enabled') },
  'prometheusOperator.admissionWebhooks.deployment.image': {
    deployed: whenAll(
      'prometheusOperator.enabled',
      'prometheusOperator.admissionWebhooks.enabled',
      'prometheusOperator.admissionWebhooks.deployment.enabled',
    ),
  },
  'prometheusOperator.admissionWebhooks.patch.image': {
    deployed: (v) =>
      whenAll(
        'prometheusOperator.enabled',
        'prometheusOperator.admissionWebhooks.enabled',
        'prometheusOperator.admissionWebhooks.patch.enabled',
      )(v) && !whenAll('prometheusOperator.admissionWebhooks.certManager.enabled')(v),
  },
  'prometheusOperator.image': { deployed: whenAll('prometheusOperator.enabled') },
  // The operator injects the config reloader into every Prometheus and Alertmanager pod.
  'prometheusOperator.prometheusConfigReloader.image': { deployed: whenAll('prometheusOperator.enabled') },
  // The Thanos sidecar, only when prometheusSpec.thanos is configured.
  'prometheusOperator.thanosImage': { deployed: (v) => Object.keys(valueAt(v, 'prometheus.prometheusSpec.thanos') ?? {}).length > 0 },
  'prometheus.prometheusSpec.image': { deployed: whenAll('prometheus.enabled') },
  'thanosRuler.thanosRulerSpec.image': { deployed: whenAll('thanosRuler.enabled') },
  'grafana.image': { deployed: whenAll('grafana.enabled') },
  // Helm test hooks: Argo CD does not run them, and the add-on turns them off.
  'grafana.testFramework.image': { deployed: whenAll('grafana.enabled', 'grafana.testFramework.enabled') },
  'grafana.downloadDashboardsImage': {
    deployed: (v) => whenAll('grafana.enabled')(v) && Object.keys(valueAt(v, 'grafana.dashboards') ?? {}).length > 0,
  },
  'grafana.initChownData.image': { deployed: whenAll('grafana.enabled', 'grafana.persistence.enabled', 'grafana.initChownData.enabled') },
  'grafana.sidecar.image': {
    deployed: (v) =>
      whenAll('grafana.enabled')(v) && (whenAll('grafana.sidecar.dashboards.enabled')(v) || whenAll('grafana.sidecar.datasources.enabled')(v)),
  },
  'grafana.imageRenderer.image': { deployed: whenAll('grafana.enabled', 'grafana.imageRenderer.enabled') },
  'kube-state-metrics.image': { deployed: whenAll('kubeStateMetrics.enabled'), defaultTag: 'v2.14.0' },
  'kube-state-metrics.kubeRBACProxy.image': { deployed: whenAll('kubeStateMetrics.enabled', 'kube-state-metrics.kubeRBACProxy.enabled') },
  'prometheus-node-exporter.image': { deployed: whenAll('nodeExporter.enabled'), defaultTag: 'v1.8.2' },
  'prometheus-node-exporter.kubeRBACProxy.image': { deployed: whenAll('nodeExporter.enabled', 'prometheus-node-exporter.kubeRBACProxy.enabled') },
  // CRDs only, no pods.
  'subchart:crds': never,
  'subchart:prometheus-windows-exporter': { deployed: whenAll('windowsMonitoring.enabled') },
};

export const LOKI_IMAGES: ChartImageTable = {
  'loki.image': always,
  'enterprise.image': { deployed: whenAll('enterprise.enabled') },
  'enterprise.provisioner.image': { deployed: whenAll('enterprise.enabled', 'enterprise.provisioner.enabled') },
  // The enterprise tokengen Job.
  kubectlImage: { deployed: whenAll('enterprise.enabled', 'enterprise.tokengen.enabled') },
  'test.image': { deployed: whenAll('test.enabled') },
  'lokiCanary.image': { deployed: whenAll('lokiCanary.enabled') },
  'gateway.image': { deployed: whenAll('gateway.enabled') },
  'memcached.image': { deployed: (v) => whenAll('chunksCache.enabled')(v) || whenAll('resultsCache.enabled')(v) },
  'memcachedExporter.image': {
    deployed: (v) => whenAll('memcachedExporter.enabled')(v) && (whenAll('chunksCache.enabled')(v) || whenAll('resultsCache.enabled')(v)),
  },
  'sidecar.image': { deployed: whenAll('sidecar.rules.enabled') },
  'subchart:minio': { deployed: whenAll('minio.enabled') },
  'subchart:grafana-agent-operator': { deployed: whenAll('monitoring.selfMonitoring.grafanaAgent.installOperator') },
  'subchart:rollout_operator': { deployed: whenAll('rollout_operator.enabled') },
};

export const TEMPO_IMAGES: ChartImageTable = {
  tempo: always,
  tempoQuery: { deployed: whenAll('tempoQuery.enabled') },
};

export const OPENTELEMETRY_COLLECTOR_IMAGES: ChartImageTable = { image: always };

export const VAULT_IMAGES: ChartImageTable = {
  // "-" follows global.enabled.
  'injector.image': { deployed: whenAll('global.enabled', 'injector.enabled') },
  // The agent the injector adds to annotated pods.
  'injector.agentImage': { deployed: whenAll('global.enabled', 'injector.enabled') },
  'server.image': { deployed: whenAll('global.enabled', 'server.enabled') },
  'csi.image': { deployed: whenAll('csi.enabled') },
  'csi.agent.image': { deployed: whenAll('csi.enabled', 'csi.agent.enabled') },
};

export const VELERO_IMAGES: ChartImageTable = {
  image: always,
  // The CRD upgrade and cleanup Jobs and the namespace labelling Job. Its default tag is the cluster's
  // Kubernetes version, known only at render time, so the add-on keeps these Jobs off (Argo CD applies
  // the chart's crds/ itself).
  'kubectl.image': {
    deployed: (v) => whenAll('upgradeCRDs')(v) || whenAll('cleanUpCRDs')(v) || Object.keys(valueAt(v, 'namespace.labels') ?? {}).length > 0,
  },
};

export const TAILSCALE_OPERATOR_IMAGES: ChartImageTable = {
  // appVersion is a placeholder at the tag ("unstable"); the release publishes the chart with v1.78.3.
  'operatorConfig.image': { deployed: true, defaultTag: 'v1.78.3' },
  // The operator creates proxy pods with this image for every exposed Service and the API server proxy.
  'proxyConfig.image': { deployed: true, defaultTag: 'v1.78.3' },
};

export const NVIDIA_DEVICE_PLUGIN_IMAGES: ChartImageTable = {
  // The device plugin and, with gfd.enabled, gpu-feature-discovery: the same image.
  image: { deployed: true, defaultTag: 'v0.17.0' },
  // Helm's condition "nfd.enabled,gfd.enabled": the first path that is set decides.
  'subchart:nfd': { deployed: (v) => (valueAt(v, 'nfd.enabled') ?? valueAt(v, 'gfd.enabled')) === true },
};

/**
 * gpu-operator v24.9.1: its appVersion is a placeholder at the tag ("devel-ubi8"); the release publishes
 * v24.9.1. The operator starts the operands of its ClusterPolicy; the driver image's tag gets the
 * nodes' operating system appended (`550.127.08-ubuntu24.04`), so the table is per host OS.
 */
export function gpuOperatorImages(hostOs: string | undefined): ChartImageTable {
  const sandbox = (component: string) => ({ deployed: whenAll('sandboxWorkloads.enabled', `${component}.enabled`) });
  return {
    operator: { deployed: true, defaultTag: 'v24.9.1' },
    validator: { deployed: true, defaultTag: 'v24.9.1' },
    // The CUDA base image of the operands' init containers.
    'operator.initContainer': always,
    driver: { deployed: whenAll('driver.enabled'), tagSuffix: hostOs ? `-${hostOs}` : undefined },
    'driver.manager': { deployed: whenAll('driver.enabled') },
    toolkit: { deployed: whenAll('toolkit.enabled') },
    devicePlugin: { deployed: whenAll('devicePlugin.enabled') },
    dcgm: { deployed: whenAll('dcgm.enabled') },
    dcgmExporter: { deployed: whenAll('dcgmExporter.enabled') },
    gfd: { deployed: whenAll('gfd.enabled') },
    migManager: { deployed: whenAll('migManager.enabled') },
    nodeStatusExporter: { deployed: whenAll('nodeStatusExporter.enabled'), defaultTag: 'v24.9.1' },
    gds: { deployed: whenAll('gds.enabled') },
    gdrcopy: { deployed: whenAll('gdrcopy.enabled') },
    vgpuManager: { deployed: whenAll('vgpuManager.enabled') },
    'vgpuManager.driverManager': { deployed: whenAll('vgpuManager.enabled') },
    // Operands for VMs and confidential computing, only with sandboxWorkloads.enabled.
    vgpuDeviceManager: sandbox('vgpuDeviceManager'),
    vfioManager: sandbox('vfioManager'),
    'vfioManager.driverManager': sandbox('vfioManager'),
    kataManager: sandbox('kataManager'),
    sandboxDevicePlugin: sandbox('sandboxDevicePlugin'),
    ccManager: { deployed: whenAll('ccManager.enabled') },
    'node-feature-discovery.image': { deployed: whenAll('nfd.enabled') },
  };
}

export const ALLOY_IMAGES: ChartImageTable = {
  image: always,
  'configReloader.image': { deployed: whenAll('configReloader.enabled') },
  // CRDs only, no image.
  'subchart:crds': never,
};

/** external-dns: one Deployment; its webhook provider sidecar is off (in-tree providers only). */
export const EXTERNAL_DNS_IMAGES: ChartImageTable = { image: always };

/** Reloader: one Deployment (its image under reloader.deployment.image, name+tag). */
export const RELOADER_IMAGES: ChartImageTable = { 'reloader.deployment.image': always };

/**
 * The operator's image (`imageName:imageTag`, the tag falling back to `v` + appVersion). The same image
 * is INIT_CONTAINER_IMAGE, which the operator adds only under its GenerateConfigInInitContainer gate
 * (off here). Redis, Sentinel and exporter images come from each custom resource, listed by its app.
 */
export const REDIS_OPERATOR_IMAGES: ChartImageTable = { redisOperator: { deployed: true, defaultTag: 'v0.25.0' } };

/** The operator; the Grafana it runs is the instance's image (GRAFANA_IMAGE), listed by the add-on. */
export const GRAFANA_OPERATOR_IMAGES: ChartImageTable = { image: always, 'subchart:crds': never };

/** The controller; its listener pods run the same image (CONTROLLER_MANAGER_CONTAINER_IMAGE). */
export const ARC_CONTROLLER_IMAGES: ChartImageTable = { image: always };
