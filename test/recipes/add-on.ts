import { HelmAddOn } from '../../addons/helm-addon';
import { ChartWorkload, chartWorkloadPeer } from '../../lib/core/facts/chart-facts';
import { WAVES } from '../../lib/core/facts/waves';

const workload: ChartWorkload = {
  name: 'podinfo',
  kind: 'Deployment',
  podSecurity: 'restricted',
  replicas: 2,
  podLabels: { 'app.kubernetes.io/name': 'podinfo' },
};

/** A demo web service: one pinned chart, typed values, and what the chart deploys. */
export const podinfo = new HelmAddOn({
  id: 'podinfo',
  description: 'Demo web service',
  namespace: 'podinfo',
  syncWave: WAVES.clusterServices,
  // Every image slot of the vendored chart (vendor/charts/podinfo-6.7.1/images.json), and whether it runs.
  chart: () => ({
    repoURL: 'https://stefanprodan.github.io/podinfo',
    chart: 'podinfo',
    version: '6.7.1',
    images: { image: { deployed: true }, redis: { deployed: false } },
  }),
  values: ({ traits }) => ({ replicaCount: workload.replicas, ingress: { enabled: false, className: traits.ingressClass } }),
  facts: () => ({
    workloads: [workload],
    services: [{ name: 'podinfo', ports: [{ port: 9898, targetPort: 9898 }], workload: 'podinfo' }],
    connections: [{ from: { kind: 'nodes' }, to: chartWorkloadPeer('podinfo', workload), ports: [{ port: 9898 }], purpose: 'kubelet probes' }],
  }),
});
