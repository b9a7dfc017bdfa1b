import { parseAllDocuments } from 'yaml';
import { synthesizeAll } from '../lib/pipeline/synth/pipeline';
import { checkEnvironments } from '../lib/pipeline/guardrails/check';
import { rehearseAll } from '../lib/pipeline/rehearsal';
import { examples, fixture, messageOf, terraform, resources } from './helpers';

const docs = (text: string) => parseAllDocuments(text).map((d) => d.toJS());
const wave = (o: any) => Number(o.metadata.annotations?.['argocd.argoproj.io/sync-wave'] ?? 0);

describe('external-dns (axiom-prod: Cloudflare)', () => {
  const result = examples();
  const objects = docs(result.files.get('axiom-prod/manifests/addons/external-dns.yaml')!);
  const app = objects.find((o) => o.kind === 'Application');
  const values = app.spec.source.helm.valuesObject;

  it('writes only the declared zone, as records this cluster owns, for the routes (Ingress hosts)', () => {
    expect(values).toMatchObject({
      provider: { name: 'cloudflare' },
      sources: ['ingress'],
      domainFilters: ['axiom.entropy.sa'],
      registry: 'txt',
      txtOwnerId: 'axiom-prod',
      policy: 'sync',
    });
    // Every public host the environment routes falls inside the zone it may write.
    const hosts = [...result.files.entries()]
      .filter(([f]) => f.startsWith('axiom-prod/manifests/'))
      .flatMap(([, t]) => docs(t))
      .filter((o) => o?.kind === 'Ingress')
      .flatMap((o) => o.spec.rules.map((r: any) => r.host));
    expect(hosts.sort()).toEqual(['api.axiom.entropy.sa', 'auth.axiom.entropy.sa']);
    for (const h of hosts) expect(values.domainFilters.some((z: string) => h.endsWith(`.${z}`))).toBe(true);
  });

  it('reads the API token from Vault through an ExternalSecret of its own wave, with a store only its namespace can use', () => {
    const ref = values.env.find((e: any) => e.name === 'CF_API_TOKEN').valueFrom.secretKeyRef;
    const es = objects.find((o) => o.kind === 'ExternalSecret' && o.spec.target.name === ref.name);
    expect(es.metadata.namespace).toBe(app.spec.destination.namespace);
    expect(es.spec.data).toEqual([{ secretKey: ref.key, remoteRef: { key: 'external-dns/external-dns/cloudflare-api-token', property: ref.key } }]);
    expect(wave(es)).toBeLessThanOrEqual(wave(app));
    const store = objects.find((o) => o.kind === 'ClusterSecretStore');
    expect(store.spec.conditions).toEqual([{ namespaces: ['external-dns'] }]);
    // ... and the store's login account is there in the same wave.
    const sa = objects.find(
      (o) => o.kind === 'ServiceAccount' && o.metadata.name === store.spec.provider.vault.auth.kubernetes.serviceAccountRef.name,
    );
    expect(wave(sa)).toBe(wave(store));
    // The Vault stack lets exactly that account read exactly that path.
    const policies = resources(terraform(result, 'axiom-prod', 'vault'), 'vault_policy').filter((p) => p.name === 'external-dns-external-dns');
    expect(policies).toHaveLength(1);
    expect(policies[0].policy).toContain('kv/data/external-dns/external-dns/*');
  });

  it('lists the token among the inputs only a person can give', () => {
    expect(result.files.get('axiom-prod/DEPLOY.md')).toContain('vault kv put kv/external-dns/external-dns/cloudflare-api-token api-token=<value>');
  });
});

describe('external-dns on Google Cloud DNS (any environment)', () => {
  const google = synthesizeAll({
    environmentsDir: fixture('prod', (e) => {
      e.addons.push('external-dns');
      e.dns = { provider: 'google', project: 'arbitex-dns-1234', zones: ['arbitex.ai'] };
    }),
  });
  const objects = docs(google.files.get('prod/manifests/addons/external-dns.yaml')!);
  const values = objects.find((o) => o.kind === 'Application').spec.source.helm.valuesObject;

  it('mounts the service account key from Vault and names the project', () => {
    expect(values.provider).toEqual({ name: 'google' });
    expect(values.extraArgs).toEqual(['--google-project=arbitex-dns-1234', '--google-zone-visibility=public']);
    expect(values.extraVolumes).toEqual([{ name: 'google-credentials', secret: { secretName: 'google-dns-credentials' } }]);
    expect(values.env).toEqual([{ name: 'GOOGLE_APPLICATION_CREDENTIALS', value: '/etc/google/credentials.json' }]);
    expect(objects.find((o) => o.kind === 'ExternalSecret').spec.target.name).toBe('google-dns-credentials');
  });

  it('passes the guardrails and the deploy rehearsal with zero findings', async () => {
    const r = await checkEnvironments(
      google.models.map((m) => m.env),
      google.files,
      undefined,
      rehearseAll(google).findings,
    );
    expect(r.findings).toEqual([]);
  });
});

describe('bad dns input', () => {
  it('the add-on without a dns: section, and a dns: section without the add-on, are clear errors', () => {
    expect(messageOf(() => synthesizeAll({ environmentsDir: fixture('axiom-prod', (e) => delete e.dns) }))).toMatch(
      /axiom-prod \(environments\/axiom-prod\.yaml\): dns: found nothing; expected a dns: section \(provider, zones\) for the external-dns add-on in addons:/,
    );
    expect(
      messageOf(() =>
        synthesizeAll({ environmentsDir: fixture('axiom-prod', (e) => (e.addons = e.addons.filter((a: string) => a !== 'external-dns'))) }),
      ),
    ).toMatch(
      /axiom-prod \(environments\/axiom-prod\.yaml\): addons: found .*; expected "external-dns" listed, which writes the records dns: describes/,
    );
    expect(messageOf(() => synthesizeAll({ environmentsDir: fixture('axiom-prod', (e) => (e.dns = { provider: 'google', project: 'X' })) }))).toMatch(
      /dns\.project: .*a Google Cloud project ID/,
    );
  });
});
