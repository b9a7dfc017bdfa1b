import { DnsSplitNameservers, TailnetKey, TailscaleAcl } from '../constructs/tailscale/tailnet-resources';
import { TailscaleProvider } from '../constructs/tailscale/tailscale-provider';
import { TerraformApp, TerraformStack, TerraformTesting } from '../lib/core/facade/tf';
import { synthesizeAll } from '../lib/pipeline/synth/pipeline';
import { exampleEnvironment, examples, fixture, manifests, messageOf, resources, terraform, writeEnvironments, RawEnvironment } from './helpers';

const TAILSCALE_ACCESS = {
  kind: 'tailscale',
  internalDomain: 'internal.example.org',
  tailnet: 'example.org',
  operatorGroups: ['operators'],
  dns01: { provider: 'cloudflare', acmeEmail: 'ops@example.org' },
};

/** An example environment switched to private access through Tailscale (with the add-ons it needs). */
function privately(name: 'prod' | 'onprem'): RawEnvironment {
  const env = exampleEnvironment(name);
  env.access = { ...TAILSCALE_ACCESS, internalDomain: `${name}.example.org` };
  env.addons = [...new Set([...env.addons, 'tailscale-operator'])];
  env.apps = [];
  return env;
}

function privateAccessOf(result: ReturnType<typeof synthesizeAll>, env: string) {
  const objects = manifests(result, env);
  const tf = terraform(result, env, 'tailnet');
  const policy = JSON.parse(resources(tf, 'tailscale_acl')[0].acl);
  const connector = objects.find((o) => o.kind === 'Connector');
  const model = result.models.find((m) => m.env.name === env)!;
  return { objects, tf, policy, connector, model };
}

describe('private access through Tailscale (dev, EKS)', () => {
  const { objects, tf, policy, connector, model } = privateAccessOf(examples(), 'dev');

  it('advertised routes = auto-approved routes = the environment’s configured networks', () => {
    const configured = model.substrate
      .networks(model.env)
      .filter((n) => n.name === 'node' || n.name === 'service')
      .map((n) => n.cidr);
    expect(configured).toEqual(['10.40.0.0/16', '172.20.0.0/16']);
    expect(connector.spec.subnetRouter.advertiseRoutes).toEqual(configured);
    expect(Object.keys(policy.autoApprovers.routes)).toEqual(configured);
    for (const tags of Object.values(policy.autoApprovers.routes)) expect(tags).toEqual(['tag:k8s-subnet-router']);
    expect(connector.spec.tags).toEqual(['tag:k8s-subnet-router']);
    expect(policy.grants).toEqual([{ src: ['group:platform-engineers', 'group:dev-center-engineers'], dst: configured, ip: ['*'] }]);
  });

  it('split DNS domain = CoreDNS zone = the gateway certificate’s names, on addresses the routes reach', () => {
    const split = resources(tf, 'tailscale_dns_split_nameservers')[0];
    expect(split.domain).toBe('dev.axiom.entropy.sa');
    const corefile: string = objects.find((o) => o.kind === 'ConfigMap' && o.metadata.name === 'split-dns').data.Corefile;
    expect(corefile.split('\n')[0]).toBe(`${split.domain}:5353 {`);
    const dnsService = objects.find((o) => o.kind === 'Service' && o.metadata.name === 'split-dns');
    expect(split.nameservers).toEqual([dnsService.spec.clusterIP]);
    const cert = objects.find((o) => o.kind === 'Certificate' && o.metadata.name === 'internal-wildcard');
    expect(cert.spec.dnsNames).toEqual([split.domain, `*.${split.domain}`]);
    expect(cert.spec.issuerRef.name).toBe('letsencrypt-dns01');
    const issuer = objects.find((o) => o.kind === 'ClusterIssuer' && o.metadata.name === 'letsencrypt-dns01');
    expect(issuer.spec.acme.solvers[0]).toMatchObject({
      selector: { dnsZones: [split.domain] },
      dns01: { cloudflare: { apiTokenSecretRef: { name: 'cloudflare-api-token' } } },
    });
    const gateway = objects.find((o) => o.kind === 'Application' && o.metadata.name === 'internal-gateway').spec.source.helm.valuesObject.controller;
    expect(corefile).toContain(`answer "{{ .Name }} 60 IN A ${gateway.service.clusterIP}"`);
    expect(gateway.extraArgs['default-ssl-certificate']).toBe('private-access/internal-wildcard-tls');
    for (const ip of [dnsService.spec.clusterIP, gateway.service.clusterIP]) expect(ip.startsWith('172.20.')).toBe(true);
  });

  it('stores the tagged, preauthorized subnet-router key in Vault; no key value appears in dist/', () => {
    const key = resources(tf, 'tailscale_tailnet_key')[0];
    expect(key).toMatchObject({ preauthorized: true, reusable: false, tags: ['tag:k8s-subnet-router'] });
    // Minted only after the ACL that names the tag's owners.
    expect(key.depends_on).toEqual(['tailscale_acl.policy']);
    const stored = resources(tf, 'vault_kv_secret_v2')[0];
    expect(stored).toMatchObject({
      mount: 'kv',
      name: 'tailscale/subnet-router/authkey',
      data_json: '${jsonencode({"authkey" = tailscale_tailnet_key.subnet-router-key.key})}',
    });
    for (const [file, text] of examples().files) expect({ file, leaked: /tskey-[a-z]+-\w+/.test(text) }).toEqual({ file, leaked: false });
    expect(tf.provider.tailscale).toEqual([{ tailnet: 'entropy.sa' }]);
  });

  it('installs the Tailscale operator, with its OAuth client from Vault', () => {
    expect(objects.some((o) => o.kind === 'Application' && o.metadata.name === 'tailscale-operator')).toBe(true);
    const oauth = objects.find((o) => o.kind === 'ExternalSecret' && o.metadata.name === 'operator-oauth');
    expect(oauth.metadata.namespace).toBe('tailscale');
    expect(oauth.spec.data.map((d: any) => d.remoteRef.key)).toEqual(['tailscale/operator/operator-oauth', 'tailscale/operator/operator-oauth']);
  });
});

