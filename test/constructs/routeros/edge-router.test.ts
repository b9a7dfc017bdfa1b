import { EdgeRouter, EdgeRouterProps, edgeRouterProblems } from '../../../constructs/routeros/edge-router';
import { errorOf, resourcesOf, synthTf, tfStack } from '../helpers';

const KEY = 'xTIBA5rboUvnH4htodjb6e697QjLERt1NAB4mZqp8Dg=';
const PROPS: EdgeRouterProps = {
  apiUrl: 'https://router.lab.internal',
  wan: { interface: 'ether1', addresses: ['203.0.113.10/29'], gateway: '203.0.113.9' },
  lan: { interface: 'sfp-sfpplus1', address: '10.0.0.1/30', coreGateway: '10.0.0.2' },
  allowList: [{ name: 'office', cidr: '198.51.100.0/24' }],
  publicIngress: { vlan: 50, cidr: '10.0.50.0/24', forwards: [{ publicAddress: '203.0.113.10', to: '10.0.50.10', ports: [443, 80] }] },
  vpn: {
    listenPort: 51820,
    cidr: '10.0.99.0/24',
    reaches: ['10.0.10.0/24', '10.0.20.0/24'],
    peers: [{ name: 'alice', publicKey: KEY, address: '10.0.99.2' }],
  },
  egressNetworks: ['10.0.20.0/24'],
  isolatedNetworks: ['10.0.31.0/24', '10.0.40.0/24'],
};

