import { synthesizeAll } from '../lib/pipeline/synth/pipeline';
import { synthesizeAndCheck } from '../lib/pipeline/synth/run';
import { examples, fixture, manifests, messageOf, resources, terraform } from './helpers';

/** Bare metal's load balancing: Cilium LB-IPAM pools, L2 announcements, and the edge's NAT tied to them. */
describe('address pools on bare metal (substrate.loadBalancerPools, Cilium LB-IPAM and L2 announcements)', () => {
  const result = examples();
  const lab = manifests(result, 'lab');
  const named = (kind: string, name: string) => lab.find((o) => o.kind === kind && o.metadata.name === name);
  const values = (app: string) => named('Application', app).spec.source.helm.valuesObject;

  it('defines the public pool on the public ingress VLAN and announces it from the workers’ VLAN interfaces, in the CNI’s wave', () => {
    expect(named('CiliumLoadBalancerIPPool', 'public')).toMatchObject({
      apiVersion: 'cilium.io/v2alpha1',
      metadata: { annotations: { 'argocd.argoproj.io/sync-wave': '-30' } },
      spec: {
        blocks: [{ start: '10.0.50.10', stop: '10.0.50.19' }],
        allowFirstLastIPs: 'No',
        serviceSelector: { matchLabels: { 'parity.dev/address-pool': 'public' } },
      },
    });
    expect(named('CiliumL2AnnouncementPolicy', 'public').spec).toEqual({
      serviceSelector: { matchLabels: { 'parity.dev/address-pool': 'public' } },
      nodeSelector: { matchExpressions: [{ key: 'node-role.kubernetes.io/control-plane', operator: 'DoesNotExist' }] },
      interfaces: ['^eno1\\.50$'],
      loadBalancerIPs: true,
      externalIPs: false,
    });
    // No internal pool declared: none defined.
    expect(named('CiliumLoadBalancerIPPool', 'internal')).toBeUndefined();
    // onprem (internal exposure) announces its internal pool on the node interfaces.
    const onprem = manifests(result, 'onprem');
    expect(onprem.find((o) => o.kind === 'CiliumL2AnnouncementPolicy' && o.metadata.name === 'internal').spec.interfaces).toEqual(['^eno1$']);
  });

  it('gives each entry the address the edge forwards to it, and has it report the public address for external-dns', () => {
    const gateway = values('gateway');
    expect(gateway.service).toEqual({
      annotations: { 'lbipam.cilium.io/ips': '10.0.50.10' },
      labels: { 'parity.dev/address-pool': 'public' },
    });
    expect(gateway.providers.kubernetesGateway).toEqual({ enabled: true, statusAddress: { ip: '203.0.113.10' } });
    const ingress = values('ingress-nginx').controller;
    expect(ingress.service).toEqual({ annotations: { 'lbipam.cilium.io/ips': '10.0.50.11' }, labels: { 'parity.dev/address-pool': 'public' } });
    expect(ingress.publishService).toEqual({ enabled: false });
    expect(ingress.extraArgs).toEqual({ 'publish-status-address': '203.0.113.11' });
    // external-dns publishes the HTTPRoutes too, with the RBAC its chart grants for that source.
    expect(values('external-dns').sources).toEqual(['ingress', 'gateway-httproute']);
    const nat = resources(terraform(result, 'lab', 'edge'), 'routeros_ip_firewall_nat');
    expect(nat.filter((r) => r.action === 'dst-nat').map((r) => [r.dst_address, r.to_addresses])).toEqual([
      ['203.0.113.10', '10.0.50.10'],
      ['203.0.113.11', '10.0.50.11'],
    ]);
  });

  it('hairpins: the site reaches its own published names through the router (nodes pulling from the registry it publishes)', () => {
    const tf = terraform(result, 'lab', 'edge');
    const nat = resources(tf, 'routeros_ip_firewall_nat');
    expect(nat.filter((r) => r.action === 'dst-nat').every((r) => r.in_interface === undefined)).toBe(true);
    expect(nat).toContainEqual(
      expect.objectContaining({
        chain: 'srcnat',
        action: 'masquerade',
        dst_address: '10.0.50.0/24',
        out_interface: 'vlan50',
        src_address_list: 'parity-egress',
      }),
    );
    expect(resources(tf, 'routeros_ip_firewall_filter')).toContainEqual(
      expect.objectContaining({ chain: 'forward', action: 'accept', connection_nat_state: 'dstnat', src_address_list: 'parity-egress' }),
    );
  });

  it('tags the public ingress VLAN on the workers only, each at its node address’s host part, and names the switch ports in DEPLOY.md', () => {
    const tf = terraform(result, 'lab', 'cluster');
    const vlan50 = resources(tf, 'maas_network_interface_vlan').filter((v) => v.vlan === '${maas_vlan.vlan-50.id}');
    expect(vlan50.map((v) => v.machine).sort()).toEqual(
      ['gpu-01', 'worker-01', 'worker-02', 'worker-03', 'worker-04'].map((h) => `\${maas_machine.machine-${h}.id}`),
    );
    const instance = (host: string) => tf.resource.maas_instance[`instance-${host}`];
    expect(instance('gpu-01').network_interfaces).toContainEqual({ ip_address: '10.0.50.21', name: 'eno1.50', subnet_cidr: '10.0.50.0/24' });
    expect(instance('gpu-01').depends_on).toEqual(expect.arrayContaining(['maas_network_interface_vlan.vlan-50-gpu-01', 'maas_subnet.subnet-50']));
    expect(JSON.stringify(instance('cp-01').network_interfaces)).not.toContain('10.0.50.');
    expect(result.files.get('lab/DEPLOY.md')).toContain(
      'the switch ports of the workers (gpu-01, worker-01, worker-02, worker-03, worker-04) trunking VLAN 50 (public ingress)',
    );
  });

  it('lists every public hostname and what serves it, Gateway routes and a chart’s own Ingress included', () => {
    const readme = result.files.get('lab/README.md')!;
    expect(readme).toContain('| `n8n.lab.example.com` | web/n8n:5678 | public Gateway platform (https) |');
    expect(readme).toContain('| `www.lab.example.com` | redirect to the same scheme://lab.example.com (301) | public Gateway platform (https) |');
    expect(readme).toContain("| `registry.lab.example.com` | registry/harbor-core:443 | public ingress (its chart's Ingress) |");
    expect(readme).toContain('| `status.lab.example.com` | status/status-service:8080 | public Gateway platform (https) |');
  });
});

