import { synthesizeAll } from '../lib/pipeline/synth/pipeline';
import { rehearse } from '../lib/pipeline/rehearsal';
import { terraformStacks } from '../lib/pipeline/guardrails/check';
import { examples, fixture, manifests, messageOf, resources, terraform } from './helpers';

const of = (env: string) => manifests(examples(), env);
const values = (env: string, app: string) => of(env).find((o) => o.kind === 'Application' && o.metadata.name === app).spec.source.helm.valuesObject;

describe('Loki through its operator (add-on loki-operator)', () => {
  it('runs on the Axiom environments, sized by production; the Lab and Arbitex keep the single-binary chart', () => {
    expect(of('dev').find((o) => o.kind === 'LokiStack').spec.size).toBe('1x.demo');
    expect(of('axiom-prod').find((o) => o.kind === 'LokiStack').spec.size).toBe('1x.pico');
    for (const env of ['dev', 'axiom-prod']) expect(of(env).some((o) => o.kind === 'Application' && o.metadata.name === 'loki')).toBe(false);
    for (const env of ['onprem', 'prod']) {
      expect(of(env).some((o) => o.kind === 'LokiStack')).toBe(false);
      expect(of(env).some((o) => o.kind === 'Application' && o.metadata.name === 'loki')).toBe(true);
    }
  });

  it('every client names the tenant: the collector and Alloy push to the distributor, Grafana queries the query frontend', () => {
    const collector = values('dev', 'opentelemetry-collector').config.exporters.otlphttp;
    expect(collector).toEqual({ endpoint: 'http://logs-distributor-http.monitoring.svc:3100/otlp', headers: { 'X-Scope-OrgID': 'platform' } });
    const alloy: string = values('dev', 'alloy').alloy.configMap.content;
    expect(alloy).toContain('url = "http://logs-distributor-http.monitoring.svc:3100/loki/api/v1/push"');
    expect(alloy).toContain('"X-Scope-OrgID" = "platform",');
    const loki = of('dev').find((o) => o.kind === 'GrafanaDatasource' && o.spec.datasource.uid === 'loki').spec.datasource;
    expect(loki.url).toBe('http://logs-query-frontend-http.monitoring.svc:3100');
    expect(loki.jsonData).toEqual({ httpHeaderName1: 'X-Scope-OrgID' });
    expect(loki.secureJsonData).toEqual({ httpHeaderValue1: 'platform' });
    // The chart's Loki has a single tenant and no header.
    expect(values('onprem', 'opentelemetry-collector').config.exporters.otlphttp).toEqual({ endpoint: 'http://loki.monitoring.svc:3100/otlp' });
  });

  it('its bucket and the role Loki’s pods assume by web identity come from the cluster stack; the bootstrap stack writes the storage Secret', () => {
    const cluster = terraform(examples(), 'dev', 'cluster');
    expect(resources(cluster, 'aws_iam_openid_connect_provider')).toEqual([
      expect.objectContaining({ client_id_list: ['sts.amazonaws.com'], url: expect.stringMatching(/identity\[0\]\.oidc\[0\]\.issuer\}$/) }),
    ]);
    expect(resources(cluster, 'aws_s3_bucket').map((b) => b.bucket)).toContain('axiom-dev-logs');
    const role = resources(cluster, 'aws_iam_role').find((r) => r.name === 'axiom-dev-loki-logs');
    expect(role).toBeDefined();
    const secret = resources(terraform(examples(), 'dev', 'bootstrap'), 'kubernetes_secret_v1').find(
      (s) => s.metadata.name === 'logs-object-storage',
    );
    expect(secret.metadata.namespace).toBe('monitoring');
    expect(secret.data).toEqual({
      bucketnames: 'axiom-dev-logs',
      region: 'us-east-1',
      role_arn: expect.stringMatching(/^\$\{data\.terraform_remote_state\.[^}]+bucket-loki-logs_role_[0-9A-F]+arn\}$/),
    });
    const stack = of('dev').find((o) => o.kind === 'LokiStack');
    expect(stack.spec.storage.secret).toEqual({ name: 'logs-object-storage', type: 's3', credentialMode: 'token' });
  });

  it('the NetworkPolicies admit the ring, the object store and each client at its component', () => {
    const policy = of('dev').find((o) => o.kind === 'NetworkPolicy' && o.metadata.name === 'logs-connections');
    expect(policy.spec.podSelector.matchLabels).toEqual({
      'app.kubernetes.io/name': 'lokistack',
      'app.kubernetes.io/instance': 'logs',
      'loki.grafana.com/gossip': 'true',
    });
    expect(policy.spec.egress).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ ports: [{ port: 443, protocol: 'TCP' }], to: [{ ipBlock: expect.objectContaining({ cidr: '0.0.0.0/0' }) }] }),
      ]),
    );
    const distributor = of('dev').find((o) => o.kind === 'NetworkPolicy' && o.metadata.name === 'logs-distributor-connections');
    expect(JSON.stringify(distributor.spec.ingress)).toContain('alloy');
    expect(JSON.stringify(distributor.spec.ingress)).toContain('opentelemetry-collector');
  });

  it('the rehearsal counts the stack’s pods against the namespace quota (1x.pico: 5.8 CPUs, 12 pods beyond the rest)', () => {
    const result = examples();
    const model = result.models.find((m) => m.env.name === 'axiom-prod')!;
    const stacks = terraformStacks(result.files, 'axiom-prod');
    const quotaUse = (withLoki: boolean) => {
      const objects = result.objects
        .get('axiom-prod')!
        .filter((o) => withLoki || o.kind !== 'LokiStack')
        .map((o) => {
          if (o.kind !== 'ResourceQuota' || o.metadata.namespace !== 'monitoring') return o;
          const copy = JSON.parse(JSON.stringify(o));
          copy.spec.hard = { ...copy.spec.hard, 'requests.cpu': '0', pods: '0' };
          return Object.defineProperty(copy, 'file', { value: o.file, enumerable: false });
        });
      const finding = rehearse({ model, objects, stacks }).find((f) => f.ruleId === 'REH-006' && f.target === 'ResourceQuota/monitoring/compute')!;
      const [, cpu, pods] = /requests\.cpu ([\d.]+) > 0, pods (\d+) > 0/.exec(finding.message)!;
      return { cpu: Number(cpu), pods: Number(pods) };
    };
    const with_ = quotaUse(true);
    const without = quotaUse(false);
    expect(with_.cpu - without.cpu).toBeCloseTo(5.8, 5);
    expect(with_.pods - without.pods).toBe(12);
  });

  it('needs a substrate that creates workload buckets, and is an alternative to the loki chart', () => {
    const onprem = fixture('onprem', (e) => (e.addons = e.addons.map((a: string) => (a === 'loki' ? 'loki-operator' : a))));
    expect(messageOf(() => synthesizeAll({ environmentsDir: onprem }))).toContain('no cloud workload identity on bare metal');
    const prod = fixture('prod', (e) => (e.addons = e.addons.map((a: string) => (a === 'loki' ? 'loki-operator' : a))));
    expect(messageOf(() => synthesizeAll({ environmentsDir: prod }))).toContain(
      'no workload bucket on AKS yet (built for S3 on EKS) (add-on loki-operator)',
    );
    const both = fixture('dev', (e) => e.addons.push('loki'));
    expect(messageOf(() => synthesizeAll({ environmentsDir: both }))).toContain(
      'expected not both loki-operator and loki: they are alternatives (one of them)',
    );
  });
});
