import { PoolScheduling, nodePoolLabels, nodePoolTaints } from '../gpu';

/**
 * Values kubeadm needs that are secret or only known to the operator. They are passed in as strings so
 * the same renderer produces review files (with placeholders) and Terraform user data (with references
 * to sensitive variables): no secret value is ever part of the synthesized output.
 */
export interface KubeadmSecrets {
  readonly bootstrapToken: string;
  readonly certificateKey: string;
  /** The cluster CA certificate (PEM), base64-encoded: public; joining hosts trust it by file discovery. */
  readonly caCertificateBase64: string;
}

/** Kubeconfig that joining hosts discover the cluster with: the API endpoint and the CA they trust. */
export const DISCOVERY_KUBECONFIG = '/etc/kubernetes/discovery.conf';

/**
 * File discovery: the joining host trusts the CA in this kubeconfig and authenticates with the
 * bootstrap token, so nothing about the CA (a hash) has to be computed or copied.
 */
export function discoveryKubeconfig(spec: KubeadmClusterSpec, secrets: KubeadmSecrets) {
  return {
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [
      {
        name: spec.clusterName,
        cluster: {
          server: `https://${spec.controlPlaneEndpoint.host}:${spec.controlPlaneEndpoint.port}`,
          'certificate-authority-data': secrets.caCertificateBase64,
        },
      },
    ],
    contexts: [{ name: spec.clusterName, context: { cluster: spec.clusterName, user: '' } }],
    'current-context': spec.clusterName,
    users: [],
  };
}

export interface KubeadmClusterSpec {
  readonly clusterName: string;
  /** Full version, e.g. "1.31.4". */
  readonly version: string;
  readonly controlPlaneEndpoint: { readonly host: string; readonly port: number };
  readonly podCidr: string;
  readonly serviceCidr: string;
  /** Registry serving the control-plane images (air-gapped mirror), or undefined for registry.k8s.io. */
  readonly imageRepository?: string;
}

export interface KubeadmNode {
  readonly name: string;
  readonly ip: string;
  readonly role: 'control-plane' | 'worker';
  /** Pool of a worker; undefined for control-plane hosts. */
  readonly pool?: PoolScheduling;
}

const API = 'kubeadm.k8s.io/v1beta4';
const CRI_SOCKET = 'unix:///run/containerd/containerd.sock';
export const ENCRYPTION_CONFIG_PATH = '/etc/kubernetes/encryption/config.yaml';

/** Labels the kubelet registers the node with (its pool's), and the taints kubeadm puts on it. */
export function kubeadmNodeLabels(node: KubeadmNode): Record<string, string> {
  return node.pool ? nodePoolLabels(node.pool) : {};
}