describe('bad pools are clear errors at their field paths', () => {
  const error = (mutate: (e: any) => void) => messageOf(() => synthesizeAll({ environmentsDir: fixture('lab', mutate) }));

  it('a public bare-metal ingress needs a public pool on the edge’s public ingress network', () => {
    expect(error((e) => delete e.substrate.loadBalancerPools)).toMatch(
      /lab \(environments\/lab\.yaml\): substrate\.loadBalancerPools\.public: found nothing; expected the public ingress addresses/,
    );
    expect(error((e) => delete e.substrate.edge.publicIngress)).toMatch(
      /substrate\.loadBalancerPools\.public: .*expected a public ingress network to put it on: substrate\.edge\.publicIngress/,
    );
  });

  it('ranges inside their network, ordered, clear of the hosts, the router and the API VIP', () => {
    expect(error((e) => (e.substrate.loadBalancerPools.public = { start: '10.0.60.10', stop: '10.0.50.19' }))).toMatch(
      /substrate\.loadBalancerPools\.public\.start: found "10\.0\.60\.10"; expected an address of 10\.0\.50\.0\/24 \(substrate\.edge\.publicIngress\.cidr\)/,
    );
    expect(error((e) => (e.substrate.loadBalancerPools.public = { start: '10.0.50.19', stop: '10.0.50.10' }))).toMatch(
      /substrate\.loadBalancerPools\.public\.stop: found "10\.0\.50\.10"; expected an address no lower than start \(10\.0\.50\.19\)/,
    );
    expect(error((e) => (e.substrate.loadBalancerPools.public = { start: '10.0.50.1', stop: '10.0.50.29' }))).toMatch(
      /substrate\.loadBalancerPools\.public: found "10\.0\.50\.1-10\.0\.50\.29"; expected a range clear of gpu-01 \(10\.0\.50\.21\), .*the edge router \(10\.0\.50\.1\)/,
    );
    expect(error((e) => (e.substrate.loadBalancerPools.internal = { start: '10.0.20.5', stop: '10.0.20.12' }))).toMatch(
      /substrate\.loadBalancerPools\.internal: .*expected a range clear of cp-01 \(10\.0\.20\.11\), cp-02 \(10\.0\.20\.12\), the API VIP \(10\.0\.20\.10\)/,
    );
    expect(error((e) => (e.substrate.loadBalancerPools.internal = { start: '10.0.20.200', stop: '10.0.20.200' }))).toMatch(
      /substrate\.loadBalancerPools\.internal\.stop: .*expected an address after start: the ingress controller and the Gateway each hold one/,
    );
  });

  it('the edge forwards to addresses of the public pool, one per entry, and only to entries the environment runs', () => {
    expect(error((e) => (e.substrate.edge.publicIngress.forwards[0].to = '10.0.50.40'))).toMatch(
      /substrate\.edge\.publicIngress\.forwards\[0\]\.to: found "10\.0\.50\.40"; expected an address of the public pool \(10\.0\.50\.10-10\.0\.50\.19\)/,
    );
    expect(error((e) => (e.substrate.edge.publicIngress.forwards[1].via = 'gateway'))).toMatch(
      /substrate\.edge\.publicIngress\.forwards\[1\]\.to: found "10\.0\.50\.11"; expected 10\.0\.50\.10, the address the gateway entry already holds/,
    );
    expect(
      error((e) => {
        e.addons = e.addons.filter((a: string) => a !== 'gateway');
        e.access.routing = 'ingress';
        e.access.wwwRedirect = false;
      }),
    ).toMatch(
      /substrate\.edge\.publicIngress\.forwards\[0\]\.via: found "gateway"; expected an entry the environment runs: add-on gateway is not listed/,
    );
  });
});

