import { chartDefaults } from '../lib/core/charts/vendored';
import { CILIUM_IMAGES, KUBELET_CSR_APPROVER_IMAGES, ROOK_CEPH_CLUSTER_IMAGES, ROOK_CEPH_IMAGES } from './chart-images';
import { PlatformAddOn } from '../contracts/addon';
import { HelmAddOn } from '../addons/helm-addon';
import { Environment } from '../lib/core/model/schema';
import { BootstrapChart } from '../contracts/substrate';
import { WAVES } from '../lib/core/facts/waves';
import { ciliumLoadBalancingObjects } from './kubeadm-load-balancing';

export const CEPH_BLOCK_CLASS = 'ceph-block';
/** Shared file storage (ReadWriteMany) on CephFS. */
export const CEPH_FILESYSTEM_CLASS = 'ceph-filesystem';
/** Buckets on the cluster's RGW, by ObjectBucketClaim. */
export const CEPH_BUCKET_CLASS = 'ceph-bucket';
/** Every pool replicated three times, one copy per host (seed 004): a host can fail without data loss. */
const REPLICATED_BY_HOST = { failureDomain: 'host', replicated: { size: 3 } } as const;
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- an entry of the chart's values.yaml lists
type ChartEntry = any;

/**
 * Cilium as the bootstrap stack installs it (kube-proxy replacement through the API VIP). The same
 * chart and values are then owned by Argo CD, so later changes are commits, not Terraform applies.
 */
export function ciliumRelease(env: Environment, apiHost: string, apiPort: number): BootstrapChart {
  return {
    name: 'cilium',
    namespace: 'kube-system',
    chart: { repoURL: 'https://helm.cilium.io', chart: 'cilium', version: '1.16.5', images: CILIUM_IMAGES },
    values: {
      kubeProxyReplacement: true,
      k8sServiceHost: apiHost,
      k8sServicePort: apiPort,
      ipam: { mode: 'kubernetes' },
      l2announcements: { enabled: true },
      // LoadBalancer Services of class io.cilium/node (internal ingress) get the nodes' addresses.
      nodeIPAM: { enabled: true },
      externalIPs: { enabled: true },
      operator: { replicas: 2 },
      // Hubble's TLS certificates come from the chart's certgen CronJob in the cluster: the default "helm"
      // method generates new ones on every render, so Argo CD would see drift on every refresh.
      hubble: { relay: { enabled: true }, ui: { enabled: true }, tls: { auto: { enabled: true, method: 'cronJob' } } },
      // NetworkPolicy ipBlocks must match the control-plane hosts (API server on the host network):
      // without this Cilium gives node addresses their own identity and a CIDR rule never selects them.
      policyCIDRMatchMode: ['nodes'],
    },
  };
}

export function ciliumAddOn(release: BootstrapChart): PlatformAddOn {
  return new HelmAddOn({
    id: 'cilium',
    description: 'Cilium CNI: eBPF dataplane, kube-proxy replacement, network policy, LB-IPAM, Hubble',
    namespace: release.namespace,
    syncWave: WAVES.cni,
    chart: () => release.chart,
    values: () => release.values,
    // The environment's address pools and their L2 announcements (the operator registers their CRDs).
    extras: (chart, { env }) => ciliumLoadBalancingObjects(chart, env),
    facts: () => ({
      // The agent registers these at start (they are not chart templates); the bootstrap stack installs it first.
      crds: [
        {
          group: 'cilium.io',
          kinds: [
            'CiliumNetworkPolicy',
            'CiliumClusterwideNetworkPolicy',
            'CiliumLoadBalancerIPPool',
            'CiliumL2AnnouncementPolicy',
            'CiliumEndpoint',
            'CiliumNode',
            'CiliumIdentity',
          ],
        },
      ],
      workloads: [
        {
          name: 'cilium',
          kind: 'DaemonSet',
          podSecurity: 'privileged',
          podSecurityReason: 'the eBPF dataplane: hostNetwork, privileged init containers',
          podLabels: { 'k8s-app': 'cilium' },
        },
      ],
    }),
  });
}

/** The Rook operator and cluster charts are released together; the cluster chart must match the operator. */
const ROOK_REPO = 'https://charts.rook.io/release';
const ROOK_VERSION = 'v1.16.0';

