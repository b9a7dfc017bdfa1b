import { KUBE_VIP_IMAGE, fromMirror, pauseImage } from './host-images';
import { toYaml, toYamlStream } from '../../lib/core/util/serialize';
import { containerdConfig, registryHostsToml } from './containerd-config';
import {
  DISCOVERY_KUBECONFIG,
  ENCRYPTION_CONFIG_PATH,
  KubeadmClusterSpec,
  KubeadmNode,
  KubeadmSecrets,
  discoveryKubeconfig,
  kubeadmDocuments,
} from './kubeadm-config';

const KUBE_VIP_MANIFEST = '/etc/kubernetes/manifests/kube-vip.yaml';
const KUBE_VIP_STAGED = '/etc/kubernetes/kube-vip.yaml';

export interface NodeBootstrapSecrets extends KubeadmSecrets {
  /** The cluster CA's private key (PEM), base64-encoded: written to the first control plane only. */
  readonly caKeyBase64: string;
  /** 32-byte base64 key that encrypts Secrets in etcd (control-plane hosts only). */
  readonly secretsEncryptionKey: string;
}

export interface CloudInitInput {
  readonly node: KubeadmNode;
  /** The host that runs `kubeadm init`; all others join. */
  readonly first: boolean;
  readonly spec: KubeadmClusterSpec;
  readonly secrets: NodeBootstrapSecrets;
  readonly gpu: boolean;
  readonly registryMirror?: string;
  /** Origin registries of the images the environment pulls: each resolves through the mirror. @default [] */
  readonly mirroredRegistries?: ReadonlyArray<string>;
  /**
   * A pull-through cache (without `registryMirror`): each origin is pulled through the cache's project
   * of its name, and from its upstream when the cache fails (so the cache may run in this cluster).
   * @default none
   */
  readonly pullThroughCache?: { readonly host: string; readonly origins: ReadonlyArray<{ readonly origin: string; readonly upstream: string }> };
  /** Network interface carrying the node address (for the kube-vip ARP announcement). */
  readonly interface: string;
  /** Directories local PersistentVolumes point at, created before the node joins. @default [] */
  readonly localVolumeDirectories?: ReadonlyArray<{ readonly path: string; readonly owner: string; readonly mode: string }>;
}

function encryptionConfig(key: string): string {
  return toYaml({
    apiVersion: 'apiserver.config.k8s.io/v1',
    kind: 'EncryptionConfiguration',
    resources: [{ resources: ['secrets'], providers: [{ secretbox: { keys: [{ name: 'key1', secret: key }] } }, { identity: {} }] }],
  });
}

/** kube-vip as a static pod: the API server VIP moves between control-plane hosts by ARP. */
function kubeVipManifest(input: CloudInitInput): string {
  // kubeadm >= 1.29 only grants admin.conf cluster-admin after init; the first host must use super-admin.conf.
  const kubeconfig = input.first ? '/etc/kubernetes/super-admin.conf' : '/etc/kubernetes/admin.conf';
  return toYaml({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'kube-vip', namespace: 'kube-system' },
    spec: {
      hostNetwork: true,
      containers: [
        {
          name: 'kube-vip',
          image: fromMirror(KUBE_VIP_IMAGE, input.registryMirror),
          args: ['manager'],
          env: [
            { name: 'vip_address', value: input.spec.controlPlaneEndpoint.host },
            { name: 'port', value: String(input.spec.controlPlaneEndpoint.port) },
            { name: 'vip_interface', value: input.interface },
            { name: 'vip_arp', value: 'true' },
            { name: 'cp_enable', value: 'true' },
            { name: 'vip_leaderelection', value: 'true' },
          ],
          securityContext: { capabilities: { add: ['NET_ADMIN', 'NET_RAW'], drop: ['ALL'] } },
          volumeMounts: [{ name: 'kubeconfig', mountPath: '/etc/kubernetes/admin.conf' }],
        },
      ],
      volumes: [{ name: 'kubeconfig', hostPath: { path: kubeconfig } }],
    },
  });
}

/**
 * cloud-init user data that turns a freshly deployed Ubuntu host into a cluster node: kernel modules
 * and sysctls for Kubernetes, containerd configured for the kubelet (and NVIDIA on GPU hosts), then
 * `kubeadm init` or `kubeadm join`. The kubeadm file holds the bootstrap token, so it is removed after
 * use; packages come from the package repositories MAAS configures on deployed machines.
 */