describe('every image of the Lab through its own registry (Harbor as the nodes’ pull-through cache)', () => {
  it('lists each image as the nodes get it from Harbor in images.txt', () => {
    const images = examples().files.get('lab/images.txt')!;
    expect(images).toMatch(/^# images the nodes pull through registry\.lab\.example\.com/);
    expect(images).toContain('nvcr.io/nvidia/gpu-operator:v24.9.1 registry.lab.example.com/nvcr.io/nvidia/gpu-operator:v24.9.1');
    // The organisation's own image, pushed to Harbor by its CI, comes from there as it is.
    expect(images).toContain('registry.lab.example.com/lab/status-service:1.0.0 registry.lab.example.com/lab/status-service:1.0.0');
  });

  it('REH-023 fires on an image from a registry the cache does not proxy', async () => {
    const environmentsDir = fixture('lab', (e) => {
      const harbor = e.apps.find((a: { app: string }) => a.app === 'harbor');
      harbor.proxyCaches = harbor.proxyCaches.filter((p: { registry: string }) => p.registry !== 'nvcr.io');
    });
    const { check } = await synthesizeAndCheck({ environmentsDir });
    const findings = check.findings.filter((f) => f.ruleId === 'REH-023');
    expect(findings.length).toBeGreaterThan(0);
    expect(findings[0].message).toMatch(
      /pulls nvcr\.io\/.* from nvcr\.io, which the nodes' pull-through cache registry\.lab\.example\.com does not proxy/,
    );
  });
});
