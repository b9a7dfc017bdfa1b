import { hostImages, kubeadmReleaseImages, kubeadmReleases } from '../constructs/kubeadm/host-images';
import { CloudInitInput, NodeBootstrapSecrets, cloudInit } from '../constructs/kubeadm/cloud-init';
import {
  KUBEADM_SKIP_PHASES,
  KubeadmClusterSpec,
  KubeadmNode,
  kubeadmDocuments,
  kubeadmNodeLabels,
  kubeadmNodeTaints,
} from '../constructs/kubeadm/kubeadm-config';
import { MaasInstance } from '../constructs/maas/maas-instance';
import { MaasMachine } from '../constructs/maas/maas-machine';
import { MaasProvider } from '../constructs/maas/maas-provider';
import { Fn, TerraformOutput, TerraformVariable } from '../lib/core/facade/tf';
import { toYaml, toYamlStream } from '../lib/core/util/serialize';
import { PlatformAddOn } from '../contracts/addon';
import { ConfigIssue, show } from '../lib/core/model/issues';
import { ConfigFor, Environment, HostConfig } from '../lib/core/model/schema';
import { cidrContainsIp } from '../lib/core/util/cidr';
import { duplicates } from '../lib/core/model/issues';
import { kubeletLabels } from './cluster-nodes';
import { s3CompatibleBackupStorage } from './backup-storage';
import { ciliumAddOn, ciliumRelease, kubeletCsrApprover, rookCephCluster, rookCephOperator } from './kubeadm-addons';
import {
  BackupStorage,
  BootstrapChart,
  ClusterFacts,
  ClusterNode,
  VaultSeal,
  InfrastructureContext,
  InfrastructureOutputs,
  NetworkRange,
  NodePoolSummary,
  PlatformTraits,
  ReviewFiles,
  Substrate,
} from '../contracts/substrate';

type KubeadmConfig = ConfigFor<'kubeadm'>;

/** What review copies show where Terraform substitutes a sensitive variable at apply time. */
const REVIEW_PLACEHOLDERS: NodeBootstrapSecrets = {
  bootstrapToken: '<sensitive: var.kubeadm_bootstrap_token>',
  certificateKey: '<sensitive: var.kubeadm_certificate_key>',
  caCertHash: '<var.kubeadm_ca_cert_hash>',
  secretsEncryptionKey: '<sensitive: var.secrets_encryption_key>',
};

function kubeadmConfig(env: Environment): KubeadmConfig {
  if (env.substrate.kind !== 'kubeadm') throw new Error(`environment ${env.name} is not a kubeadm environment`);
  return env.substrate;
}

function hostsOf(cfg: KubeadmConfig, pool: string): HostConfig[] {
  return cfg.hosts.filter((h) => h.pool === pool);
}

/**
 * Bare metal with kubeadm: a fixed host inventory instead of autoscaling groups, Rook-Ceph for
 * storage and the GPU operator (drivers are not preinstalled on the hosts).
 */
/** The external service a bare-metal site names as its S3-compatible object store. */
const OBJECT_STORE = 'object-store';

/** MAAS distro series -> the OS suffix of NVIDIA's driver images. */
const UBUNTU_RELEASES = { jammy: 'ubuntu22.04', noble: 'ubuntu24.04' } as const;

export class KubeadmSubstrate implements Substrate {
  readonly kind = 'kubeadm' as const;
  readonly title = 'Bare metal (kubeadm)';
  readonly traits: PlatformTraits = {
    defaultStorageClass: 'ceph-block',
    ingressClass: 'nginx',
    // Cilium LB-IPAM hands out addresses from the public-ingress VLAN pool and announces them over L2.
    loadBalancerAnnotations: { 'lbipam.cilium.io/sharing-key': 'ingress' },
    // Internal exposure: the address comes from the node VLAN's LB-IPAM pool instead of the public one.
    internalLoadBalancerAnnotations: { 'lbipam.cilium.io/pool': 'internal' },
    gpuEnablement: 'gpu-operator',
    managedAddOns: [],
  };

