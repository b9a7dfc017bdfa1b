import { terraformStacks } from '../lib/pipeline/guardrails/check';
import { rehearse } from '../lib/pipeline/rehearsal';
import { synthesizeAll } from '../lib/pipeline/synth/pipeline';
import { fixture, manifests, messageOf, resources, terraform } from './helpers';

/** axiom-prod answering ACME by DNS-01 through Google Cloud DNS instead of HTTP-01 through its ingress (the Lab's choice). */
const result = synthesizeAll({
  environmentsDir: fixture('axiom-prod', (e) => {
    e.access.tls.dns01 = { provider: 'google', project: 'entropy-dns' };
  }),
});

describe('ACME DNS-01 on a public ingress environment (The Lab design: wildcards through Google Cloud DNS)', () => {
  const objects = manifests(result, 'axiom-prod');

  it('the environment ClusterIssuer solves by DNS-01 with Cloud DNS, its service account key from Vault', () => {
    const issuer = objects.find((o) => o.kind === 'ClusterIssuer' && o.metadata.name === 'letsencrypt-prod');
    expect(issuer.spec.acme.solvers).toEqual([
      { dns01: { cloudDNS: { project: 'entropy-dns', serviceAccountSecretRef: { name: 'google-dns01-credentials', key: 'credentials.json' } } } },
    ]);
    // Synced once Vault runs (the issuer is not Ready until then), before anything routed asks for a certificate.
    const es = objects.find((o) => o.kind === 'ExternalSecret' && o.metadata.name === 'google-dns01-credentials');
    expect(es.metadata.namespace).toBe('cert-manager');
    const routed = objects.filter((o) => o.kind === 'Ingress').map((o) => Number(o.metadata.annotations?.['argocd.argoproj.io/sync-wave'] ?? 0));
    expect(Number(es.metadata.annotations['argocd.argoproj.io/sync-wave'])).toBeLessThan(Math.min(...routed));
    // A person gives the key; the deploy guide asks for it, and Vault lets only cert-manager's solver read it.
    expect(result.files.get('axiom-prod/DEPLOY.md')).toContain(
      'vault kv put kv/cert-manager/dns01/google-dns01-credentials credentials.json=<value>',
    );
    const policy = resources(terraform(result, 'axiom-prod', 'vault'), 'vault_policy').find((p) => p.name === 'cert-manager-dns01');
    expect(policy.policy).toContain('path "kv/data/cert-manager/dns01/*"');
  });

  it('opens no HTTP-01 solver path, and lets cert-manager reach Google’s DNS and token APIs', () => {
    expect(objects.filter((o) => o.kind === 'NetworkPolicy' && o.metadata.name === 'acme-http01-solver-connections')).toEqual([]);
    const hosts = result.models[0].platform.facts
      .connections()
      .filter(({ connection: c }) => c.from.kind === 'workload' && c.from.name === 'cert-manager/cert-manager' && c.to.kind === 'external')
      .map(({ connection: c }) => (c.to.kind === 'external' ? c.to.host : ''));
    expect(hosts).toEqual(expect.arrayContaining(['dns.googleapis.com', 'oauth2.googleapis.com']));
  });

  it('the rehearsal accepts it, and reports an issuer whose DNS-01 credential nothing produces (REH-004)', () => {
    const input = { model: result.models[0], objects: [...result.objects.get('axiom-prod')!], stacks: terraformStacks(result.files, 'axiom-prod') };
    expect(rehearse(input)).toEqual([]);
    const without = input.objects.filter((o) => !(o.kind === 'ExternalSecret' && o.metadata.name === 'google-dns01-credentials'));
    const findings = rehearse({ ...input, objects: without }).filter((f) => f.ruleId === 'REH-004');
    expect(findings.map((f) => [f.target, f.path])).toEqual([
      ['ClusterIssuer/letsencrypt-prod', 'spec.acme.solvers[0].dns01.cloudDNS.serviceAccountSecretRef'],
    ]);
  });

  it('DNS-01 without an ACME contact is a clear error', () => {
    const dir = fixture('onprem', (e) => {
      e.access.tls.dns01 = { provider: 'cloudflare' };
    });
    expect(messageOf(() => synthesizeAll({ environmentsDir: dir }))).toContain(
      'access.tls.dns01: found "cloudflare"; expected access.tls.acmeEmail set as well (DNS-01 answers an ACME issuer)',
    );
  });
});
