import { PlatformAddOn } from '../addons/addon';
import { HelmAddOn } from '../addons/helm-addon';
import { Environment } from '../lib/model/schema';
import { BootstrapChart } from './substrate';

/**
 * Cilium as the bootstrap stack installs it (kube-proxy replacement through the API VIP). The same
 * chart and values are then owned by Argo CD, so later changes are commits, not Terraform applies.
 */
export function ciliumRelease(env: Environment, apiHost: string, apiPort: number): BootstrapChart {
  return {
    name: 'cilium',
    namespace: 'kube-system',
    chart: { repoURL: 'https://helm.cilium.io', chart: 'cilium', version: '1.16.5' },
    values: {
      kubeProxyReplacement: true,
      k8sServiceHost: apiHost,
      k8sServicePort: apiPort,
      ipam: { mode: 'kubernetes' },
      l2announcements: { enabled: true },
      externalIPs: { enabled: true },
      operator: { replicas: 2 },
      hubble: { relay: { enabled: true }, ui: { enabled: true } },
      ...(env.registryMirror ? { image: { repository: `${env.registryMirror}/quay.io/cilium/cilium`, useDigest: false } } : {}),
    },
  };
}

export function ciliumAddOn(release: BootstrapChart): PlatformAddOn {
  return new HelmAddOn({
    id: 'cilium',
    description: 'Cilium CNI: eBPF dataplane, kube-proxy replacement, network policy, LB-IPAM, Hubble',
    namespace: release.namespace,
    syncWave: -30,
    chart: () => release.chart,
    values: () => release.values,
  });
}

/** Rook operator, then a CephCluster with block pool and the `ceph-block` default StorageClass (seed 004). */
export const rookCephOperator = new HelmAddOn({
  id: 'rook-ceph',
  description: 'Rook operator managing the Ceph lifecycle',
  namespace: 'rook-ceph',
  syncWave: -15,
  chart: () => ({ repoURL: 'https://charts.rook.io/release', chart: 'rook-ceph', version: 'v1.16.0' }),
  values: () => ({ crds: { enabled: true }, monitoring: { enabled: true } }),
  syncOptions: ['ServerSideApply=true'],
});

export const rookCephCluster = new HelmAddOn({
  id: 'rook-ceph-cluster',
  description: 'CephCluster: 3-way replication, host failure domain; RBD StorageClass ceph-block',
  namespace: 'rook-ceph',
  syncWave: -14,
  chart: () => ({ repoURL: 'https://charts.rook.io/release', chart: 'rook-ceph-cluster', version: 'v1.16.0' }),
  values: () => ({
    operatorNamespace: 'rook-ceph',
    cephClusterSpec: { mon: { count: 3 }, mgr: { count: 2 }, storage: { useAllNodes: true, useAllDevices: true }, dashboard: { enabled: true, ssl: true } },
    cephBlockPools: [
      {
        name: 'replicapool',
        spec: { failureDomain: 'host', replicated: { size: 3 } },
        storageClass: { enabled: true, name: 'ceph-block', isDefault: true, reclaimPolicy: 'Retain', allowVolumeExpansion: true, parameters: {} },
      },
    ],
    cephFileSystems: [],
    cephObjectStores: [],
  }),
});