/** Rook operator, then a CephCluster with block pool and the `ceph-block` default StorageClass (The Lab design). */
export const rookCephOperator = new HelmAddOn({
  id: 'rook-ceph',
  description: 'Rook operator managing the Ceph lifecycle',
  namespace: 'rook-ceph',
  syncWave: WAVES.storageOperator,
  chart: () => ({ repoURL: ROOK_REPO, chart: 'rook-ceph', version: ROOK_VERSION, images: ROOK_CEPH_IMAGES }),
  // Where the control planes run Ceph, its CSI plugins run there too (a volume can be mounted on any Ceph host).
  values: ({ env }) => ({
    crds: { enabled: true },
    monitoring: { enabled: true },
    ...(cephOnControlPlanes(env) ? { csi: { pluginTolerations: [CONTROL_PLANE_TOLERATION] } } : {}),
  }),
  syncOptions: ['ServerSideApply=true'],
  facts: () => ({
    crds: [
      {
        group: 'ceph.rook.io',
        kinds: [
          'CephCluster',
          'CephBlockPool',
          'CephFilesystem',
          'CephObjectStore',
          'CephObjectStoreUser',
          'CephNFS',
          'CephClient',
          'CephRBDMirror',
          'CephFilesystemMirror',
          'CephFilesystemSubVolumeGroup',
          'CephBucketNotification',
          'CephBucketTopic',
          'CephCOSIDriver',
          'CephBlockPoolRadosNamespace',
          'CephObjectRealm',
          'CephObjectZone',
          'CephObjectZoneGroup',
        ],
      },
      { group: 'objectbucket.io', kinds: ['ObjectBucket', 'ObjectBucketClaim'] },
    ],
    workloads: [
      { name: 'rook-ceph-operator', kind: 'Deployment', podSecurity: 'restricted', podLabels: { app: 'rook-ceph-operator' } },
      {
        name: 'csi-plugins',
        kind: 'DaemonSet',
        podSecurity: 'privileged',
        podSecurityReason: 'the Ceph CSI node plugins are privileged with hostPath mounts of the kubelet and /dev (rook-ceph csi templates)',
        podLabels: { app: 'csi-rbdplugin' },
      },
    ],
  }),
});

/** What kubeadm's control-plane taint lets through. */
const CONTROL_PLANE_TOLERATION = { key: 'node-role.kubernetes.io/control-plane', operator: 'Exists', effect: 'NoSchedule' } as const;

/** Whether the site runs Ceph on its control-plane hosts too (substrate.storageOnControlPlanes). */
function cephOnControlPlanes(env: Environment): boolean {
  return env.substrate.kind === 'kubeadm' && env.substrate.storageOnControlPlanes;
}

/**
 * Ceph on its own networks where the site has them (substrate.storageNetworks): daemons on the host
 * network, clients on the public VLAN, replication on the cluster VLAN, so recovery traffic never
 * competes with the nodes' (the Lab's VLANs 30 and 31). Nothing: Ceph shares the pod network.
 */
function cephNetwork(env: Environment) {
  const networks = env.substrate.kind === 'kubeadm' ? env.substrate.storageNetworks : undefined;
  if (!networks) return {};
  return { network: { provider: 'host', addressRanges: { public: [networks.public.cidr], cluster: [networks.cluster.cidr] } } };
}

