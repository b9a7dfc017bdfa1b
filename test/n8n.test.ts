import { synthesizeAll } from '../lib/pipeline/synth/pipeline';
import { synthesizeAndCheck } from '../lib/pipeline/synth/run';
import { fixture, manifests, messageOf } from './helpers';

/** An environment with n8n added in its dev-center namespace. */
const withN8n = (env: 'dev' | 'axiom-prod', host: string) =>
  fixture(env, (e) => e.apps.push({ app: 'n8n', namespace: 'dev-center', host, timezone: 'Europe/Berlin' }));

describe('n8n (workflow automation), chosen by any environment', () => {
  const dev = manifests(synthesizeAll({ environmentsDir: withN8n('dev', 'n8n.dev.axiom.entropy.sa') }), 'dev');
  const prodDir = withN8n('axiom-prod', 'n8n.axiom.entropy.sa');
  const prod = manifests(synthesizeAll({ environmentsDir: prodDir }), 'axiom-prod');
  const deployment = (objects: any[]) => objects.find((o) => o.kind === 'Deployment' && o.metadata.name === 'n8n');

  it('keeps workflows in its own PostgreSQL over TLS with Vault logins per lease, its credentials encrypted with a Vault-generated key', () => {
    const c = deployment(dev).spec.template.spec.containers[0];
    const env = Object.fromEntries(c.env.map((e: any) => [e.name, e.value ?? e.valueFrom]));
    expect(env).toMatchObject({
      DB_TYPE: 'postgresdb',
      DB_POSTGRESDB_HOST: 'n8n-postgres-rw.dev-center.svc',
      DB_POSTGRESDB_SSL_ENABLED: 'true',
      N8N_HOST: 'n8n.dev.axiom.entropy.sa',
      WEBHOOK_URL: 'https://n8n.dev.axiom.entropy.sa/',
      N8N_DIAGNOSTICS_ENABLED: 'false',
      N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
      GENERIC_TIMEZONE: 'Europe/Berlin',
    });
    expect(env.N8N_ENCRYPTION_KEY).toEqual({ secretKeyRef: { name: 'n8n-encryption', key: 'key' } });
    expect(dev.find((o) => o.kind === 'ExternalSecret' && o.metadata.name === 'n8n-encryption')).toBeDefined();
    expect(deployment(dev).metadata.annotations['secret.reloader.stakater.com/reload']).toBe(env.DB_POSTGRESDB_PASSWORD.secretKeyRef.name);
    expect(c.securityContext).toMatchObject({ readOnlyRootFilesystem: true, allowPrivilegeEscalation: false });
    expect(deployment(dev).spec.template.spec.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 1000 });
    expect(c.readinessProbe.httpGet.path).toBe('/healthz');
  });

  it('is routed whole where hosts are private, and only its production webhooks on a public environment', () => {
    const route = (objects: any[]) => objects.find((o) => o.kind === 'Ingress' && o.metadata.namespace === 'dev-center' && o.metadata.name === 'n8n');
    expect(route(dev).spec.rules[0].http.paths.map((p: any) => p.path)).toEqual(['/']);
    expect(route(prod).spec.rules[0]).toMatchObject({ host: 'n8n.axiom.entropy.sa', http: { paths: [{ path: '/webhook/', pathType: 'Prefix' }] } });
    expect(route(prod).spec.tls[0].hosts).toEqual(['n8n.axiom.entropy.sa']);
  });

  it('passes the guardrails and the deploy rehearsal on a public environment', async () => {
    const { check } = await synthesizeAndCheck({ environmentsDir: prodDir });
    expect(check.findings.filter((f) => f.severity === 'error').map((f) => `${f.ruleId} ${f.target}: ${f.message}`)).toEqual([]);
  });

  it('refuses a time zone that is not an IANA name', () => {
    const dir = fixture('dev', (e) => e.apps.push({ app: 'n8n', namespace: 'dev-center', host: 'n8n.dev.axiom.entropy.sa', timezone: 'CET +1' }));
    expect(messageOf(() => synthesizeAll({ environmentsDir: dir }))).toMatch(/timezone: found "CET \+1"; expected an IANA time zone/);
  });
});
