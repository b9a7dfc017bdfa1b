import { Construct } from 'constructs';
import { TerraformOutput } from '../../lib/core/facade/tf';
import { cidrContainsIp, cidrsOverlap, nthAddress, parseCidr } from '../../lib/core/util/cidr';
import { propError } from '../props';
import { RouterOsProvider } from './routeros-provider';
import {
  RouterOsFirewallAddrList,
  RouterOsFirewallFilter,
  RouterOsFirewallFilterProps,
  RouterOsFirewallNat,
  RouterOsFirewallNatProps,
  RouterOsInterfaceVlan,
  RouterOsInterfaceWireguard,
  RouterOsInterfaceWireguardPeer,
  RouterOsIpAddress,
  RouterOsIpRoute,
  RouterOsMoveItems,
} from './routeros-resources';

export interface EdgeRouterProps {
  /** The router's REST API over TLS. */
  readonly apiUrl: string;
  readonly wan: { readonly interface: string; readonly addresses: ReadonlyArray<string>; readonly gateway: string };
  readonly lan: { readonly interface: string; readonly address: string; readonly coreGateway: string };
  /** Internet sources that may manage the router. */
  readonly allowList: ReadonlyArray<{ readonly name: string; readonly cidr: string }>;
  /** @default none: nothing is published */
  readonly publicIngress?: {
    readonly vlan: number;
    readonly cidr: string;
    readonly forwards: ReadonlyArray<{ readonly publicAddress: string; readonly to: string; readonly ports: ReadonlyArray<number> }>;
  };
  readonly vpn: {
    readonly listenPort: number;
    readonly cidr: string;
    readonly reaches: ReadonlyArray<string>;
    readonly peers: ReadonlyArray<{ readonly name: string; readonly publicKey: string; readonly address: string }>;
  };
  /** The site's networks behind the core that may reach the internet (the nodes': images, ACME, DNS APIs). */
  readonly egressNetworks: ReadonlyArray<string>;
  /** The site's networks nothing may route to or from (provisioning, storage). @default [] */
  readonly isolatedNetworks?: ReadonlyArray<string>;
}

const ALLOWED = 'parity-allow';
/** The router takes the first address of each network it serves. */
/** The router's own address on each network it is on: the first. */
export const routerIp = (cidr: string) => nthAddress(cidr, 1);
/** That address with the network's prefix, as a router interface carries it. */
const routerInterfaceAddress = (cidr: string) => `${routerIp(cidr)}/${parseCidr(cidr).prefix}`;
const VPN_REACH = 'parity-vpn-reach';
const EGRESS = 'parity-egress';
/** The router's interface on the public ingress VLAN. */
const ingressVlanInterface = (vlan: number) => `vlan${vlan}`;
const WG = 'wg-operators';

/**
 * The site's edge router (RouterOS v7) as one Terraform stack's resources: the uplink's addresses and
 * default route, routes to the site's networks through the core, the public ingress VLAN routed by the
 * router, the operators' WireGuard interface and peers, and a default-deny firewall in a stated order.
 *
 * - input: established traffic; WireGuard from anywhere (a key-authenticated, silent protocol); the
 *   router's management from the tunnel and the allow-list only; ICMP; nothing else from the WAN.
 * - forward: established traffic; the isolated networks route nowhere; only dst-nat'ed connections
 *   (the published ports of the public addresses) come in from the WAN; operators reach `vpn.reaches`;
 *   the egress networks and the ingress go out to the internet (masqueraded); everything else is dropped.
 *
 * The WireGuard private key is generated on the router; its public key is the stack's output.
 */
export class EdgeRouter extends Construct {
  /** The router's WireGuard public key, for the operators' client configurations. */
  readonly vpnPublicKey: string;

