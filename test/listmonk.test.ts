import { synthesizeAll } from '../lib/pipeline/synth/pipeline';
import { synthesizeAndCheck } from '../lib/pipeline/synth/run';
import { fixture, manifests, nameIs } from './helpers';

const withListmonk = (env: 'dev' | 'axiom-prod', host: string) =>
  fixture(env, (e) => e.apps.push({ app: 'listmonk', namespace: 'dev-center', host }));

describe('listmonk (newsletters and lists), chosen by any environment', () => {
  const dev = manifests(synthesizeAll({ environmentsDir: withListmonk('dev', 'lists.dev.axiom.entropy.sa') }), 'dev');
  const prodDir = withListmonk('axiom-prod', 'lists.axiom.entropy.sa');
  const prod = manifests(synthesizeAll({ environmentsDir: prodDir }), 'axiom-prod');
  const named = (objects: any[], kind: string, name: string) => objects.find((o) => o.kind === kind && nameIs(o, name));

  it('installs its schema once and upgrades it in a wave Job before the server, the first admin a Vault login', () => {
    const job = named(dev, 'Job', 'listmonk-install');
    const server = named(dev, 'Deployment', 'listmonk');
    const wave = (o: any) => Number(o.metadata.annotations['argocd.argoproj.io/sync-wave']);
    expect(wave(job)).toBeLessThan(wave(server));
    const c = job.spec.template.spec.containers[0];
    expect(c.command).toEqual(['sh', '-c', "./listmonk --install --idempotent --yes --config '' && ./listmonk --upgrade --yes --config ''"]);
    const env = Object.fromEntries(c.env.map((e: any) => [e.name, e.value ?? e.valueFrom.secretKeyRef]));
    expect(env).toMatchObject({
      LISTMONK_db__host: 'listmonk-postgres-rw.dev-center.svc',
      LISTMONK_db__ssl_mode: 'require',
      LISTMONK_app__root_url: 'https://lists.dev.axiom.entropy.sa',
      LISTMONK_ADMIN_PASSWORD: { name: 'listmonk-admin', key: 'password' },
    });
    expect(named(dev, 'ExternalSecret', 'listmonk-admin')).toBeDefined();
    // The server reads its settings from the environment only, non-root on a read-only filesystem.
    const s = server.spec.template.spec.containers[0];
    expect(s.command).toEqual(['./listmonk', '--config', '']);
    expect(s.securityContext).toMatchObject({ readOnlyRootFilesystem: true });
    expect(s.readinessProbe.httpGet.path).toBe('/health');
    expect(server.metadata.annotations['secret.reloader.stakater.com/reload']).toBe(env.LISTMONK_db__user.name);
  });

  it('is routed whole on private hosts; on a public environment only what subscribers use', () => {
    expect(named(dev, 'Ingress', 'listmonk').spec.rules[0].http.paths.map((p: any) => p.path)).toEqual(['/']);
    expect(named(prod, 'Ingress', 'listmonk').spec.rules[0].http.paths.map((p: any) => p.path)).toEqual([
      '/subscription/',
      '/api/public/',
      '/link/',
      '/campaign/',
      '/archive',
      '/public/',
    ]);
  });

  it('passes the guardrails and the deploy rehearsal on a public environment', async () => {
    const { check } = await synthesizeAndCheck({ environmentsDir: prodDir });
    expect(check.findings.filter((f) => f.severity === 'error').map((f) => `${f.ruleId} ${f.target}: ${f.message}`)).toEqual([]);
  });
});