  validate(env: Environment): ConfigIssue[] {
    const cfg = kubeadmConfig(env);
    const out: ConfigIssue[] = [];
    const add = (path: string, found: unknown, expected: string) => out.push({ environment: env.name, path, found: show(found), expected });

    if (env.addons.includes('velero') && !env.externalServices.some((s) => s.name === OBJECT_STORE)) {
      const names = env.externalServices.map((s) => s.name);
      add(
        'externalServices',
        names,
        `an entry named "${OBJECT_STORE}": the site's S3-compatible object store (e.g. Ceph RGW), where velero keeps backups`,
      );
    }
    if (!/^1\.\d+\.\d+$/.test(env.kubernetesVersion)) {
      add('kubernetesVersion', env.kubernetesVersion, 'a full patch version such as "1.31.4" (kubeadm installs exact versions)');
    } else if (!kubeadmReleaseImages(env.kubernetesVersion)) {
      add(
        'kubernetesVersion',
        env.kubernetesVersion,
        `a release whose kubeadm images are vendored (vendor/kubeadm/images.json), e.g. ${kubeadmReleases().slice(0, 3).join(', ')}`,
      );
    }
    for (const [key, label] of [
      ['name', 'host name'],
      ['ip', 'host IP'],
      ['pxeMac', 'PXE MAC'],
    ] as const) {
      for (const { index, value } of duplicates(cfg.hosts, (h) => h[key]))
        add(`substrate.hosts[${index}].${key}`, value, `a ${label} used only once`);
    }
    cfg.hosts.forEach((h, i) => {
      if (!cidrContainsIp(cfg.nodeCidr, h.ip)) add(`substrate.hosts[${i}].ip`, h.ip, `an address inside the node network ${cfg.nodeCidr}`);
      if (h.role === 'control-plane' && h.pool !== undefined) add(`substrate.hosts[${i}].pool`, h.pool, 'no pool on a control-plane host');
      if (h.role === 'worker') {
        const pool = env.cluster.nodePools.find((p) => p.name === h.pool);
        if (!pool) add(`substrate.hosts[${i}].pool`, h.pool, `one of the node pools (${env.cluster.nodePools.map((p) => p.name).join(', ')})`);
        else if (pool.gpu && h.gpus === 0) add(`substrate.hosts[${i}].gpus`, h.gpus, `at least 1, because pool ${pool.name} has gpu: true`);
      }
    });
    const controlPlanes = cfg.hosts.filter((h) => h.role === 'control-plane').length;
    if (controlPlanes % 2 === 0)
      add('substrate.hosts', `${controlPlanes} control-plane hosts`, 'an odd number (1, 3 or 5) so stacked etcd keeps quorum');

    const vip = cfg.controlPlaneEndpoint.host;
    if (!cidrContainsIp(cfg.nodeCidr, vip)) add('substrate.controlPlaneEndpoint.host', vip, `a virtual IP inside the node network ${cfg.nodeCidr}`);
    if (cfg.hosts.some((h) => h.ip === vip)) add('substrate.controlPlaneEndpoint.host', vip, 'a virtual IP that no host uses');

    env.cluster.nodePools.forEach((p, i) => {
      const count = hostsOf(cfg, p.name).length;
      if (count === 0) add(`cluster.nodePools[${i}]`, p.name, 'at least one worker host with this pool (bare metal cannot scale from zero)');
      for (const key of ['min', 'desired', 'max'] as const) {
        const v = p[key];
        if (v !== undefined && v !== count) add(`cluster.nodePools[${i}].${key}`, v, `${count}, the number of hosts in the pool (or leave it out)`);
      }
    });
    return out;
  }

