import { parse } from 'yaml';
import { synthesizeAll } from '../lib/pipeline/synth/pipeline';
import { synthesizeAndCheck } from '../lib/pipeline/synth/run';
import { examples, fixture, manifests, messageOf } from './helpers';

describe('Gatus on axiom-prod (uptime checks and status page)', () => {
  const objects = manifests(examples(), 'axiom-prod').filter((o) => o.metadata?.namespace === 'status');
  const deployment = objects.find((o) => o.kind === 'Deployment' && o.metadata.name === 'gatus');
  const container = deployment.spec.template.spec.containers[0];
  const configMap = objects.find((o) => o.kind === 'ConfigMap' && o.metadata.name.startsWith('gatus-config-'));
  const config = parse(configMap.data['config.yaml']);

  it('checks each endpoint as users reach it: status, response time and certificate life', () => {
    expect(config.endpoints).toEqual([
      {
        name: 'api',
        group: 'axiom',
        url: 'https://api.axiom.entropy.sa/health',
        interval: '60s',
        conditions: ['[STATUS] == 200', '[RESPONSE_TIME] < 1000', '[CERTIFICATE_EXPIRATION] > 336h'],
      },
      expect.objectContaining({ name: 'sign-in', conditions: expect.arrayContaining(['[RESPONSE_TIME] < 2000']) }),
    ]);
    // Reaching them is declared: egress to those hosts on 443, and nothing else outside.
    const policy = manifests(examples(), 'axiom-prod').find((o) => o.kind === 'NetworkPolicy' && o.metadata.name === 'gatus-connections');
    const outside = policy.spec.egress.filter((e: any) => e.to.some((t: any) => t.ipBlock));
    expect(outside.map((e: any) => e.ports)).toEqual([[{ port: 443, protocol: 'TCP' }]]);
  });

  it('keeps its history in its own PostgreSQL with a Vault login per lease, expanded at start and rolled on renewal', () => {
    expect(config.storage.type).toBe('postgres');
    expect(config.storage.path).toBe('postgres://${GATUS_DB_USER}:${GATUS_DB_PASSWORD}@gatus-postgres-rw.status.svc:5432/gatus?sslmode=require');
    const login = container.env.find((e: any) => e.name === 'GATUS_DB_PASSWORD').valueFrom.secretKeyRef.name;
    expect(objects.some((o) => o.kind === 'ExternalSecret' && o.spec.target?.name === login)).toBe(true);
    expect(objects.some((o) => o.kind === 'Cluster' && o.metadata.name === 'gatus-postgres')).toBe(true);
    expect(deployment.metadata.annotations['secret.reloader.stakater.com/reload']).toContain(login);
  });

  it('runs hardened, probed, its configuration a ConfigMap named by content (a changed check rolls the pod), scraped by Prometheus', () => {
    expect(configMap.immutable).toBe(true);
    expect(deployment.spec.template.spec.volumes).toContainEqual({ name: 'config', configMap: { name: configMap.metadata.name } });
    expect(container.env).toContainEqual({ name: 'GATUS_CONFIG_PATH', value: '/config/config.yaml' });
    expect(container.securityContext).toMatchObject({ readOnlyRootFilesystem: true, runAsNonRoot: true, allowPrivilegeEscalation: false });
    expect(container.readinessProbe.httpGet.path).toBe('/health');
    expect(config.metrics).toBe(true);
    expect(objects.some((o) => o.kind === 'ServiceMonitor' && o.metadata.name === 'gatus')).toBe(true);
    // A public environment keeps the status page off the internet (the public API is the status service).
    expect(objects.some((o) => o.kind === 'Ingress')).toBe(false);
  });

  it('refuses a check that is not an https:// URL', () => {
    const dir = fixture('axiom-prod', (e) => {
      e.apps.find((a: { app: string }) => a.app === 'gatus').checks[0].url = 'http://api.axiom.entropy.sa/health';
    });
    expect(messageOf(() => synthesizeAll({ environmentsDir: dir }))).toMatch(
      /apps\[\d+\]\.checks\[0\]\.url: found "http:\/\/api\.axiom\.entropy\.sa\/health"; expected an https:\/\/ URL/,
    );
  });

  it('option statusService: the organization’s read-only status API over Gatus and Prometheus, public, rate-limited, CORS for the listed sites', async () => {
    const dir = fixture('axiom-prod', (e) => {
      e.apps.find((a: { app: string }) => a.app === 'gatus').statusService = {
        image: {
          repository: '444455556666.dkr.ecr.us-east-1.amazonaws.com/platform/status-service',
          tag: '1a2b3c4d',
          digest: `sha256:${'ab'.repeat(32)}`,
        },
        host: 'status.axiom.entropy.sa',
        corsOrigins: ['https://www.entropy.sa', 'https://entropy.sa'],
      };
    });
    const all = manifests(synthesizeAll({ environmentsDir: dir }), 'axiom-prod');
    const api = all.find((o) => o.kind === 'Deployment' && o.metadata.name === 'status-service');
    expect(api.spec.replicas).toBe(2);
    const env = Object.fromEntries(api.spec.template.spec.containers[0].env.map((e: any) => [e.name, e.value]));
    expect(env).toEqual({
      GATUS_URL: 'http://gatus.status.svc:8080',
      PROMETHEUS_URL: 'http://kube-prometheus-stack-prometheus.monitoring.svc:9090',
      CORS_ORIGINS: 'https://www.entropy.sa,https://entropy.sa',
      LISTEN_ADDR: ':8080',
    });
    const ingress = all.find((o) => o.kind === 'Ingress' && o.metadata.name === 'status-service');
    expect(ingress.spec.rules[0].host).toBe('status.axiom.entropy.sa');
    expect(ingress.metadata.annotations).toMatchObject({
      'nginx.ingress.kubernetes.io/limit-rps': '5',
      'nginx.ingress.kubernetes.io/enable-cors': 'true',
      'nginx.ingress.kubernetes.io/cors-allow-origin': 'https://www.entropy.sa, https://entropy.sa',
      'nginx.ingress.kubernetes.io/cors-allow-methods': 'GET, OPTIONS',
    });
    // Gatus admits the status service; the whole environment still passes the guardrails and the rehearsal.
    const gatusPolicy = all.find((o) => o.kind === 'NetworkPolicy' && o.metadata.name === 'gatus-connections');
    expect(JSON.stringify(gatusPolicy.spec.ingress)).toContain('status-service');
    const { check } = await synthesizeAndCheck({ environmentsDir: dir });
    expect(check.findings.filter((f) => f.severity === 'error').map((f) => `${f.ruleId} ${f.target}: ${f.message}`)).toEqual([]);
  });
});
