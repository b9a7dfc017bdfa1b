import { Construct } from 'constructs';
import { TerraformMetaArguments, TerraformResource, metaArguments } from '../../lib/core/facade/tf';
import { isCidr, isIpv4 } from '../../lib/core/util/cidr';
import { propError } from '../props';

/*
 * terraform-routeros/routeros resources, hand-written like the MAAS classes from the provider's
 * docs/resources at v1.99.1 (interface_vlan.md, ip_address.md, ip_firewall_addr_list.md,
 * ip_firewall_filter.md, ip_firewall_nat.md, ip_route.md, interface_wireguard.md, interface_wireguard_peer.md,
 * move_items.md). Each class takes the attributes Parity sets; names are the schema's, camel-cased.
 */

/** A resource of the routeros provider: its attributes are its props, snake-cased, unset ones left out. */
abstract class RouterOsResource<P extends TerraformMetaArguments> extends TerraformResource {
  protected readonly props: P;

  constructor(scope: Construct, id: string, type: string, props: P) {
    super(scope, id, { terraformResourceType: type, terraformGeneratorMetadata: { providerName: 'routeros' }, ...metaArguments(props) });
    this.props = props;
  }

  /** The router's ID of the item (`*1A`), what `RouterOsMoveItems` orders. */
  get id(): string {
    return this.getStringAttribute('id');
  }

