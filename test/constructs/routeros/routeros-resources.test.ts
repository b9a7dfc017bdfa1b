import {
  RouterOsFirewallAddrList,
  RouterOsFirewallFilter,
  RouterOsFirewallNat,
  RouterOsInterfaceVlan,
  RouterOsInterfaceWireguard,
  RouterOsInterfaceWireguardPeer,
  RouterOsIpAddress,
  RouterOsIpRoute,
  RouterOsMoveItems,
} from '../../../constructs/routeros/routeros-resources';
import { errorOf, resourcesOf, synthTf, tfStack } from '../helpers';

const KEY = 'xTIBA5rboUvnH4htodjb6e697QjLERt1NAB4mZqp8Dg=';

describe('RouterOS resources', () => {
  it('write the schema’s attribute names, leaving unset ones out', () => {
    const s = tfStack();
    new RouterOsInterfaceVlan(s, 'v', { name: 'vlan50', interface: 'sfp-sfpplus1', vlanId: 50 });
    new RouterOsIpAddress(s, 'a', { address: '10.0.50.1/24', interface: 'vlan50', comment: 'gateway' });
    new RouterOsIpRoute(s, 'r', { dstAddress: '10.0.20.0/24', gateway: '10.0.0.2' });
    new RouterOsFirewallAddrList(s, 'l', { list: 'parity-allow', address: '198.51.100.0/24' });
    new RouterOsInterfaceWireguard(s, 'w', { name: 'wg-operators', listenPort: 51820 });
    new RouterOsInterfaceWireguardPeer(s, 'p', {
      interface: 'wg-operators',
      name: 'alice',
      publicKey: KEY,
      allowedAddress: ['10.0.99.2/32'],
      isResponder: true,
    });
    const f1 = new RouterOsFirewallFilter(s, 'f1', {
      chain: 'input',
      action: 'accept',
      protocol: 'udp',
      dstPort: '51820',
      inInterface: 'ether1',
      comment: 'WireGuard',
    });
    const f2 = new RouterOsFirewallFilter(s, 'f2', { chain: 'input', action: 'drop', inInterface: 'ether1', comment: 'rest' });
    new RouterOsMoveItems(s, 'o', { resourcePath: '/ip/firewall/filter', sequence: [f1.id, f2.id] });
    new RouterOsFirewallNat(s, 'n', {
      chain: 'dstnat',
      action: 'dst-nat',
      inInterface: 'ether1',
      dstAddress: '203.0.113.10',
      protocol: 'tcp',
      dstPort: '80,443',
      toAddresses: '10.0.50.10',
      comment: 'publish',
    });
    const json = synthTf(s);
    expect(resourcesOf(json, 'routeros_interface_vlan')[0]).toEqual({ name: 'vlan50', interface: 'sfp-sfpplus1', vlan_id: 50 });
    expect(resourcesOf(json, 'routeros_ip_route')[0]).toEqual({ dst_address: '10.0.20.0/24', gateway: '10.0.0.2' });
    expect(resourcesOf(json, 'routeros_interface_wireguard_peer')[0]).toEqual({
      interface: 'wg-operators',
      name: 'alice',
      public_key: KEY,
      allowed_address: ['10.0.99.2/32'],
      is_responder: true,
    });
    expect(resourcesOf(json, 'routeros_ip_firewall_filter')[0]).toEqual({
      chain: 'input',
      action: 'accept',
      protocol: 'udp',
      dst_port: '51820',
      in_interface: 'ether1',
      comment: 'WireGuard',
    });
    expect(resourcesOf(json, 'routeros_move_items')[0]).toEqual({
      resource_path: '/ip/firewall/filter',
      sequence: ['${routeros_ip_firewall_filter.f1.id}', '${routeros_ip_firewall_filter.f2.id}'],
    });
    expect(resourcesOf(json, 'routeros_ip_firewall_nat')[0]).toMatchObject({ action: 'dst-nat', to_addresses: '10.0.50.10', dst_port: '80,443' });
    // No private key is ever written: the router generates it.
    expect(resourcesOf(json, 'routeros_interface_wireguard')[0]).toEqual({ name: 'wg-operators', listen_port: 51820 });
  });

  it('reject what RouterOS or the rule would not mean', () => {
    const s = () => tfStack();
    expect(errorOf(() => new RouterOsInterfaceVlan(s(), 'v', { name: 'vlan50', interface: 'ether2', vlanId: 4095 }))).toMatch(
      /^RouterOsInterfaceVlan at s\/v: prop "vlanId" is 4095; expected an 802.1Q VLAN ID from 1 to 4094/,
    );
    expect(errorOf(() => new RouterOsIpAddress(s(), 'a', { address: '10.0.50.1', interface: 'vlan50' }))).toContain('with its prefix length');
    expect(errorOf(() => new RouterOsFirewallFilter(s(), 'f', { chain: 'prerouting', action: 'accept', comment: 'x' }))).toContain(
      'expected one of input, forward, output',
    );
    expect(errorOf(() => new RouterOsFirewallFilter(s(), 'f', { chain: 'input', action: 'accept', dstPort: '22', comment: 'x' }))).toContain(
      'a rule matching ports must name its protocol',
    );
    expect(errorOf(() => new RouterOsFirewallNat(s(), 'n', { chain: 'dstnat', action: 'dst-nat', comment: 'x' }))).toContain('prop "toAddresses"');
    expect(errorOf(() => new RouterOsFirewallNat(s(), 'n', { chain: 'dstnat', action: 'masquerade', comment: 'x' }))).toContain(
      'masquerade only in the srcnat chain',
    );
    expect(
      errorOf(
        () => new RouterOsInterfaceWireguardPeer(s(), 'p', { interface: 'wg', name: 'a', publicKey: 'not-a-key', allowedAddress: ['10.0.99.2/32'] }),
      ),
    ).toContain('a WireGuard public key');
    expect(errorOf(() => new RouterOsInterfaceWireguard(s(), 'w', { name: 'wg', listenPort: 70000 }))).toContain('a UDP port');
    expect(errorOf(() => new RouterOsIpRoute(s(), 'r', { dstAddress: '10.0.20.1/24', gateway: '10.0.0.2' }))).toContain('prop "dstAddress"');
    expect(errorOf(() => new RouterOsFirewallAddrList(s(), 'l', { list: 'allow list', address: '1.2.3.4' }))).toContain('prop "list"');
    expect(errorOf(() => new RouterOsMoveItems(s(), 'o', { resourcePath: '/ip/firewall/nat', sequence: ['a'] }))).toContain('at least two items');
  });
});