  constructor(scope: Construct, id: string, props: EdgeRouterProps) {
    super(scope, id);
    const problem = edgeRouterProblems(props)[0];
    if (problem) throw propError(this, problem.prop, problem.found, problem.expected);
    const provider = new RouterOsProvider(this, 'provider', { hostUrl: props.apiUrl });
    const base = { provider };
    const wan = props.wan.interface;

    // Addresses and routes: the uplink, the core link, the site's networks behind the core.
    props.wan.addresses.forEach(
      (address, i) => new RouterOsIpAddress(this, `wan-${i}`, { ...base, address, interface: wan, comment: 'public address' }),
    );
    new RouterOsIpRoute(this, 'default-route', { ...base, dstAddress: '0.0.0.0/0', gateway: props.wan.gateway, comment: 'uplink' });
    new RouterOsIpAddress(this, 'lan', { ...base, address: props.lan.address, interface: props.lan.interface, comment: 'link to the core' });
    const behindCore = [...new Set([...props.egressNetworks, ...props.vpn.reaches])].sort();
    behindCore.forEach(
      (dst, i) =>
        new RouterOsIpRoute(this, `site-${i}`, { ...base, dstAddress: dst, gateway: props.lan.coreGateway, comment: 'site network (core)' }),
    );

    // Address lists the rules match.
    const list = (name: string, cidrs: ReadonlyArray<{ cidr: string; comment: string }>) =>
      cidrs.forEach((c, i) => new RouterOsFirewallAddrList(this, `${name}-${i}`, { ...base, list: name, address: c.cidr, comment: c.comment }));
    list(
      ALLOWED,
      props.allowList.map((a) => ({ cidr: a.cidr, comment: a.name })),
    );
    list(
      VPN_REACH,
      props.vpn.reaches.map((cidr) => ({ cidr, comment: 'reached through the VPN' })),
    );
    const egress = [...props.egressNetworks, ...(props.publicIngress ? [props.publicIngress.cidr] : [])];
    list(
      EGRESS,
      egress.map((cidr) => ({ cidr, comment: 'may reach the internet' })),
    );

    // The public ingress VLAN, its gateway the router.
    const ingress = props.publicIngress;
    if (ingress) {
      const vlanName = ingressVlanInterface(ingress.vlan);
      const vlan = new RouterOsInterfaceVlan(this, 'public-ingress', {
        ...base,
        name: vlanName,
        interface: props.lan.interface,
        vlanId: ingress.vlan,
        comment: 'public ingress',
      });
      new RouterOsIpAddress(this, 'public-ingress-gateway', {
        ...base,
        address: routerInterfaceAddress(ingress.cidr),
        interface: vlanName,
        comment: 'public ingress gateway',
        dependsOn: [vlan],
      });
    }

    // The operators' VPN.
    const wg = new RouterOsInterfaceWireguard(this, 'vpn', { ...base, name: WG, listenPort: props.vpn.listenPort, comment: 'operators' });
    new RouterOsIpAddress(this, 'vpn-address', {
      ...base,
      address: routerInterfaceAddress(props.vpn.cidr),
      interface: WG,
      dependsOn: [wg],
    });
    for (const peer of props.vpn.peers)
      new RouterOsInterfaceWireguardPeer(this, `peer-${peer.name}`, {
        ...base,
        interface: WG,
        name: peer.name,
        publicKey: peer.publicKey,
        allowedAddress: [`${peer.address}/32`],
        isResponder: true,
        dependsOn: [wg],
      });
    this.vpnPublicKey = wg.publicKey;
    new TerraformOutput(this, 'vpn_public_key', { value: wg.publicKey, description: "the router's WireGuard public key (operators' peer config)" });

    this.rules(
      'filter',
      [...inputRules(props, wan), ...forwardRules(props, wan)],
      (rid, r) => new RouterOsFirewallFilter(this, rid, { ...base, ...r }),
    );
    this.rules('nat', natRules(props, wan), (rid, r) => new RouterOsFirewallNat(this, rid, { ...base, ...r }));
  }

  /** Creates the rules and states their order (RouterOS applies a chain top to bottom). */
  private rules<R>(
    table: 'filter' | 'nat',
    rules: ReadonlyArray<R>,
    make: (id: string, rule: R) => RouterOsFirewallFilter | RouterOsFirewallNat,
  ): void {
    const items = rules.map((r, i) => make(`${table}-${String(i).padStart(2, '0')}`, r));
    if (items.length > 1)
      new RouterOsMoveItems(this, `${table}-order`, {
        provider: items[0].provider,
        resourcePath: `/ip/firewall/${table}`,
        sequence: items.map((i) => i.id),
        dependsOn: items,
      });
  }
}

function inputRules(props: EdgeRouterProps, wan: string): RouterOsFirewallFilterProps[] {
  return [
    { chain: 'input', action: 'accept', connectionState: 'established,related,untracked', comment: 'replies' },
    { chain: 'input', action: 'drop', connectionState: 'invalid', comment: 'invalid' },
    { chain: 'input', action: 'accept', protocol: 'udp', dstPort: String(props.vpn.listenPort), inInterface: wan, comment: 'WireGuard' },
    { chain: 'input', action: 'accept', inInterface: WG, comment: 'management over the VPN' },
    { chain: 'input', action: 'accept', srcAddressList: ALLOWED, comment: 'management from the allow-list' },
    { chain: 'input', action: 'accept', protocol: 'icmp', comment: 'ICMP' },
    { chain: 'input', action: 'drop', inInterface: wan, comment: 'nothing else from the internet' },
  ];
}

