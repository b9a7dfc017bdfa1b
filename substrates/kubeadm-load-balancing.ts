import { routerIp } from '../constructs/routeros/edge-router';
import type { EntryAddress, IngressEntry } from '../contracts/platform';
import {
  CiliumL2AnnouncementPolicy,
  CiliumL2AnnouncementPolicySpecNodeSelectorMatchExpressionsOperator,
  CiliumLoadBalancerIpPool,
  CiliumLoadBalancerIpPoolSpecAllowFirstLastIPs,
} from '../imports/cilium.io';
import type { Chart } from '../lib/core/facade/k8s';
import { waveAnnotation } from '../lib/core/facts/waves';
import type { ConfigFor, Environment, HostConfig } from '../lib/core/model/schema';
import { cidrContainsIp, hostPartFits, ipInRange, offsetAddress, rangeOrdered, sameHostAddress } from '../lib/core/util/cidr';

type KubeadmConfig = ConfigFor<'kubeadm'>;
type Exposure = 'public' | 'internal';

/**
 * Bare metal's load balancing (The Lab design: Cilium LB-IPAM and L2 announcements): the ingress
 * entries' Services carry a label that chooses their pool, Cilium's operator gives each an address of
 * it, and the workers answer ARP for that address on the pool's network, one worker at a time (a
 * lease), the next one taking over when it fails.
 */
const ADDRESS_POOL_LABEL = 'parity.dev/address-pool';

/** Cilium LB-IPAM: a Service asks for a specific address of its pool by this annotation (1.16). */
const REQUESTED_ADDRESS_ANNOTATION = 'lbipam.cilium.io/ips';

/** The entry the edge's forwards reach unless they name one: the environment's routing. */
export function defaultEntry(env: Environment): IngressEntry {
  return env.access.kind === 'ingress' && env.access.routing === 'gateway' ? 'gateway' : 'ingress';
}

/** The hosts that announce the pools' addresses and carry the public ingress network: the workers. */
export function announcingHosts(cfg: KubeadmConfig): HostConfig[] {
  return cfg.hosts.filter((h) => h.role === 'worker');
}

/**
 * Where an ingress entry's Service gets its address: the pool of its exposure (a private one where the
 * hosts are private), and on the public pool the address the edge forwards to that entry. Undefined
 * where the environment declares no such pool (an internal entry then uses node IPAM).
 */
export function entryAddress(cfg: KubeadmConfig, env: Environment, entry: IngressEntry, internal: boolean): EntryAddress | undefined {
  const exposure: Exposure = internal ? 'internal' : 'public';
  if (!cfg.loadBalancerPools?.[exposure]) return undefined;
  const forward = internal ? undefined : cfg.edge?.publicIngress?.forwards.find((f) => (f.via ?? defaultEntry(env)) === entry);
  const address = internal ? internalEntryAddress(cfg, entry) : forward?.to;
  return {
    labels: { [ADDRESS_POOL_LABEL]: exposure },
    annotations: address ? { [REQUESTED_ADDRESS_ANNOTATION]: address } : {},
    ...(forward ? { published: forward.publicAddress } : {}),
  };
}

/**
 * An internal entry's fixed address, so the site's DNS can name it before the cluster exists: the
 * ingress controller the internal pool's first address, the Gateway the second.
 */
export function internalEntryAddress(cfg: KubeadmConfig, entry: IngressEntry): string | undefined {
  const range = cfg.loadBalancerPools?.internal;
  return range && offsetAddress(range.start, entry === 'ingress' ? 0 : 1);
}

/** The network a pool's addresses are on: the public ingress network the edge routes, or the node network. */
function poolNetwork(cfg: KubeadmConfig, exposure: Exposure): { cidr: string; path: string; vlan?: number } | undefined {
  if (exposure === 'internal') return { cidr: cfg.nodeCidr, path: 'substrate.nodeCidr' };
  const ingress = cfg.edge?.publicIngress;
  return ingress && { cidr: ingress.cidr, path: 'substrate.edge.publicIngress.cidr', vlan: ingress.vlan };
}

/** Each worker's address on the public ingress network: its node address's host part, like Ceph's VLANs. */
export function publicIngressAddresses(cfg: KubeadmConfig): Array<{ host: HostConfig; vlan: number; cidr: string; address: string }> {
  const ingress = cfg.edge?.publicIngress;
  if (!ingress || !cfg.loadBalancerPools?.public) return [];
  return announcingHosts(cfg).map((host) => ({
    host,
    vlan: ingress.vlan,
    cidr: ingress.cidr,
    address: sameHostAddress(cfg.nodeCidr, host.ip, ingress.cidr),
  }));
}