  protected synthesizeAttributes(): Record<string, unknown> {
    const meta = new Set(['provider', 'dependsOn', 'count', 'lifecycle', 'forEach']);
    return Object.fromEntries(
      Object.entries(this.props)
        .filter(([k, v]) => !meta.has(k) && v !== undefined)
        .map(([k, v]) => [k.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`), v]),
    );
  }
}

const INTERFACE = /^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/;
const checkInterface = (scope: Construct, prop: string, value: string | undefined) => {
  // RouterOS negates a matcher with a leading "!".
  if (value !== undefined && !INTERFACE.test(value.replace(/^!/, '')))
    throw propError(scope, prop, value, 'a RouterOS interface name such as ether1 or vlan50');
};
const checkAddress = (scope: Construct, prop: string, value: string | undefined) => {
  if (value !== undefined && !isIpv4(value) && !isCidr(value)) throw propError(scope, prop, value, 'an IPv4 address or CIDR block');
};

export interface RouterOsInterfaceVlanProps extends TerraformMetaArguments {
  readonly name: string;
  /** The interface (trunk, bridge) the tagged VLAN rides on. */
  readonly interface: string;
  readonly vlanId: number;
  readonly comment?: string;
}

/** `routeros_interface_vlan`: an 802.1Q VLAN interface of the router. */
export class RouterOsInterfaceVlan extends RouterOsResource<RouterOsInterfaceVlanProps> {
  constructor(scope: Construct, id: string, props: RouterOsInterfaceVlanProps) {
    super(scope, id, 'routeros_interface_vlan', props);
    checkInterface(this, 'name', props.name);
    checkInterface(this, 'interface', props.interface);
    if (!Number.isInteger(props.vlanId) || props.vlanId < 1 || props.vlanId > 4094)
      throw propError(this, 'vlanId', props.vlanId, 'an 802.1Q VLAN ID from 1 to 4094');
  }
}

export interface RouterOsIpAddressProps extends TerraformMetaArguments {
  /** The router's address with its prefix, e.g. 10.0.50.1/24. */
  readonly address: string;
  readonly interface: string;
  readonly comment?: string;
}

/** `routeros_ip_address`: an address of the router on one of its interfaces. */
export class RouterOsIpAddress extends RouterOsResource<RouterOsIpAddressProps> {
  constructor(scope: Construct, id: string, props: RouterOsIpAddressProps) {
    super(scope, id, 'routeros_ip_address', props);
    const [ip, prefix] = props.address.split('/');
    if (!isIpv4(ip) || !/^\d{1,2}$/.test(prefix ?? '') || Number(prefix) > 32)
      throw propError(this, 'address', props.address, 'an address with its prefix length, e.g. 10.0.50.1/24');
    checkInterface(this, 'interface', props.interface);
  }
}

export interface RouterOsFirewallAddrListProps extends TerraformMetaArguments {
  readonly list: string;
  /** An address or CIDR block. */
  readonly address: string;
  readonly comment?: string;
}

/** `routeros_ip_firewall_addr_list`: one entry of a named address list the firewall rules match. */
export class RouterOsFirewallAddrList extends RouterOsResource<RouterOsFirewallAddrListProps> {
  constructor(scope: Construct, id: string, props: RouterOsFirewallAddrListProps) {
    super(scope, id, 'routeros_ip_firewall_addr_list', props);
    checkAddress(this, 'address', props.address);
    if (!/^[A-Za-z0-9][A-Za-z0-9_-]*$/.test(props.list)) throw propError(this, 'list', props.list, 'a list name of letters, digits, - and _');
  }
}

export interface RouterOsIpRouteProps extends TerraformMetaArguments {
  /** The destination prefix. */
  readonly dstAddress: string;
  /** The next hop's address. */
  readonly gateway: string;
  readonly comment?: string;
}

/** `routeros_ip_route`: a static route (the site's networks behind the core switch). */
export class RouterOsIpRoute extends RouterOsResource<RouterOsIpRouteProps> {
  constructor(scope: Construct, id: string, props: RouterOsIpRouteProps) {
    super(scope, id, 'routeros_ip_route', props);
    if (!isCidr(props.dstAddress)) throw propError(this, 'dstAddress', props.dstAddress, 'an IPv4 CIDR block');
    if (!isIpv4(props.gateway)) throw propError(this, 'gateway', props.gateway, "the next hop's IPv4 address");
  }
}

/** The matchers and targets Parity's rules use, common to the filter and NAT tables. */
interface RuleProps extends TerraformMetaArguments {
  readonly chain: string;
  readonly action: string;
  /** Says why the rule exists; RouterOS shows it in every listing. */
  readonly comment: string;
  readonly connectionState?: string;
  readonly connectionNatState?: string;
  readonly protocol?: 'tcp' | 'udp' | 'icmp';
  readonly srcAddress?: string;
  readonly dstAddress?: string;
  readonly srcAddressList?: string;
  readonly dstAddressList?: string;
  /** Ports or ranges, comma-separated (tcp or udp only). */
  readonly dstPort?: string;
  readonly inInterface?: string;
  readonly outInterface?: string;
}

function checkRule(scope: Construct, props: RuleProps, chains: ReadonlyArray<string>, actions: ReadonlyArray<string>): void {
  if (!chains.includes(props.chain)) throw propError(scope, 'chain', props.chain, `one of ${chains.join(', ')}`);
  if (!actions.includes(props.action)) throw propError(scope, 'action', props.action, `one of ${actions.join(', ')}`);
  if (props.dstPort !== undefined && props.protocol !== 'tcp' && props.protocol !== 'udp')
    throw propError(scope, 'protocol', props.protocol, 'tcp or udp: a rule matching ports must name its protocol');
  if (props.dstPort !== undefined && !/^\d{1,5}(-\d{1,5})?(,\d{1,5}(-\d{1,5})?)*$/.test(props.dstPort))
    throw propError(scope, 'dstPort', props.dstPort, 'ports or ranges such as 80,443 or 8000-8100');
  for (const p of ['srcAddress', 'dstAddress'] as const) checkAddress(scope, p, props[p]);
  for (const p of ['inInterface', 'outInterface'] as const) checkInterface(scope, p, props[p]);
}

export type RouterOsFirewallFilterProps = RuleProps;

/** `routeros_ip_firewall_filter`: a filter rule; rules apply in order, which `RouterOsMoveItems` fixes. */
export class RouterOsFirewallFilter extends RouterOsResource<RouterOsFirewallFilterProps> {
  constructor(scope: Construct, id: string, props: RouterOsFirewallFilterProps) {
    super(scope, id, 'routeros_ip_firewall_filter', props);
    checkRule(this, props, ['input', 'forward', 'output'], ['accept', 'drop', 'reject', 'fasttrack-connection']);
  }
}

export interface RouterOsFirewallNatProps extends RuleProps {
  /** The address a dst-nat or src-nat rule rewrites to. */
  readonly toAddresses?: string;
  readonly toPorts?: string;
}

/** `routeros_ip_firewall_nat`: a NAT rule (dst-nat of published addresses, masquerade of the site's egress). */
export class RouterOsFirewallNat extends RouterOsResource<RouterOsFirewallNatProps> {
  constructor(scope: Construct, id: string, props: RouterOsFirewallNatProps) {
    super(scope, id, 'routeros_ip_firewall_nat', props);
    checkRule(this, props, ['srcnat', 'dstnat'], ['masquerade', 'dst-nat', 'src-nat', 'accept']);
    if ((props.action === 'dst-nat' || props.action === 'src-nat') && (!props.toAddresses || !isIpv4(props.toAddresses)))
      throw propError(this, 'toAddresses', props.toAddresses, `the IPv4 address a ${props.action} rule rewrites to`);
    if (props.chain === 'dstnat' && props.action === 'masquerade')
      throw propError(this, 'action', props.action, 'masquerade only in the srcnat chain');
  }
}

export interface RouterOsInterfaceWireguardProps extends TerraformMetaArguments {
  readonly name: string;
  readonly listenPort: number;
  readonly comment?: string;
}

/**
 * `routeros_interface_wireguard`: a WireGuard interface. No private key is given: the router generates
 * it at creation, and only its public key (`publicKey`) leaves the router as an output.
 */
export class RouterOsInterfaceWireguard extends RouterOsResource<RouterOsInterfaceWireguardProps> {
  constructor(scope: Construct, id: string, props: RouterOsInterfaceWireguardProps) {
    super(scope, id, 'routeros_interface_wireguard', props);
    checkInterface(this, 'name', props.name);
    if (!Number.isInteger(props.listenPort) || props.listenPort < 1 || props.listenPort > 65535)
      throw propError(this, 'listenPort', props.listenPort, 'a UDP port from 1 to 65535');
  }

  /** The interface's public key, for the peers' configurations. */
  get publicKey(): string {
    return this.getStringAttribute('public_key');
  }
}

export interface RouterOsInterfaceWireguardPeerProps extends TerraformMetaArguments {
  readonly interface: string;
  readonly name: string;
  /** The peer's public key (base64 of 32 bytes): a public value, the private key never leaves the peer. */
  readonly publicKey: string;
  /** What the peer may send from and is routed to: its own tunnel address, as a /32. */
  readonly allowedAddress: ReadonlyArray<string>;
  /** The router only answers: peers roam and dial in. */
  readonly isResponder?: boolean;
  readonly comment?: string;
}

/** `routeros_interface_wireguard_peer`: one operator's device on a WireGuard interface. */
export class RouterOsInterfaceWireguardPeer extends RouterOsResource<RouterOsInterfaceWireguardPeerProps> {
  constructor(scope: Construct, id: string, props: RouterOsInterfaceWireguardPeerProps) {
    super(scope, id, 'routeros_interface_wireguard_peer', props);
    if (!/^[A-Za-z0-9+/]{42}[AEIMQUYcgkosw048]=$/.test(props.publicKey))
      throw propError(this, 'publicKey', props.publicKey, 'a WireGuard public key (44 characters of base64, 32 bytes)');
    for (const a of props.allowedAddress) checkAddress(this, 'allowedAddress', a);
    if (!props.allowedAddress.length) throw propError(this, 'allowedAddress', props.allowedAddress, 'at least one address');
  }
}

export interface RouterOsMoveItemsProps extends TerraformMetaArguments {
  /** The menu, e.g. /ip/firewall/filter. */
  readonly resourcePath: '/ip/firewall/filter' | '/ip/firewall/nat';
  /** The items' IDs in the order they must apply. */
  readonly sequence: ReadonlyArray<string>;
}

/**
 * `routeros_move_items`: puts rules in order. RouterOS evaluates a chain top to bottom and Terraform
 * creates resources in any order, so the order is stated, not left to creation.
 */
export class RouterOsMoveItems extends RouterOsResource<RouterOsMoveItemsProps> {
  constructor(scope: Construct, id: string, props: RouterOsMoveItemsProps) {
    super(scope, id, 'routeros_move_items', props);
    if (props.sequence.length < 2) throw propError(this, 'sequence', props.sequence, 'at least two items to order');
  }
}