function forwardRules(props: EdgeRouterProps, wan: string): RouterOsFirewallFilterProps[] {
  const isolated = props.isolatedNetworks ?? [];
  return [
    { chain: 'forward', action: 'accept', connectionState: 'established,related,untracked', comment: 'replies' },
    { chain: 'forward', action: 'drop', connectionState: 'invalid', comment: 'invalid' },
    ...isolated.flatMap((net): RouterOsFirewallFilterProps[] => [
      { chain: 'forward', action: 'drop', srcAddress: net, comment: 'isolated network' },
      { chain: 'forward', action: 'drop', dstAddress: net, comment: 'isolated network' },
    ]),
    ...(props.publicIngress
      ? [
          { chain: 'forward', action: 'accept', inInterface: wan, connectionNatState: 'dstnat', comment: 'published ports to the ingress' },
          // The site reaching its own public names (the nodes pulling from a registry it publishes).
          {
            chain: 'forward',
            action: 'accept',
            srcAddressList: EGRESS,
            connectionNatState: 'dstnat',
            comment: 'hairpin: the site to its published ports',
          },
        ]
      : []),
    { chain: 'forward', action: 'accept', inInterface: WG, dstAddressList: VPN_REACH, comment: 'operators to the management plane' },
    { chain: 'forward', action: 'accept', outInterface: wan, srcAddressList: EGRESS, comment: 'site egress' },
    { chain: 'forward', action: 'drop', comment: 'everything else' },
  ];
}

function natRules(props: EdgeRouterProps, wan: string): RouterOsFirewallNatProps[] {
  return [
    // Not only from the WAN: a host of the site that resolves a published name reaches it too (hairpin).
    ...(props.publicIngress?.forwards ?? []).map((f) => ({
      chain: 'dstnat',
      action: 'dst-nat',
      dstAddress: f.publicAddress,
      protocol: 'tcp' as const,
      dstPort: [...f.ports].sort((a, b) => a - b).join(','),
      toAddresses: f.to,
      comment: `publish ${f.publicAddress} to the ingress`,
    })),
    { chain: 'srcnat', action: 'masquerade', outInterface: wan, srcAddressList: EGRESS, comment: 'site egress' },
    // Hairpin: the ingress must answer through the router, which undoes the dst-nat, not to the host directly.
    ...(props.publicIngress
      ? [
          {
            chain: 'srcnat',
            action: 'masquerade',
            srcAddressList: EGRESS,
            dstAddress: props.publicIngress.cidr,
            outInterface: ingressVlanInterface(props.publicIngress.vlan),
            comment: 'hairpin: the site to its published ports',
          },
        ]
      : []),
  ];
}

/** A misfit in an edge router's addresses: the prop (path below the props), what it is, what it must be. */
export interface EdgeRouterProblem {
  readonly prop: string;
  readonly found: string;
  readonly expected: string;
}

/**
 * The addresses must fit together: forwards from the WAN's own addresses to the ingress network, peers
 * inside the tunnel network at addresses of their own, no two networks overlapping. Shared with the
 * environment's validation, which reports every problem at its field path.
 */
export function edgeRouterProblems(props: EdgeRouterProps): EdgeRouterProblem[] {
  const out: EdgeRouterProblem[] = [];
  const wanIps = props.wan.addresses.map((a) => a.split('/')[0]);
  const ingress = props.publicIngress;
  ingress?.forwards.forEach((f, i) => {
    if (!wanIps.includes(f.publicAddress))
      out.push({
        prop: `publicIngress.forwards[${i}].publicAddress`,
        found: f.publicAddress,
        expected: `one of the WAN addresses (${wanIps.join(', ')})`,
      });
    if (!cidrContainsIp(ingress.cidr, f.to) || f.to === routerIp(ingress.cidr))
      out.push({
        prop: `publicIngress.forwards[${i}].to`,
        found: f.to,
        expected: `an address of ${ingress.cidr} other than the router's ${routerIp(ingress.cidr)}`,
      });
  });
  const seen = new Set<string>();
  props.vpn.peers.forEach((p, i) => {
    if (!cidrContainsIp(props.vpn.cidr, p.address) || p.address === routerIp(props.vpn.cidr))
      out.push({
        prop: `vpn.peers[${i}].address`,
        found: p.address,
        expected: `an address of ${props.vpn.cidr} other than the router's ${routerIp(props.vpn.cidr)}`,
      });
    else if (seen.has(p.address)) out.push({ prop: `vpn.peers[${i}].address`, found: p.address, expected: 'an address no other peer has' });
    seen.add(p.address);
  });
  const named: Array<[string, string]> = [
    ['vpn.cidr', props.vpn.cidr],
    ...(ingress ? [['publicIngress.cidr', ingress.cidr] as [string, string]] : []),
    ...props.egressNetworks.map((c): [string, string] => ['the site network', c]),
    ...(props.isolatedNetworks ?? []).map((c): [string, string] => ['the isolated network', c]),
  ];
  for (let i = 0; i < named.length; i++)
    for (let j = i + 1; j < named.length; j++)
      if (cidrsOverlap(named[i][1], named[j][1]))
        out.push({ prop: named[i][0], found: named[i][1], expected: `a network apart from ${named[j][0]} ${named[j][1]}` });
  return out;
}