describe('the same construct on AKS and bare metal', () => {
  for (const name of ['prod', 'onprem'] as const) {
    it(`${name}: routes derive from its own networks`, () => {
      const result = synthesizeAll({ environmentsDir: writeEnvironments([privately(name)]) });
      const { connector, policy, model } = privateAccessOf(result, name);
      const expected = model.substrate
        .networks(model.env)
        // Pods are reached through Services; storage and site networks (PXE, edge) are never routed to the tailnet.
        .filter((n) => n.name !== 'pod' && n.name !== 'storage' && n.name !== 'site')
        .map((n) => n.cidr);
      expect(connector.spec.subnetRouter.advertiseRoutes).toEqual(expected);
      expect(Object.keys(policy.autoApprovers.routes)).toEqual(expected);
    });
  }

  it('environments sharing a tailnet share one policy listing all their routes', () => {
    const dev = exampleEnvironment('dev');
    const onprem = privately('onprem');
    onprem.access.tailnet = dev.access.tailnet;
    const result = synthesizeAll({ environmentsDir: writeEnvironments([dev, onprem]) });
    const a = terraform(result, 'dev', 'tailnet');
    const b = terraform(result, 'onprem', 'tailnet');
    expect(resources(a, 'tailscale_acl')[0].acl).toBe(resources(b, 'tailscale_acl')[0].acl);
    expect(Object.keys(JSON.parse(resources(a, 'tailscale_acl')[0].acl).autoApprovers.routes)).toEqual([
      '10.40.0.0/16',
      '172.20.0.0/16',
      '10.0.20.0/24',
      '10.96.0.0/12',
    ]);
  });
});

describe('route conflicts', () => {
  it('a route overlapping the tailnet CGNAT range 100.64.0.0/10 is a clear error', () => {
    expect(() => synthesizeAll({ environmentsDir: fixture('dev', (e) => (e.cluster.serviceCidr = '100.100.0.0/16')) })).toThrow(
      /dev: cluster\.serviceCidr: found "100\.100\.0\.0\/16"; expected a route outside the tailnet CGNAT range 100\.64\.0\.0\/10/,
    );
  });

  it('a route overlapping another environment’s on the same tailnet is a clear error', () => {
    const dev = exampleEnvironment('dev');
    const twin = exampleEnvironment('dev');
    twin.name = 'dev2';
    twin.cluster.name = 'axiom-dev2';
    twin.substrate.vpcCidr = '10.40.0.0/17';
    twin.cluster.serviceCidr = '172.21.0.0/16';
    expect(() => synthesizeAll({ environmentsDir: writeEnvironments([dev, twin]) })).toThrow(
      /dev2: substrate\.vpcCidr: found "10\.40\.0\.0\/17"; expected a route that does not overlap 10\.40\.0\.0\/16 advertised by environment dev on tailnet entropy\.sa/,
    );
  });

  it('private access requires the operator, certificates and secrets add-ons', () => {
    expect(() =>
      synthesizeAll({ environmentsDir: fixture('dev', (e) => (e.addons = e.addons.filter((a: string) => a !== 'tailscale-operator'))) }),
    ).toThrow(/access\.kind: found "tailscale"; expected add-on "tailscale-operator" in addons:/);
  });
});

describe('Tailscale resource classes', () => {
  const stack = () => new TerraformStack(new TerraformApp({ outdir: '/tmp/parity-unused' }), 's');

  it('synthesize the provider and resources with the canonical source', () => {
    const s = stack();
    new TailscaleProvider(s, 'ts', { tailnet: 'example.org' });
    new DnsSplitNameservers(s, 'dns', { domain: 'a.example.org', nameservers: ['10.0.0.53'] });
    const json = JSON.parse(TerraformTesting.synth(s));
    expect(json.terraform.required_providers.tailscale).toEqual({ source: 'tailscale/tailscale', version: '~> 0.17' });
    expect(json.resource.tailscale_dns_split_nameservers.dns).toMatchObject({ domain: 'a.example.org', nameservers: ['10.0.0.53'] });
  });

  it('validate their props', () => {
    expect(messageOf(() => new TailnetKey(stack(), 'k', { tags: [], description: 'x' }))).toMatch(
      /^TailnetKey at s\/k: prop "tags" is \[\]; expected at least one tag/,
    );
    expect(messageOf(() => new DnsSplitNameservers(stack(), 'd', { domain: 'a', nameservers: ['dns.example.org'] }))).toMatch(
      /expected IPv4 resolver addresses/,
    );
    expect(
      messageOf(() => new TailscaleAcl(stack(), 'a', { policy: { tagOwners: {}, autoApprovers: { routes: { 'not-a-cidr': [] } }, grants: [] } })),
    ).toMatch(/expected CIDR routes/);
  });
});
