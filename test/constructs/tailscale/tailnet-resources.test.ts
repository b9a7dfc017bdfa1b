import { DnsSplitNameservers, TailnetKey, TailscaleAcl } from '../../../constructs/tailscale/tailnet-resources';
import { errorOf, resourcesOf, synthTf, tfStack } from '../helpers';

const policy = {
  tagOwners: { 'tag:k8s': ['group:ops'] },
  autoApprovers: { routes: { '10.0.0.0/16': ['tag:k8s'] } },
  grants: [{ src: ['group:ops'], dst: ['10.0.0.0/16'], ip: ['*'] }],
};

describe('TailscaleAcl', () => {
  it('writes the policy as stable JSON and owns the whole policy file', () => {
    const s = tfStack();
    new TailscaleAcl(s, 'acl', { policy });
    const acl = resourcesOf(synthTf(s), 'tailscale_acl')[0];
    expect(JSON.parse(acl.acl)).toEqual(policy);
    expect(acl.overwrite_existing_content).toBe(true);
  });

  it('rejects an auto-approved route that is not a CIDR', () => {
    expect(
      errorOf(() => new TailscaleAcl(tfStack(), 'acl', { policy: { ...policy, autoApprovers: { routes: { 'lab.internal': ['tag:k8s'] } } } })),
    ).toBe('TailscaleAcl at s/acl: prop "policy.autoApprovers.routes" is "lab.internal"; expected CIDR routes');
  });
});

describe('TailnetKey', () => {
  it('defaults: tagged, pre-authorized, single-use, not ephemeral, 90 days', () => {
    const s = tfStack();
    new TailnetKey(s, 'k', { tags: ['tag:k8s'], description: 'subnet router' });
    expect(resourcesOf(synthTf(s), 'tailscale_tailnet_key')[0]).toEqual({
      tags: ['tag:k8s'],
      preauthorized: true,
      reusable: false,
      ephemeral: false,
      expiry: 7776000,
      description: 'subnet router',
    });
  });

  it('options: reusable, not pre-authorized, expiry', () => {
    const s = tfStack();
    new TailnetKey(s, 'k', { tags: ['tag:k8s'], description: 'x', reusable: true, preauthorized: false, expiry: 3600 });
    expect(resourcesOf(synthTf(s), 'tailscale_tailnet_key')[0]).toMatchObject({ reusable: true, preauthorized: false, expiry: 3600 });
  });

  it('rejects untagged keys and long descriptions', () => {
    expect(errorOf(() => new TailnetKey(tfStack(), 'k', { tags: [], description: 'x' }))).toMatch(/^TailnetKey at s\/k: prop "tags" is \[\]/);
    expect(errorOf(() => new TailnetKey(tfStack(), 'k', { tags: ['tag:k8s'], description: 'x'.repeat(51) }))).toMatch(/prop "description"/);
  });
});

describe('DnsSplitNameservers', () => {
  it('sends one domain to the given resolvers, which must be IPv4 addresses', () => {
    const s = tfStack();
    new DnsSplitNameservers(s, 'd', { domain: 'lab.internal', nameservers: ['10.0.0.53'] });
    expect(resourcesOf(synthTf(s), 'tailscale_dns_split_nameservers')[0]).toEqual({ domain: 'lab.internal', nameservers: ['10.0.0.53'] });
    expect(errorOf(() => new DnsSplitNameservers(tfStack(), 'd', { domain: 'lab.internal', nameservers: [] }))).toMatch(
      /prop "nameservers" is \[\]; expected IPv4 resolver addresses/,
    );
  });
});