export function cloudInit(input: CloudInitInput): string {
  const { node, spec } = input;
  const controlPlane = node.role === 'control-plane';
  const minor = spec.version.split('.').slice(0, 2).join('.');
  const pkgVersion = `${spec.version}-1.1`;
  const files: Array<{ path: string; content: string; permissions: string; encoding?: string }> = [
    { path: '/etc/modules-load.d/kubernetes.conf', content: 'overlay\nbr_netfilter\n', permissions: '0644' },
    {
      path: '/etc/sysctl.d/90-kubernetes.conf',
      // The last four are what the kubelet's protectKernelDefaults expects.
      content: [
        'net.ipv4.ip_forward = 1',
        'net.bridge.bridge-nf-call-iptables = 1',
        'net.bridge.bridge-nf-call-ip6tables = 1',
        'vm.overcommit_memory = 1',
        'vm.panic_on_oom = 0',
        'kernel.panic = 10',
        'kernel.panic_on_oops = 1',
        '',
      ].join('\n'),
      permissions: '0644',
    },
    {
      path: '/etc/containerd/config.toml',
      content: containerdConfig({
        gpu: input.gpu,
        registryMirror: input.registryMirror,
        sandboxImage: fromMirror(pauseImage(input.spec.version), input.registryMirror),
      }),
      permissions: '0644',
    },
    ...(input.registryMirror
      ? (input.mirroredRegistries ?? []).map((origin) => ({
          path: `/etc/containerd/certs.d/${origin}/hosts.toml`,
          content: registryHostsToml(input.registryMirror!, origin),
          permissions: '0644',
        }))
      : (input.pullThroughCache?.origins ?? []).map(({ origin, upstream }) => ({
          path: `/etc/containerd/certs.d/${origin}/hosts.toml`,
          content: registryHostsToml(input.pullThroughCache!.host, origin, upstream),
          permissions: '0644',
        }))),
    { path: '/etc/kubernetes/kubeadm.yaml', content: toYamlStream(kubeadmDocuments(node, input.first, spec, input.secrets)), permissions: '0600' },
    // The first control plane signs with the cluster CA Terraform generated; the others trust it by file.
    ...(input.first
      ? [
          { path: '/etc/kubernetes/pki/ca.crt', encoding: 'b64', content: input.secrets.caCertificateBase64, permissions: '0644' },
          { path: '/etc/kubernetes/pki/ca.key', encoding: 'b64', content: input.secrets.caKeyBase64, permissions: '0600' },
        ]
      : [{ path: DISCOVERY_KUBECONFIG, content: toYaml(discoveryKubeconfig(spec, input.secrets)), permissions: '0600' }]),
    ...(controlPlane
      ? [
          { path: ENCRYPTION_CONFIG_PATH, content: encryptionConfig(input.secrets.secretsEncryptionKey), permissions: '0600' },
          // kube-vip must serve the VIP before `kubeadm init` (the endpoint is the VIP); a joining control
          // plane gets it after `kubeadm join`, whose preflight requires an empty manifests directory.
          { path: input.first ? KUBE_VIP_MANIFEST : KUBE_VIP_STAGED, content: kubeVipManifest(input), permissions: '0600' },
        ]
      : []),
  ];
  const kubeadm = input.first
    ? ['kubeadm', 'init', '--config', '/etc/kubernetes/kubeadm.yaml', '--upload-certs']
    : ['kubeadm', 'join', '--config', '/etc/kubernetes/kubeadm.yaml'];
  const doc = {
    hostname: node.name,
    package_update: true,
    packages: [
      'containerd',
      `kubelet=${pkgVersion}`,
      `kubeadm=${pkgVersion}`,
      `kubectl=${pkgVersion}`,
      ...(input.gpu ? ['nvidia-container-toolkit'] : []),
    ],
    write_files: files,
    runcmd: [
      ['swapoff', '-a'],
      ['sed', '-i', '/ swap / s/^/#/', '/etc/fstab'],
      ['modprobe', 'overlay'],
      ['modprobe', 'br_netfilter'],
      ['sysctl', '--system'],
      ['apt-mark', 'hold', 'kubelet', 'kubeadm', 'kubectl'],
      ['systemctl', 'restart', 'containerd'],
      ['systemctl', 'enable', 'kubelet'],
      ...(input.localVolumeDirectories ?? []).flatMap((d) => [
        ['mkdir', '-p', d.path],
        ['chown', d.owner, d.path],
        ['chmod', d.mode, d.path],
      ]),
      kubeadm,
      ...(controlPlane && !input.first ? [['mv', KUBE_VIP_STAGED, KUBE_VIP_MANIFEST]] : []),
      ['shred', '-u', '/etc/kubernetes/kubeadm.yaml'],
    ],
  };
  const text = `#cloud-config\n# ${node.name}: ${node.role}${node.pool ? ` in pool ${node.pool.name}` : ''}, Kubernetes ${minor}\n${toYaml(doc)}`;
  // Terraform would read "${" or "%{" in user data as its own template syntax; only references it placed itself may appear.
  if (/\$\{(?!TfToken\[)|%\{/.test(text)) throw new Error(`cloud-init for ${node.name} contains a Terraform template sequence`);
  return text;
}