  networks(env: Environment): NetworkRange[] {
    const cfg = kubeadmConfig(env);
    return [
      { name: 'node', cidr: cfg.nodeCidr, path: 'substrate.nodeCidr' },
      { name: 'pod', cidr: cfg.podCidr, path: 'substrate.podCidr' },
      { name: 'service', cidr: env.cluster.serviceCidr, path: 'cluster.serviceCidr' },
    ];
  }

  nodePools(env: Environment): NodePoolSummary[] {
    const cfg = kubeadmConfig(env);
    return env.cluster.nodePools.map((p) => {
      const hosts = hostsOf(cfg, p.name);
      const hardware = [...new Set(hosts.map((h) => h.hardware))].join(', ');
      return {
        name: p.name,
        machineType: p.instanceType ?? hardware,
        min: hosts.length,
        desired: hosts.length,
        max: hosts.length,
        gpu: p.gpu,
        role: p.gpu ? 'gpu' : p.role,
        scaling: `${hosts.length} host${hosts.length === 1 ? '' : 's'}: ${hosts.map((h) => h.name).join(', ')}`,
      };
    });
  }

  /**
   * One stack: MAAS enlists every host by BMC and PXE MAC, deploys Ubuntu, and cloud-init runs kubeadm.
   * Everything secret is a sensitive Terraform variable, referenced from the user data, never a value.
   */
  buildInfrastructure(ctx: InfrastructureContext): InfrastructureOutputs {
    const { env } = ctx;
    const cfg = kubeadmConfig(env);
    const stack = ctx.newStack('cluster', `MAAS provisioning and kubeadm bootstrap of ${cfg.hosts.length} hosts`);
    const provider = new MaasProvider(stack, 'maas', { apiUrl: cfg.maas.apiUrl });
    const variable = (name: string, description: string, sensitive = true) =>
      new TerraformVariable(stack, name, { type: 'string', sensitive, nullable: false, description }).stringValue;
    const secrets: NodeBootstrapSecrets = {
      bootstrapToken: variable('kubeadm_bootstrap_token', 'kubeadm bootstrap token ([a-z0-9]{6}.[a-z0-9]{16}), from Vault'),
      certificateKey: variable('kubeadm_certificate_key', 'key encrypting the control-plane certificates uploaded by kubeadm init (64 hex chars)'),
      caCertHash: variable('kubeadm_ca_cert_hash', 'sha256:<hex> of the cluster CA public key (public)', false),
      secretsEncryptionKey: variable('secrets_encryption_key', 'base64 32-byte key encrypting Secrets in etcd'),
    };
    const bmcUser = variable('bmc_user', 'IPMI user MAAS powers hosts with', false);
    const bmcPassword = variable('bmc_password', 'IPMI password MAAS powers hosts with');

    let firstInstance: MaasInstance | undefined;
    for (const input of this.nodeInputs(env, secrets)) {
      const host = cfg.hosts.find((h) => h.name === input.node.name)!;
      const machine = new MaasMachine(stack, `machine-${host.name}`, {
        provider,
        hostname: host.name,
        pxeMacAddress: host.pxeMac,
        powerType: 'ipmi',
        powerParameters: Fn.jsonencode({ power_address: host.bmcIp, power_user: bmcUser, power_pass: bmcPassword }),
      });
      const instance = new MaasInstance(stack, `instance-${host.name}`, {
        provider,
        systemId: machine.id,
        distroSeries: cfg.maas.distroSeries,
        userData: cloudInit(input),
        staticIp: { interface: host.interface, subnetCidr: cfg.nodeCidr, address: host.ip },
        // Joining needs a running first control plane.
        dependsOn: firstInstance ? [firstInstance] : undefined,
      });
      firstInstance ??= instance;
    }
    const endpoint = `https://${cfg.controlPlaneEndpoint.host}:${cfg.controlPlaneEndpoint.port}`;
    new TerraformOutput(stack, 'api_endpoint', { value: endpoint });
    return {
      stacks: [stack],
      clusterStack: stack,
      // No cloud identity to mint tokens from: Terraform uses the admin kubeconfig copied from cp-01.
      connection: { host: endpoint, configPath: `~/.kube/${env.cluster.name}.conf` },
    };
  }

