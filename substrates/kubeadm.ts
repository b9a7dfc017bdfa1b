import { stringify } from 'yaml';
import { ConfigIssue, show } from '../lib/model/issues';
import { ConfigFor, Environment, HostConfig } from '../lib/model/schema';
import { cidrContainsIp } from '../lib/util/cidr';
import { duplicates } from '../lib/model/validate';
import { InfrastructureContext, InfrastructureOutputs, NetworkRange, NodePoolSummary, PlatformTraits, ReviewFiles, Substrate } from './substrate';

type KubeadmConfig = ConfigFor<'kubeadm'>;

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
export class KubeadmSubstrate implements Substrate {
  readonly kind = 'kubeadm' as const;
  readonly title = 'Bare metal (kubeadm)';
  readonly traits: PlatformTraits = {
    defaultStorageClass: 'ceph-block',
    ingressClass: 'nginx',
    // Cilium LB-IPAM hands out addresses from the public-ingress VLAN pool and announces them over L2.
    loadBalancerAnnotations: { 'lbipam.cilium.io/sharing-key': 'ingress' },
    gpuEnablement: 'gpu-operator',
  };

  validate(env: Environment): ConfigIssue[] {
    const cfg = kubeadmConfig(env);
    const out: ConfigIssue[] = [];
    const add = (path: string, found: unknown, expected: string) => out.push({ environment: env.name, path, found: show(found), expected });

    if (!/^1\.\d+\.\d+$/.test(env.kubernetesVersion)) {
      add('kubernetesVersion', env.kubernetesVersion, 'a full patch version such as "1.31.4" (kubeadm installs exact versions)');
    }
    for (const [key, label] of [['name', 'host name'], ['ip', 'host IP'], ['pxeMac', 'PXE MAC']] as const) {
      for (const { index, value } of duplicates(cfg.hosts, (h) => h[key])) add(`substrate.hosts[${index}].${key}`, value, `a ${label} used only once`);
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
    if (controlPlanes % 2 === 0) add('substrate.hosts', `${controlPlanes} control-plane hosts`, 'an odd number (1, 3 or 5) so stacked etcd keeps quorum');

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

  buildInfrastructure(_ctx: InfrastructureContext): InfrastructureOutputs {
    return { stacks: [] };
  }

  /** An Ansible inventory of the hosts, grouped the way the node-configuration playbooks target them. */
  reviewFiles(env: Environment): ReviewFiles {
    const cfg = kubeadmConfig(env);
    const group = (hosts: HostConfig[]) => ({
      hosts: Object.fromEntries(
        hosts.map((h) => [h.name, { ansible_host: h.ip, hardware: h.hardware, pxe_mac: h.pxeMac, gpus: h.gpus }]),
      ),
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
    return { 'inventory/hosts.yaml': stringify(inventory, { sortMapEntries: true }) };
  }
}