/** Control planes keep workloads off; GPU and dedicated workers admit only pods that tolerate their taints. */
export function kubeadmNodeTaints(node: KubeadmNode): Array<{ key: string; value?: string; effect: 'NoSchedule' }> {
  if (node.role === 'control-plane') return [{ key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' }];
  return node.pool ? nodePoolTaints(node.pool) : [];
}

function nodeRegistration(node: KubeadmNode) {
  const labels = kubeadmNodeLabels(node);
  const labelArg = Object.entries(labels)
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([k, v]) => `${k}=${v}`)
    .join(',');
  return {
    name: node.name,
    criSocket: CRI_SOCKET,
    imagePullPolicy: 'IfNotPresent',
    kubeletExtraArgs: [{ name: 'node-ip', value: node.ip }, ...(labelArg ? [{ name: 'node-labels', value: labelArg }] : [])],
    taints: kubeadmNodeTaints(node),
  };
}

/** ClusterConfiguration: HA endpoint, stacked etcd, the environment's networks, secrets encrypted at rest. */
export function clusterConfiguration(spec: KubeadmClusterSpec) {
  return {
    apiVersion: API,
    kind: 'ClusterConfiguration',
    clusterName: spec.clusterName,
    kubernetesVersion: `v${spec.version}`,
    controlPlaneEndpoint: `${spec.controlPlaneEndpoint.host}:${spec.controlPlaneEndpoint.port}`,
    // With its own repository kubeadm looks for CoreDNS at <repository>/coredns, not at the upstream path
    // coredns/coredns (GetDNSImage), so the DNS repository is spelled out to match the mirror's copy.
    ...(spec.imageRepository ? { imageRepository: spec.imageRepository, dns: { imageRepository: `${spec.imageRepository}/coredns` } } : {}),
    networking: { podSubnet: spec.podCidr, serviceSubnet: spec.serviceCidr, dnsDomain: 'cluster.local' },
    etcd: { local: { dataDir: '/var/lib/etcd' } },
    apiServer: {
      certSANs: [spec.controlPlaneEndpoint.host],
      extraArgs: [
        { name: 'encryption-provider-config', value: ENCRYPTION_CONFIG_PATH },
        { name: 'profiling', value: 'false' },
      ],
      extraVolumes: [
        {
          name: 'encryption',
          hostPath: '/etc/kubernetes/encryption',
          mountPath: '/etc/kubernetes/encryption',
          readOnly: true,
          pathType: 'DirectoryOrCreate',
        },
      ],
    },
    controllerManager: { extraArgs: [{ name: 'profiling', value: 'false' }] },
    scheduler: { extraArgs: [{ name: 'profiling', value: 'false' }] },
  };
}

/** KubeletConfiguration shared by every node: systemd cgroups (cgroup v2 hosts), no anonymous access. */
export function kubeletConfiguration() {
  return {
    apiVersion: 'kubelet.config.k8s.io/v1beta1',
    kind: 'KubeletConfiguration',
    cgroupDriver: 'systemd',
    containerRuntimeEndpoint: CRI_SOCKET,
    authentication: { anonymous: { enabled: false }, webhook: { enabled: true } },
    authorization: { mode: 'Webhook' },
    readOnlyPort: 0,
    protectKernelDefaults: true,
    rotateCertificates: true,
    serverTLSBootstrap: true,
    failSwapOn: true,
  };
}

/** Phases kubeadm init skips: kube-proxy, which Cilium replaces. */
export const KUBEADM_SKIP_PHASES = ['addon/kube-proxy'] as const;

/** InitConfiguration for the first control-plane host. kube-proxy is skipped: Cilium replaces it. */
export function initConfiguration(node: KubeadmNode, secrets: KubeadmSecrets) {
  return {
    apiVersion: API,
    kind: 'InitConfiguration',
    bootstrapTokens: [
      {
        token: secrets.bootstrapToken,
        ttl: '2h0m0s',
        usages: ['signing', 'authentication'],
        groups: ['system:bootstrappers:kubeadm:default-node-token'],
      },
    ],
    certificateKey: secrets.certificateKey,
    localAPIEndpoint: { advertiseAddress: node.ip, bindPort: 6443 },
    nodeRegistration: nodeRegistration(node),
    skipPhases: [...KUBEADM_SKIP_PHASES],
  };
}

/** JoinConfiguration for every other host; control-plane hosts also join etcd and the API servers. */
export function joinConfiguration(node: KubeadmNode, spec: KubeadmClusterSpec, secrets: KubeadmSecrets) {
  return {
    apiVersion: API,
    kind: 'JoinConfiguration',
    discovery: { file: { kubeConfigPath: DISCOVERY_KUBECONFIG }, tlsBootstrapToken: secrets.bootstrapToken },
    nodeRegistration: nodeRegistration(node),
    ...(node.role === 'control-plane'
      ? { controlPlane: { localAPIEndpoint: { advertiseAddress: node.ip, bindPort: 6443 }, certificateKey: secrets.certificateKey } }
      : {}),
  };
}

/** The kubeadm documents one host is initialised or joined with, in `kubeadm --config` order. */
export function kubeadmDocuments(node: KubeadmNode, first: boolean, spec: KubeadmClusterSpec, secrets: KubeadmSecrets): object[] {
  return first
    ? [initConfiguration(node, secrets), clusterConfiguration(spec), kubeletConfiguration()]
    : [joinConfiguration(node, spec, secrets), kubeletConfiguration()];
}