export const rookCephCluster = new HelmAddOn({
  id: 'rook-ceph-cluster',
  description: 'CephCluster: 3-way replication by host; RBD (ceph-block), CephFS (ceph-filesystem), RGW buckets (ceph-bucket)',
  namespace: 'rook-ceph',
  syncWave: WAVES.storage,
  chart: () => ({ repoURL: ROOK_REPO, chart: 'rook-ceph-cluster', version: ROOK_VERSION, images: ROOK_CEPH_CLUSTER_IMAGES }),
  values: ({ env }) => ({
    operatorNamespace: 'rook-ceph',
    cephClusterSpec: {
      mon: { count: 3 },
      mgr: { count: 2 },
      storage: { useAllNodes: true, useAllDevices: true },
      dashboard: { enabled: true, ssl: true },
      ...cephNetwork(env),
      // Every daemon (mons, managers, OSDs) may then run on the control planes, past their taint.
      ...(cephOnControlPlanes(env) ? { placement: { all: { tolerations: [CONTROL_PLANE_TOLERATION] } } } : {}),
    },
    cephBlockPools: [
      {
        name: 'replicapool',
        spec: { failureDomain: 'host', replicated: { size: 3 } },
        storageClass: {
          enabled: true,
          name: CEPH_BLOCK_CLASS,
          isDefault: true,
          reclaimPolicy: 'Retain',
          allowVolumeExpansion: true,
          // Helm replaces the chart's pool list whole and the template has no fallback, so the CSI
          // provisioner/node secret references and image features are taken from the chart's own default
          // pool: without them no volume can be provisioned.
          parameters: { ...chartDefaults('rook-ceph-cluster', ROOK_VERSION).cephBlockPools[0].storageClass.parameters },
        },
      },
    ],
    // CephFS and the RGW object store as the Lab lays them out: the chart's own definitions (their CSI
    // secret parameters and resources), every pool replicated three times across hosts (the chart's
    // object data pool is erasure-coded 2+1, which survives one host too but is not the Lab's layout),
    // two gateways so a restarting one does not stop object traffic.
    cephFileSystems: chartDefaults('rook-ceph-cluster', ROOK_VERSION).cephFileSystems.map((fs: ChartEntry) => ({
      ...fs,
      spec: { ...fs.spec, metadataPool: REPLICATED_BY_HOST, dataPools: fs.spec.dataPools.map((p: ChartEntry) => ({ ...p, ...REPLICATED_BY_HOST })) },
      storageClass: { ...fs.storageClass, name: CEPH_FILESYSTEM_CLASS, reclaimPolicy: 'Retain' },
    })),
    cephObjectStores: chartDefaults('rook-ceph-cluster', ROOK_VERSION).cephObjectStores.map((store: ChartEntry) => ({
      ...store,
      spec: {
        ...store.spec,
        metadataPool: REPLICATED_BY_HOST,
        dataPool: { ...REPLICATED_BY_HOST, parameters: store.spec.dataPool.parameters },
        gateway: { ...store.spec.gateway, instances: 2 },
      },
      storageClass: { ...store.storageClass, name: CEPH_BUCKET_CLASS },
    })),
  }),
  facts: () => ({
    storageClasses: [
      { name: CEPH_BLOCK_CLASS, provisioner: 'rook-ceph.rbd.csi.ceph.com' },
      { name: CEPH_FILESYSTEM_CLASS, provisioner: 'rook-ceph.cephfs.csi.ceph.com' },
      { name: CEPH_BUCKET_CLASS, provisioner: 'rook-ceph.ceph.rook.io/bucket' },
    ],
    workloads: [
      {
        name: 'ceph-daemons',
        kind: 'DaemonSet',
        podSecurity: 'privileged',
        podSecurityReason: 'OSDs and mons use host paths (/var/lib/rook, raw devices) and privileged containers',
        podLabels: { rook_cluster: 'rook-ceph' },
      },
    ],
  }),
});

/**
 * Approves the kubelets' serving-certificate requests (kubeadm sets serverTLSBootstrap so kubelets
 * serve certificates signed by the cluster CA): only for the environment's own host names and node
 * addresses. Without it logs, exec, port-forward and metrics-server fail on every node.
 */
export function kubeletCsrApprover(env: Environment, hostNames: string[], nodeCidr: string): PlatformAddOn {
  return new HelmAddOn({
    id: 'kubelet-csr-approver',
    description: "Approves kubelet serving-certificate CSRs of the environment's hosts only",
    namespace: 'kube-system',
    syncWave: WAVES.cni,
    chart: () => ({
      repoURL: 'https://postfinance.github.io/kubelet-csr-approver',
      chart: 'kubelet-csr-approver',
      version: '1.2.6',
      images: KUBELET_CSR_APPROVER_IMAGES,
    }),
    values: () => ({
      providerRegex: `^(${hostNames.map((h) => h.replace(/[.-]/g, '\\$&')).join('|')})$`,
      providerIpPrefixes: [nodeCidr],
      // Air-gapped sites may not publish the hosts in DNS; the name and address checks above still apply.
      bypassDnsResolution: true,
      maxExpirationSeconds: 31536000,
      replicas: 2,
    }),
    facts: () => ({
      approvesKubeletServingCertificates: true,
      workloads: [
        {
          name: 'kubelet-csr-approver',
          namespace: 'kube-system',
          kind: 'Deployment',
          podSecurity: 'restricted',
          replicas: 2,
          podLabels: { 'app.kubernetes.io/name': 'kubelet-csr-approver' },
        },
      ],
    }),
  });
}