  private clusterSpec(env: Environment): KubeadmClusterSpec {
    const cfg = kubeadmConfig(env);
    return {
      clusterName: env.cluster.name,
      version: env.kubernetesVersion,
      controlPlaneEndpoint: cfg.controlPlaneEndpoint,
      podCidr: cfg.podCidr,
      serviceCidr: env.cluster.serviceCidr,
      imageRepository: env.registryMirror ? `${env.registryMirror}/registry.k8s.io` : undefined,
    };
  }

  /** Backups to the site's own S3-compatible object store: the external service named `object-store`. */
  hostImages(env: Environment): string[] {
    return hostImages(env.kubernetesVersion, { kubeProxy: !(KUBEADM_SKIP_PHASES as ReadonlyArray<string>).includes('addon/kube-proxy') });
  }

  hostOs(env: Environment): string {
    return UBUNTU_RELEASES[kubeadmConfig(env).maas.distroSeries];
  }

  backupStorage(env: Environment): BackupStorage {
    const store = env.externalServices.find((s) => s.name === OBJECT_STORE);
    return s3CompatibleBackupStorage(`${env.cluster.name}-velero`, store ? `https://${store.host}${store.port === 443 ? '' : `:${store.port}`}` : '');
  }

  /** One node per host, as kubeadm registers it; capacity is what the host reported to MAAS. */
  nodes(env: Environment): ClusterNode[] {
    return this.orderedNodes(env).map(({ host, node }) => {
      return {
        name: node.name,
        pool: node.pool?.name,
        machineType: host.hardware,
        labels: {
          ...kubeletLabels(node.name),
          ...(node.role === 'control-plane' ? { 'node-role.kubernetes.io/control-plane': '' } : {}),
          ...kubeadmNodeLabels(node),
        },
        taints: kubeadmNodeTaints(node),
        capacity: { cpus: host.cpus, memory: host.memory, gpus: host.gpus, maxPods: 110 },
      };
    });
  }

  /** Control-plane hosts first (the first one runs kubeadm init), then workers, in inventory order. */
  private orderedNodes(env: Environment): Array<{ host: HostConfig; node: KubeadmNode }> {
    const cfg = kubeadmConfig(env);
    const ordered = [...cfg.hosts.filter((h) => h.role === 'control-plane'), ...cfg.hosts.filter((h) => h.role === 'worker')];
    return ordered.map((host) => {
      const pool = env.cluster.nodePools.find((p) => p.name === host.pool);
      const node: KubeadmNode = {
        name: host.name,
        ip: host.ip,
        role: host.role,
        pool: pool ? { name: pool.name, gpu: pool.gpu, labels: pool.labels } : undefined,
      };
      return { host, node };
    });
  }

  private nodeInputs(env: Environment, secrets: NodeBootstrapSecrets): CloudInitInput[] {
    const spec = this.clusterSpec(env);
    return this.orderedNodes(env).map(({ host, node }, i) => ({
      node,
      first: i === 0,
      spec,
      secrets,
      gpu: host.gpus > 0,
      registryMirror: env.registryMirror,
      interface: host.interface,
    }));
  }

  /**
   * No cloud KMS on bare metal: Shamir key shares (5 shares, threshold 3) held by different operators,
   * entered after a restart with `vault operator unseal`; a transit seal on a second Vault is the
   * upgrade path where one exists.
   */
  vaultSeal(): VaultSeal {
    return {
      hcl: '',
      serviceAccountAnnotations: {},
      podLabels: {},
      description: 'manual unseal with Shamir key shares (5 shares, threshold 3, held by operators)',
    };
  }

