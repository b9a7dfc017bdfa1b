import { synthesizeAll } from '../lib/pipeline/synth/pipeline';
import { synthesizeAndCheck } from '../lib/pipeline/synth/run';
import { examples, fixture, manifests, messageOf, resources, terraform } from './helpers';

const KEY = 'xTIBA5rboUvnH4htodjb6e697QjLERt1NAB4mZqp8Dg=';
/** The Lab's edge on the onprem hardware: an uplink with a /29, VLAN 50 for the ingress, the VPN on 10.0.99.0/24. */
const EDGE = {
  kind: 'routeros',
  apiUrl: 'https://router.lab.internal',
  wan: { addresses: ['203.0.113.10/29'], gateway: '203.0.113.9' },
  lan: { interface: 'sfp-sfpplus1', address: '10.0.0.1/30', coreGateway: '10.0.0.2' },
  allowList: [{ name: 'office', cidr: '198.51.100.0/24' }],
  publicIngress: { vlan: 50, cidr: '10.0.50.0/24', forwards: [{ publicAddress: '203.0.113.10', to: '10.0.50.10' }] },
  vpn: { cidr: '10.0.99.0/24', reaches: ['10.0.10.0/24', '10.0.20.0/24'], peers: [{ name: 'alice', publicKey: KEY, address: '10.0.99.2' }] },
};
const withEdge = (mutate: (edge: any) => void = () => undefined) =>
  fixture('onprem', (e) => {
    e.substrate.edge = structuredClone(EDGE);
    mutate(e.substrate.edge);
  });

describe('the edge router as code (bare metal: substrate.edge, RouterOS)', () => {
  const dir = withEdge();
  const result = synthesizeAll({ environmentsDir: dir });

  it('is a stack of its own, applied before the cluster, that isolates the PXE and Ceph cluster networks', () => {
    const deploy = result.files.get('onprem/DEPLOY.md')!;
    expect(deploy.indexOf('npx cdktf deploy onprem-edge')).toBeGreaterThan(0);
    expect(deploy.indexOf('npx cdktf deploy onprem-edge')).toBeLessThan(deploy.indexOf('npx cdktf deploy onprem-cluster'));
    const tf = terraform(result, 'onprem', 'edge');
    const isolated = resources(tf, 'routeros_ip_firewall_filter').filter((r) => r.comment === 'isolated network');
    expect([...new Set(isolated.map((r) => r.src_address ?? r.dst_address))]).toEqual(['10.0.31.0/24', '10.0.40.0/24']);
    expect(resources(tf, 'routeros_ip_firewall_nat')[0]).toMatchObject({
      dst_address: '203.0.113.10',
      dst_port: '80,443',
      to_addresses: '10.0.50.10',
    });
    expect(Object.keys(tf.output)).toEqual([expect.stringMatching(/vpn_public_key/)]);
  });

  it('names what only a person gives (the router login and CA) and what the core must do, in DEPLOY.md', () => {
    const deploy = result.files.get('onprem/DEPLOY.md')!;
    for (const name of ['ROS_USERNAME', 'ROS_PASSWORD', 'ROS_CA_CERTIFICATE']) expect(deploy).toContain(name);
    expect(deploy).toContain('the core switch routing 10.0.99.0/24 (the VPN) to 10.0.0.1 on sfp-sfpplus1, and trunking VLAN 50');
    expect(deploy).toContain('their PXE interfaces (pxeMac) on the provisioning network (VLAN 40, 10.0.40.0/24)');
  });

  it('keeps pods away from the site networks: egress to "anywhere" excepts the PXE, ingress and VPN networks', () => {
    const policies = manifests(result, 'onprem').filter((o) => o.kind === 'NetworkPolicy' && JSON.stringify(o).includes('0.0.0.0/0'));
    expect(policies.length).toBeGreaterThan(0);
    for (const p of policies) for (const net of ['10.0.40.0/24', '10.0.50.0/24', '10.0.99.0/24']) expect(JSON.stringify(p)).toContain(net);
    // The shipped onprem has the PXE network but no edge.
    expect([...examples().files.keys()].filter((f) => f.startsWith('onprem/terraform/edge/'))).toEqual([]);
  });

  it('reports misfits at their field paths: a forward from an address the WAN lacks, a peer outside the tunnel, overlaps', () => {
    expect(
      messageOf(() => synthesizeAll({ environmentsDir: withEdge((e) => (e.publicIngress.forwards[0].publicAddress = '203.0.113.30')) })),
    ).toContain('substrate.edge.publicIngress.forwards[0].publicAddress: found "203.0.113.30"; expected one of the WAN addresses (203.0.113.10)');
    expect(messageOf(() => synthesizeAll({ environmentsDir: withEdge((e) => (e.vpn.peers[0].address = '10.0.98.2')) }))).toContain(
      'substrate.edge.vpn.peers[0].address: found "10.0.98.2"; expected an address of 10.0.99.0/24 other than the router\'s 10.0.99.1',
    );
    expect(messageOf(() => synthesizeAll({ environmentsDir: withEdge((e) => (e.vpn.cidr = '10.0.40.0/24')) }))).toMatch(
      /substrate\.edge\.vpn\.cidr.*overlap/,
    );
    expect(messageOf(() => synthesizeAll({ environmentsDir: withEdge((e) => (e.apiUrl = 'http://router.lab.internal')) }))).toContain(
      'substrate.edge.apiUrl',
    );
  });

  it('passes the guardrails and the deploy rehearsal', async () => {
    const { check } = await synthesizeAndCheck({ environmentsDir: dir });
    expect(check.findings.filter((f) => f.severity === 'error').map((f) => `${f.ruleId} ${f.target}: ${f.message}`)).toEqual([]);
  });
});
