import { synthesizeAll } from '../lib/pipeline/synth/pipeline';
import { synthesizeAndCheck } from '../lib/pipeline/synth/run';
import { fixture, manifests, nameIs } from './helpers';

const app = (host: string, storageClass: string, extra: Record<string, unknown> = {}) => ({
  app: 'glitchtip',
  namespace: 'monitoring',
  host,
  adminEmail: 'platform@example.org',
  uploads: { storageClass },
  ...extra,
});
/** prod pulls by digest only (requireImageDigests). */
const PINNED = { glitchtip: { repository: 'docker.io/glitchtip/glitchtip', tag: 'v4.0.0', digest: `sha256:${'ab'.repeat(32)}` } };
const needs = ['cloudnative-pg', 'redis-operator', 'reloader'];
const withGlitchtip = (env: 'onprem' | 'prod', entry: Record<string, unknown>) =>
  fixture(env, (e) => {
    e.addons = [...new Set([...e.addons, ...needs])].sort();
    e.apps = [...(e.apps ?? []), entry];
  });

describe('GlitchTip (error tracking), chosen by any environment', () => {
  const onpremDir = withGlitchtip('onprem', app('errors.apps.lab.internal', 'ceph-filesystem'));
  const onprem = manifests(synthesizeAll({ environmentsDir: onpremDir }), 'onprem');
  const prodDir = withGlitchtip('prod', app('errors.arbitex.ai', 'azurefile-csi-premium', { publicProjects: [3, 7], images: PINNED }));
  const prod = manifests(synthesizeAll({ environmentsDir: prodDir }), 'prod');
  const named = (objects: any[], kind: string, name: string) => objects.find((o) => o.kind === kind && nameIs(o, name));
  const envOf = (c: any) => Object.fromEntries(c.env.map((e: any) => [e.name, e.value ?? e.valueFrom.secretKeyRef]));
  const wave = (o: any) => Number(o.metadata.annotations['argocd.argoproj.io/sync-wave']);

  it('migrates and creates the first superuser in a wave Job before the web and the worker', () => {
    const job = named(onprem, 'Job', 'glitchtip-migrate');
    const web = named(onprem, 'Deployment', 'glitchtip');
    const worker = named(onprem, 'Deployment', 'glitchtip-worker');
    expect(wave(job)).toBeLessThan(wave(web));
    expect(wave(job)).toBeLessThan(wave(worker));
    const c = job.spec.template.spec.containers[0];
    expect(c.command[2]).toMatch(/^\.\/manage\.py migrate --noinput && \.\/manage\.py shell -c ".*create_superuser\(email=e/);
    expect(envOf(c)).toMatchObject({ ADMIN_EMAIL: 'platform@example.org', ADMIN_PASSWORD: { name: 'glitchtip-admin', key: 'password' } });
    expect(named(onprem, 'ExternalSecret', 'glitchtip-admin')).toBeDefined();
  });

  it('reads its database over TLS with a Vault login, Redis with a generated password, and no sign-ups', () => {
    const web = named(onprem, 'Deployment', 'glitchtip');
    const env = envOf(web.spec.template.spec.containers[0]);
    expect(env).toMatchObject({
      DATABASE_HOST: 'glitchtip-postgres-rw.monitoring.svc',
      DATABASE_NAME: 'glitchtip',
      PGSSLMODE: 'require',
      REDIS_HOST: 'redis-master.monitoring.svc',
      REDIS_PASSWORD: { name: 'glitchtip-redis', key: 'password' },
      SECRET_KEY: { name: 'glitchtip-secret-key', key: 'value' },
      GLITCHTIP_DOMAIN: 'https://errors.apps.lab.internal',
      ENABLE_USER_REGISTRATION: 'False',
      ENABLE_ORGANIZATION_CREATION: 'False',
    });
    expect(web.metadata.annotations['secret.reloader.stakater.com/reload']).toBe(env.DATABASE_USER.name);
    expect(named(onprem, 'RedisReplication', 'redis').spec.kubernetesConfig.image).toMatch(/^registry\.lab\.internal\//);
    for (const s of ['glitchtip-secret-key', 'glitchtip-redis']) expect(named(onprem, 'ExternalSecret', s)).toBeDefined();
  });

  it('runs hardened, probed, with uploads on one ReadWriteMany volume the web and the worker share', () => {
    const claim = named(onprem, 'PersistentVolumeClaim', 'glitchtip-uploads');
    expect(claim.spec).toMatchObject({ accessModes: ['ReadWriteMany'], storageClassName: 'ceph-filesystem' });
    for (const name of ['glitchtip', 'glitchtip-worker']) {
      const pod = named(onprem, 'Deployment', name).spec.template.spec;
      const c = pod.containers[0];
      expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 5000 });
      expect(c.securityContext).toMatchObject({ readOnlyRootFilesystem: true, allowPrivilegeEscalation: false });
      const mount = c.volumeMounts.find((m: any) => m.mountPath === '/code/uploads');
      expect(pod.volumes.find((v: any) => v.name === mount.name).persistentVolumeClaim.claimName).toBe('glitchtip-uploads');
    }
    const web = named(onprem, 'Deployment', 'glitchtip').spec.template.spec.containers[0];
    expect(web.readinessProbe.httpGet).toMatchObject({ path: '/_health/', port: 8080 });
    const worker = named(onprem, 'Deployment', 'glitchtip-worker');
    expect(worker.spec.replicas).toBe(1);
    const w = worker.spec.template.spec.containers[0];
    expect(w.command).toEqual(['celery', '-A', 'glitchtip', 'worker', '-l', 'info', '-B', '-s', '/tmp/celerybeat-schedule', '--concurrency', '2']);
    expect(w.readinessProbe.tcpSocket.port).toBe(9100);
    expect(envOf(w)).toMatchObject({ IS_CELERY: 'true', METRICS_START_PORT: '9100' });
    expect(named(onprem, 'ServiceMonitor', 'glitchtip-worker')).toBeDefined();
  });

  it('is routed whole on private hosts; on a public environment only the public projects’ event endpoints', () => {
    expect(named(onprem, 'Ingress', 'glitchtip').spec.rules[0].http.paths.map((p: any) => p.path)).toEqual(['/']);
    expect(named(prod, 'Ingress', 'glitchtip').spec.rules[0].http.paths.map((p: any) => p.path)).toEqual(['/api/3/', '/api/7/']);
    const noProjects = manifests(
      synthesizeAll({ environmentsDir: withGlitchtip('prod', app('errors.arbitex.ai', 'azurefile-csi-premium')) }),
      'prod',
    );
    expect(named(noProjects, 'Ingress', 'glitchtip')).toBeUndefined();
  });

  it('mails through the declared relay over STARTTLS with its login from Vault; without one, to the log only', () => {
    const dir = fixture('onprem', (e) => {
      e.addons = [...new Set([...e.addons, ...needs])].sort();
      e.externalServices.push({ name: 'mail', host: 'smtp.lab.internal', port: 587, description: 'the site mail relay' });
      e.apps.push(app('errors.apps.lab.internal', 'ceph-filesystem', { email: { smtpHost: 'smtp.lab.internal', from: 'glitchtip@lab.internal' } }));
    });
    const objects = manifests(synthesizeAll({ environmentsDir: dir }), 'onprem');
    const web = objects.find((o) => o.kind === 'Deployment' && o.metadata.name === 'glitchtip');
    expect(envOf(web.spec.template.spec.containers[0])).toMatchObject({
      EMAIL_HOST: 'smtp.lab.internal',
      EMAIL_PORT: '587',
      EMAIL_USE_TLS: 'True',
      DEFAULT_FROM_EMAIL: 'glitchtip@lab.internal',
      EMAIL_HOST_USER: { name: 'glitchtip-smtp', key: 'username' },
      EMAIL_HOST_PASSWORD: { name: 'glitchtip-smtp', key: 'password' },
    });
    expect(objects.find((o) => o.kind === 'ExternalSecret' && o.metadata.name === 'glitchtip-smtp')).toBeDefined();
    const egress = objects.filter(
      (o) => o.kind === 'NetworkPolicy' && o.metadata.namespace === 'monitoring' && /glitchtip/.test(JSON.stringify(o.spec.podSelector)),
    );
    expect(JSON.stringify(egress)).toContain('587');
    // Without email the console backend: nothing tries an SMTP server on localhost.
    expect(envOf(named(onprem, 'Deployment', 'glitchtip-worker').spec.template.spec.containers[0]).EMAIL_BACKEND).toBe(
      'django.core.mail.backends.console.EmailBackend',
    );
    const undeclared = fixture('onprem', (e) => {
      e.addons = [...new Set([...e.addons, ...needs])].sort();
      e.apps.push(app('errors.apps.lab.internal', 'ceph-filesystem', { email: { smtpHost: 'smtp.example.org', from: 'glitchtip@lab.internal' } }));
    });
    expect(() => synthesizeAll({ environmentsDir: undeclared })).toThrow(/smtp\.example\.org.*externalServices/s);
  });

  it('refuses an uploads StorageClass the environment does not provide', () => {
    const dir = withGlitchtip('onprem', app('errors.apps.lab.internal', 'nfs-client'));
    expect(() => synthesizeAll({ environmentsDir: dir })).toThrow(/StorageClass.*nfs-client|nfs-client.*StorageClass/s);
  });

  it('passes the guardrails and the deploy rehearsal on a public and a bare-metal environment', async () => {
    for (const environmentsDir of [prodDir, onpremDir]) {
      const { check } = await synthesizeAndCheck({ environmentsDir });
      expect(check.findings.filter((f) => f.severity === 'error').map((f) => `${f.ruleId} ${f.target}: ${f.message}`)).toEqual([]);
    }
  });
});