  /** Storage and the CNI are the platform's own on bare metal: Rook-Ceph, and Cilium adopted by Argo CD. */
  clusterFacts(env: Environment): ClusterFacts {
    const cfg = kubeadmConfig(env);
    const controlPlanes = cfg.hosts.filter((h) => h.role === 'control-plane').map((h) => `${h.ip}/32`);
    return {
      // A bare cluster has no storage: Rook-Ceph (a platform add-on) brings the classes and their CSI driver.
      storageClasses: [],
      // kube-apiserver listens on the control-plane hosts (and kube-vip's address) at the bind port.
      apiServer: { cidrs: [...controlPlanes, `${cfg.controlPlaneEndpoint.host}/32`], port: cfg.controlPlaneEndpoint.port },
      nodeCidrs: [cfg.nodeCidr],
      crds: () => [],
      provisioners: () => [],
      // Cilium is installed by the bootstrap stack before anything else runs, and enforces policies.
      networkPolicyGap: (stacks) =>
        stacks.some((s) => Object.values<any>(s.json.resource?.helm_release ?? {}).some((r) => r.chart === 'cilium')) // eslint-disable-line @typescript-eslint/no-explicit-any
          ? undefined
          : 'no Cilium release in the bootstrap stack: nothing enforces NetworkPolicies',
    };
  }

  platformAddOns(env: Environment): PlatformAddOn[] {
    const cfg = kubeadmConfig(env);
    return [
      ciliumAddOn(this.bootstrapCharts(env)[0]),
      kubeletCsrApprover(
        env,
        cfg.hosts.map((h) => h.name),
        cfg.nodeCidr,
      ),
      rookCephOperator,
      rookCephCluster,
    ];
  }

  /**
   * Cilium first: nodes stay NotReady, and Argo CD cannot start, until there is a CNI. It replaces
   * kube-proxy (skipped at kubeadm init), so it must reach the API server by the VIP, not a Service.
   */
  bootstrapCharts(env: Environment): BootstrapChart[] {
    const cfg = kubeadmConfig(env);
    return [ciliumRelease(env, cfg.controlPlaneEndpoint.host, cfg.controlPlaneEndpoint.port)];
  }

  /** An Ansible inventory of the hosts, grouped the way the node-configuration playbooks target them. */
  reviewFiles(env: Environment): ReviewFiles {
    const cfg = kubeadmConfig(env);
    const group = (hosts: HostConfig[]) => ({
      hosts: Object.fromEntries(hosts.map((h) => [h.name, { ansible_host: h.ip, hardware: h.hardware, pxe_mac: h.pxeMac, gpus: h.gpus }])),
    });
    const children: Record<string, unknown> = {
      control_plane: group(cfg.hosts.filter((h) => h.role === 'control-plane')),
    };
    for (const pool of env.cluster.nodePools) children[`pool_${pool.name.replace(/-/g, '_')}`] = group(hostsOf(cfg, pool.name));
    children.gpu = group(cfg.hosts.filter((h) => h.gpus > 0));
    const inventory = {
      all: {
        vars: {
          cluster_name: env.cluster.name,
          kubernetes_version: env.kubernetesVersion,
          control_plane_endpoint: `${cfg.controlPlaneEndpoint.host}:${cfg.controlPlaneEndpoint.port}`,
          pod_cidr: cfg.podCidr,
          service_cidr: env.cluster.serviceCidr,
          node_cidr: cfg.nodeCidr,
        },
        children,
      },
    };
    const files: ReviewFiles = { 'inventory/hosts.yaml': toYaml(inventory) };
    for (const input of this.nodeInputs(env, REVIEW_PLACEHOLDERS)) {
      files[`kubeadm/${input.node.name}.yaml`] = toYamlStream(kubeadmDocuments(input.node, input.first, input.spec, input.secrets));
      files[`cloud-init/${input.node.name}.yaml`] = cloudInit(input);
    }
    return files;
  }
}