describe('EdgeRouter', () => {
  const s = tfStack();
  new EdgeRouter(s, 'edge', PROPS);
  const json = synthTf(s);
  const filters = resourcesOf(json, 'routeros_ip_firewall_filter');

  it('denies by default, in a stated order: replies, WireGuard, management from the VPN and the allow-list only', () => {
    const input = filters.filter((r) => r.chain === 'input').map((r) => [r.action, r.comment]);
    expect(input).toEqual([
      ['accept', 'replies'],
      ['drop', 'invalid'],
      ['accept', 'WireGuard'],
      ['accept', 'management over the VPN'],
      ['accept', 'management from the allow-list'],
      ['accept', 'ICMP'],
      ['drop', 'nothing else from the internet'],
    ]);
    expect(filters.find((r) => r.comment === 'management from the allow-list').src_address_list).toBe('parity-allow');
    expect(
      resourcesOf(json, 'routeros_ip_firewall_addr_list')
        .filter((l) => l.list === 'parity-allow')
        .map((l) => l.address),
    ).toEqual(['198.51.100.0/24']);
    const order = resourcesOf(json, 'routeros_move_items').find((m) => m.resource_path === '/ip/firewall/filter');
    expect(order.sequence).toEqual(Object.keys(json.resource.routeros_ip_firewall_filter).map((k) => `\${routeros_ip_firewall_filter.${k}.id}`));
    expect(order.sequence).toHaveLength(filters.length);
  });

  it('forwards only published, VPN and egress traffic; isolated networks route nowhere; the last rule drops', () => {
    const forward = filters.filter((r) => r.chain === 'forward');
    expect(forward.filter((r) => r.comment === 'isolated network').map((r) => r.src_address ?? r.dst_address)).toEqual([
      '10.0.31.0/24',
      '10.0.31.0/24',
      '10.0.40.0/24',
      '10.0.40.0/24',
    ]);
    expect(forward.find((r) => r.comment === 'published ports to the ingress')).toMatchObject({
      in_interface: 'ether1',
      connection_nat_state: 'dstnat',
    });
    expect(forward.at(-1)).toEqual({ chain: 'forward', action: 'drop', comment: 'everything else', provider: 'routeros' });
    const egress = resourcesOf(json, 'routeros_ip_firewall_addr_list')
      .filter((l) => l.list === 'parity-egress')
      .map((l) => l.address);
    expect(egress).toEqual(['10.0.20.0/24', '10.0.50.0/24']);
  });

  it('publishes the public address’s ports to the ingress address, masquerades the egress, and hairpins the site to its own published ports', () => {
    expect(
      resourcesOf(json, 'routeros_ip_firewall_nat').map((r) => [
        r.chain,
        r.action,
        r.in_interface,
        r.dst_address,
        r.dst_port,
        r.to_addresses,
        r.out_interface,
      ]),
    ).toEqual([
      // From anywhere (the WAN, and the site resolving a published name), not only the WAN.
      ['dstnat', 'dst-nat', undefined, '203.0.113.10', '80,443', '10.0.50.10', undefined],
      ['srcnat', 'masquerade', undefined, undefined, undefined, undefined, 'ether1'],
      // So the ingress answers the site through the router, which undoes the dst-nat.
      ['srcnat', 'masquerade', undefined, '10.0.50.0/24', undefined, undefined, 'vlan50'],
    ]);
    expect(resourcesOf(json, 'routeros_ip_firewall_filter').find((r) => r.comment === 'hairpin: the site to its published ports')).toMatchObject({
      chain: 'forward',
      action: 'accept',
      src_address_list: 'parity-egress',
      connection_nat_state: 'dstnat',
    });
    expect(resourcesOf(json, 'routeros_interface_vlan')).toEqual([
      { name: 'vlan50', interface: 'sfp-sfpplus1', vlan_id: 50, comment: 'public ingress', provider: 'routeros' },
    ]);
    expect(
      resourcesOf(json, 'routeros_ip_address')
        .map((a) => `${a.address} ${a.interface}`)
        .sort(),
    ).toEqual(['10.0.0.1/30 sfp-sfpplus1', '10.0.50.1/24 vlan50', '10.0.99.1/24 wg-operators', '203.0.113.10/29 ether1']);
    expect(resourcesOf(json, 'routeros_ip_route').map((r) => `${r.dst_address} via ${r.gateway}`)).toEqual([
      '0.0.0.0/0 via 203.0.113.9',
      '10.0.10.0/24 via 10.0.0.2',
      '10.0.20.0/24 via 10.0.0.2',
    ]);
  });

  it('terminates the operators’ VPN: one peer per device at its /32, the router’s public key as an output', () => {
    expect(resourcesOf(json, 'routeros_interface_wireguard_peer')).toEqual([
      expect.objectContaining({ interface: 'wg-operators', name: 'alice', public_key: KEY, allowed_address: ['10.0.99.2/32'], is_responder: true }),
    ]);
    expect(Object.values<any>(json.output)[0].value).toMatch(/routeros_interface_wireguard\.edge_vpn_\w+\.public_key/);
  });

  it('reports addresses that do not fit together', () => {
    const bad = {
      ...PROPS,
      publicIngress: { ...PROPS.publicIngress!, forwards: [{ publicAddress: '203.0.113.20', to: '10.0.50.1', ports: [443] }] },
      vpn: { ...PROPS.vpn, peers: [...PROPS.vpn.peers, { name: 'bob', publicKey: KEY, address: '10.0.99.2' }] },
    };
    expect(edgeRouterProblems(bad).map((p) => p.prop)).toEqual([
      'publicIngress.forwards[0].publicAddress',
      'publicIngress.forwards[0].to',
      'vpn.peers[1].address',
    ]);
    expect(errorOf(() => new EdgeRouter(tfStack(), 'e', bad))).toMatch(
      /^EdgeRouter at s\/e: prop "publicIngress.forwards\[0\].publicAddress" is "203.0.113.20"; expected one of the WAN addresses \(203.0.113.10\)/,
    );
    expect(
      edgeRouterProblems({ ...PROPS, vpn: { ...PROPS.vpn, cidr: '10.0.40.0/24', peers: [{ name: 'a', publicKey: KEY, address: '10.0.40.2' }] } }),
    ).toEqual([{ prop: 'vpn.cidr', found: '10.0.40.0/24', expected: 'a network apart from the isolated network 10.0.40.0/24' }]);
  });
});