/** What is wrong with the pools, at their field paths. */
export function loadBalancingProblems(cfg: KubeadmConfig, env: Environment): Array<{ path: string; found: unknown; expected: string }> {
  const out: Array<{ path: string; found: unknown; expected: string }> = [];
  const add = (path: string, found: unknown, expected: string) => out.push({ path, found, expected });
  const pools = cfg.loadBalancerPools;
  if (env.access.kind === 'ingress' && env.access.exposure === 'public' && !pools?.public)
    add(
      'substrate.loadBalancerPools.public',
      pools?.public,
      'the public ingress addresses (start, stop on substrate.edge.publicIngress): on bare metal nothing else gives a public ingress its address',
    );
  if (announcingHosts(cfg).length === 0 && (pools?.public || pools?.internal))
    add('substrate.hosts', 'no worker', 'at least one worker host to announce the pools');
  for (const exposure of ['public', 'internal'] as const) {
    const range = pools?.[exposure];
    if (!range) continue;
    const path = `substrate.loadBalancerPools.${exposure}`;
    const network = poolNetwork(cfg, exposure);
    if (!network) {
      add(`${path}`, range, 'a public ingress network to put it on: substrate.edge.publicIngress (VLAN and CIDR the edge routes)');
      continue;
    }
    for (const end of ['start', 'stop'] as const)
      if (!cidrContainsIp(network.cidr, range[end])) add(`${path}.${end}`, range[end], `an address of ${network.cidr} (${network.path})`);
    if (!rangeOrdered(range.start, range.stop)) add(`${path}.stop`, range.stop, `an address no lower than start (${range.start})`);
    else if (exposure === 'internal' && env.addons.includes('gateway') && !ipInRange(offsetAddress(range.start, 1), range.start, range.stop))
      add(`${path}.stop`, range.stop, `an address after start: the ingress controller and the Gateway each hold one (${range.start}, the next)`);
    if (exposure === 'public') {
      const unfit = announcingHosts(cfg).filter((h) => !hostPartFits(cfg.nodeCidr, h.ip, network.cidr));
      if (unfit.length) {
        add(
          network.path,
          network.cidr,
          `a network with room for every worker's address part (not: ${unfit.map((h) => `${h.name} ${h.ip}`).join(', ')})`,
        );
        continue;
      }
    }
    // Addresses the hosts and the API VIP hold on that network: the pool must leave them alone.
    const taken =
      exposure === 'internal'
        ? [...cfg.hosts.map((h) => ({ what: h.name, ip: h.ip })), { what: 'the API VIP', ip: cfg.controlPlaneEndpoint.host }]
        : [
            ...publicIngressAddresses(cfg).map((a) => ({ what: a.host.name, ip: a.address })),
            { what: 'the edge router', ip: routerIp(network.cidr) },
          ];
    const clashes = taken.filter((t) => ipInRange(t.ip, range.start, range.stop));
    if (clashes.length) add(path, `${range.start}-${range.stop}`, `a range clear of ${clashes.map((c) => `${c.what} (${c.ip})`).join(', ')}`);
  }
  const ingress = cfg.edge?.publicIngress;
  if (ingress && pools?.public) {
    const byEntry = new Map<IngressEntry, string>();
    ingress.forwards.forEach((f, i) => {
      const entry = f.via ?? defaultEntry(env);
      if (!ipInRange(f.to, pools.public!.start, pools.public!.stop))
        add(`substrate.edge.publicIngress.forwards[${i}].to`, f.to, `an address of the public pool (${pools.public!.start}-${pools.public!.stop})`);
      const held = byEntry.get(entry);
      if (held && held !== f.to)
        add(`substrate.edge.publicIngress.forwards[${i}].to`, f.to, `${held}, the address the ${entry} entry already holds (one address per entry)`);
      byEntry.set(entry, held ?? f.to);
      if (entry === 'gateway' && !env.addons.includes('gateway'))
        add(`substrate.edge.publicIngress.forwards[${i}].via`, entry, 'an entry the environment runs: add-on gateway is not listed');
    });
  }
  return out;
}

/**
 * The pools and their L2 announcements as Cilium objects, in the CNI's wave: Argo CD counts a
 * LoadBalancer Service healthy only once it has an address, so the ingress entries' Applications
 * (later waves) would wait forever on pools synced after them. The workers announce: the control planes
 * keep the node network's ARP to kube-vip's API address. A public pool is announced only on the
 * workers' public ingress VLAN interfaces, an internal one only on their node interfaces.
 */
export function ciliumLoadBalancingObjects(chart: Chart, env: Environment): void {
  if (env.substrate.kind !== 'kubeadm') return;
  const cfg = env.substrate;
  for (const exposure of ['public', 'internal'] as const) {
    const range = cfg.loadBalancerPools?.[exposure];
    const network = poolNetwork(cfg, exposure);
    if (!range || !network) continue;
    const selector = { matchLabels: { [ADDRESS_POOL_LABEL]: exposure } };
    new CiliumLoadBalancerIpPool(chart, `pool-${exposure}`, {
      metadata: { name: exposure, annotations: waveAnnotation('cni') },
      spec: {
        blocks: [{ start: range.start, stop: range.stop }],
        allowFirstLastIPs: CiliumLoadBalancerIpPoolSpecAllowFirstLastIPs.NO,
        serviceSelector: selector,
      },
    });
    const interfaces = [...new Set(announcingHosts(cfg).map((h) => (network.vlan ? `${h.interface}.${network.vlan}` : h.interface)))].sort();
    new CiliumL2AnnouncementPolicy(chart, `l2-${exposure}`, {
      metadata: { name: exposure, annotations: waveAnnotation('cni') },
      spec: {
        serviceSelector: selector,
        nodeSelector: {
          matchExpressions: [
            {
              key: 'node-role.kubernetes.io/control-plane',
              operator: CiliumL2AnnouncementPolicySpecNodeSelectorMatchExpressionsOperator.DOES_NOT_EXIST,
            },
          ],
        },
        interfaces: interfaces.map((i) => `^${i.replace(/\./g, '\\.')}$`),
        loadBalancerIPs: true,
        externalIPs: false,
      },
    });
  }
}
