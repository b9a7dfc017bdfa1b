import { rehearseAll } from '../lib/pipeline/rehearsal';
import * as fs from 'fs';
import { spawnSync } from 'child_process';
import * as path from 'path';
import { checkEnvironments, targetMatches } from '../lib/pipeline/guardrails/check';
import { MANIFEST_RULES } from '../lib/pipeline/guardrails/k8s-rules';
import { K8sObject } from '../lib/core/k8s-objects';
import { POLICY_RULES } from '../lib/pipeline/guardrails/rules';
import { TERRAFORM_RULES } from '../lib/pipeline/guardrails/terraform-rules';
import { formatReport } from '../lib/pipeline/guardrails/report';
import { validateSchemas } from '../lib/pipeline/guardrails/schema-validation';
import { scanForSecrets } from '../lib/pipeline/guardrails/secret-scan';
import { Environment } from '../lib/core/model/schema';
import { synthesizeAll } from '../lib/pipeline/synth/pipeline';
import { toYamlStream } from '../lib/core/util/serialize';
import { REPO_ROOT, examples, fixture } from './helpers';

const dev = (): Environment => examples().models.find((m) => m.env.name === 'dev')!.env;

/** A Deployment that passes every manifest rule, in the declared namespace `dev-center`. */
function goodDeployment(): any {
  const container = {
    name: 'api',
    image: 'registry.example.com/api:1.4.2@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef',
    resources: { requests: { cpu: '100m', memory: '256Mi' }, limits: { cpu: '500m', memory: '512Mi' } },
    readinessProbe: { httpGet: { path: '/ready', port: 8080 } },
    livenessProbe: { httpGet: { path: '/live', port: 8080 } },
    securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } },
  };
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'api', namespace: 'dev-center' },
    spec: {
      replicas: 2,
      selector: { matchLabels: { app: 'api' } },
      template: {
        metadata: { labels: { app: 'api' } },
        spec: { securityContext: { runAsNonRoot: true, runAsUser: 1000, seccompProfile: { type: 'RuntimeDefault' } }, containers: [container] },
      },
    },
  };
}

const goodPdb = {
  apiVersion: 'policy/v1',
  kind: 'PodDisruptionBudget',
  metadata: { name: 'api', namespace: 'dev-center' },
  spec: { minAvailable: 1, selector: { matchLabels: { app: 'api' } } },
};

/** Runs every guardrail on the dev example plus extra manifests (and an optional env/terraform mutation). */
async function check(extra: any[], opts: { env?: (e: Environment) => Environment; tf?: (tf: Record<string, any>) => void } = {}) {
  const files = new Map([...examples().files].filter(([f]) => f.startsWith('dev/')));
  files.set('dev/manifests/test.yaml', toYamlStream(extra));
  if (opts.tf) {
    const stackFiles = [...files.keys()].filter((k) => k.endsWith('cdk.tf.json'));
    const stacks = Object.fromEntries(stackFiles.map((f) => [f.split('/')[2], JSON.parse(files.get(f)!)]));
    opts.tf(stacks);
    for (const f of stackFiles) files.set(f, JSON.stringify(stacks[f.split('/')[2]]));
  }
  const env = opts.env ? opts.env(dev()) : dev();
  return checkEnvironments([env], files);
}

const ids = (r: { findings: Array<{ ruleId: string }> }) => [...new Set(r.findings.map((f) => f.ruleId))].sort();

describe('guardrails on the shipped environments', () => {
  it('all four pass with zero findings (guardrails and deploy rehearsal)', async () => {
    const r = await checkEnvironments(
      examples().models.map((m) => m.env),
      examples().files,
      undefined,
      rehearseAll(examples()).findings,
    );
    expect(r.findings).toEqual([]);
  });

  it('a compliant workload fires nothing', async () => {
    expect((await check([goodDeployment(), goodPdb])).findings).toEqual([]);
  });

  it('every rule has an ID, a name, a rationale and a fix hint', () => {
    for (const rule of POLICY_RULES.values()) {
      expect(rule.id).toMatch(/^(K8S|TF)-\d{3}$/);
      expect(rule.name).toMatch(/^[a-z0-9-]+$/);
      expect(rule.rationale.length).toBeGreaterThan(20);
      expect(rule.hint.length).toBeGreaterThan(10);
    }
    expect(POLICY_RULES.size).toBe(MANIFEST_RULES.length + TERRAFORM_RULES.length);
  });
});

describe('manifest rules fire on their fixtures', () => {
  const cases: Array<[string, (d: any) => any[]]> = [
    ['K8S-001', (d) => ((d.spec.template.spec.containers[0].securityContext = { capabilities: { drop: ['ALL'] } }), [d, goodPdb])],
    ['K8S-002', (d) => (delete d.spec.template.spec.containers[0].resources.limits, [d, goodPdb])],
    ['K8S-003', (d) => (delete d.spec.template.spec.containers[0].readinessProbe, [d, goodPdb])],
    ['K8S-004', (d) => ((d.spec.template.spec.containers[0].image = 'nginx:latest'), [d, goodPdb])],
    ['K8S-006', (d) => ((d.spec.template.spec.hostNetwork = true), [d, goodPdb])],
    ['K8S-007', (d) => ((d.spec.template.spec.volumes = [{ name: 'root', hostPath: { path: '/' } }]), [d, goodPdb])],
    ['K8S-008', (d) => [d]],
    ['K8S-011', (d) => ((d.metadata.namespace = 'default'), [d, { ...goodPdb, metadata: { ...goodPdb.metadata, namespace: 'default' } }])],
  ];
  for (const [id, mutate] of cases) {
    it(`${id} ${POLICY_RULES.get(id)!.name}`, async () => {
      const r = await check(mutate(goodDeployment()));
      expect(ids(r).filter((i) => i.startsWith('K8S'))).toContain(id);
      expect(r.findings.find((f) => f.ruleId === id)).toMatchObject({ environment: 'dev', severity: 'error', hint: POLICY_RULES.get(id)!.hint });
    });
  }

  it('K8S-001 allows baseline-level pods in a baseline namespace (GPU namespaces, Arbitex design), but not privileged ones', async () => {
    const d = goodDeployment();
    d.metadata.namespace = 'ai-platform';
    d.spec.template.spec.securityContext = {};
    d.spec.template.spec.containers[0].securityContext = {};
    const pdb = { ...goodPdb, metadata: { ...goodPdb.metadata, namespace: 'ai-platform' } };
    expect(ids(await check([d, pdb]))).toEqual([]);
    d.spec.template.spec.containers[0].securityContext = { privileged: true };
    expect(ids(await check([d, pdb]))).toEqual(['K8S-001']);
  });

  it('K8S-004 also rejects untagged images, and names the field', async () => {
    const d = goodDeployment();
    d.spec.template.spec.containers[0].image = 'registry.example.com:5000/team/api';
    const f = (await check([d, goodPdb])).findings.find((x) => x.ruleId === 'K8S-004')!;
    expect(f).toMatchObject({ target: 'Deployment/dev-center/api', path: 'spec.template.spec.containers[0].image' });
    expect(f.message).toContain('neither tag nor digest');
  });

  it('K8S-005 requires digests only where the environment says so', async () => {
    const d = goodDeployment();
    d.spec.template.spec.containers[0].image = 'registry.example.com/api:1.4.2';
    expect(ids(await check([d, goodPdb]))).toEqual([]);
    expect(ids(await check([d, goodPdb], { env: (e) => ({ ...e, requireImageDigests: true }) }))).toEqual(['K8S-005']);
  });

  it('K8S-013 fires for a workload reading the static owner login of a database Vault issues logins for', async () => {
    const d = goodDeployment();
    d.spec.template.spec.containers[0].env = [{ name: 'DB_PASSWORD', valueFrom: { secretKeyRef: { name: 'axiom-postgres-app', key: 'password' } } }];
    const f = (await check([d, goodPdb])).findings.filter((x) => x.ruleId === 'K8S-013');
    expect(f.map((x) => [x.target, x.path])).toEqual([
      ['Deployment/dev-center/api', 'spec.template.spec.containers[0].env[0].valueFrom.secretKeyRef'],
    ]);
    // The Vault-issued login of the same cluster is what it should read.
    d.spec.template.spec.containers[0].env[0].valueFrom.secretKeyRef.name = 'axiom-postgres-vault-creds';
    expect(ids(await check([d, goodPdb]))).toEqual([]);
  });

  it('K8S-013 fires for a chart whose values name the static owner login (the chart’s pods read it)', async () => {
    const app = {
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Application',
      metadata: { name: 'temporal', namespace: 'argocd' },
      spec: {
        destination: { namespace: 'dev-center' },
        source: {
          helm: { valuesObject: { server: { config: { persistence: { default: { sql: { existingSecret: 'temporal-postgres-app' } } } } } } },
        },
      },
    };
    const f = (await check([app])).findings.filter((x) => x.ruleId === 'K8S-013');
    expect(f.map((x) => [x.target, x.path])).toEqual([
      ['Application/argocd/temporal', 'spec.source.helm.valuesObject.server.config.persistence.default.sql.existingSecret'],
    ]);
    // The same name released into another namespace is another Secret.
    app.spec.destination.namespace = 'elsewhere';
    expect((await check([app])).findings.filter((x) => x.ruleId === 'K8S-013')).toEqual([]);
  });

  it('K8S-009 and K8S-010 fire for a namespace without default-deny and quota', async () => {
    const ns = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'orphan', labels: { 'pod-security.kubernetes.io/enforce': 'restricted' } } };
    expect(ids(await check([ns]))).toEqual(['K8S-009', 'K8S-010']);
  });
});

describe('terraform rules fire on their fixtures', () => {
  const cluster = (tf: Record<string, any>) => Object.values<any>(tf.cluster.resource.aws_eks_cluster)[0];
  const cases: Array<[string, (tf: Record<string, any>) => void]> = [
    ['TF-001', (tf) => (cluster(tf).vpc_config.endpoint_public_access = true)],
    ['TF-002', (tf) => delete cluster(tf).encryption_config],
    ['TF-003', (tf) => (cluster(tf).enabled_cluster_log_types = ['api'])],
    ['TF-004', (tf) => (Object.values<any>(tf.cluster.resource.aws_launch_template)[0].metadata_options.http_tokens = 'optional')],
    ['TF-007', (tf) => Object.assign(cluster(tf).vpc_config, { endpoint_public_access: true, public_access_cidrs: ['0.0.0.0/0'] })],
    ['TF-008', (tf) => (tf.network.terraform.backend = { local: { path: 'x' } })],
    ['TF-009', (tf) => (Object.values<any>(tf.cluster.resource.aws_launch_template)[0].block_device_mappings[0].ebs.encrypted = 'false')],
  ];
  for (const [id, mutate] of cases) {
    it(`${id} ${POLICY_RULES.get(id)!.name}`, async () => {
      const r = await check([], { tf: mutate });
      expect(ids(r)).toEqual([id]);
      expect(r.findings[0].target).toMatch(/^(cluster|network):/);
    });
  }

  it('TF-005 and TF-006 fire on an AKS cluster that is public with local accounts', async () => {
    const prod = examples().models.find((m) => m.env.name === 'prod')!.env;
    const files = new Map([...examples().files].filter(([f]) => f.startsWith('prod/')));
    const json = JSON.parse(files.get('prod/terraform/cluster/cdk.tf.json')!);
    const aks = Object.values<any>(json.resource.azurerm_kubernetes_cluster)[0];
    Object.assign(aks, { private_cluster_enabled: false, local_account_disabled: false });
    files.set('prod/terraform/cluster/cdk.tf.json', JSON.stringify(json));
    expect(ids(await checkEnvironments([prod], files))).toEqual(['TF-005', 'TF-006']);
  });
});

describe('schema validation', () => {
  const obj = (o: any): K8sObject => Object.defineProperty(o, 'file', { value: 'dev/manifests/x.yaml', enumerable: false });

  it('rejects unknown fields at any depth of a core object (strict, Kubernetes 1.28)', async () => {
    const d = goodDeployment();
    d.spec.template.spec.containers[0].imagePullPolicyy = 'Always';
    d.metadata.labelz = {};
    const f = await validateSchemas('dev', [obj(d)]);
    expect(f.map((x) => [x.ruleId, x.path])).toEqual([
      ['SCHEMA-K8S', 'metadata.labelz'],
      ['SCHEMA-K8S', 'spec.template.spec.containers[0].imagePullPolicyy'],
    ]);
  });

  it('rejects wrong types and missing required fields of core objects', async () => {
    const d = goodDeployment();
    d.spec.replicas = 'two';
    delete d.spec.selector;
    const f = await validateSchemas('dev', [obj(d)]);
    expect(f.map((x) => [x.path, x.message])).toEqual(
      expect.arrayContaining([
        ['spec.replicas', 'must be integer'],
        ['spec.selector', 'required field missing'],
      ]),
    );
  });

  it('validates custom resources against their vendored CRD, unknown fields included', async () => {
    const app = obj({
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Application',
      metadata: { name: 'a', namespace: 'argocd' },
      spec: { project: 1, destination: {}, source: { repoURL: 'x', helmm: {} } },
    });
    const f = await validateSchemas('dev', [app]);
    expect(f.map((x) => [x.ruleId, x.path, x.message])).toEqual(
      expect.arrayContaining([
        ['SCHEMA-CRD', 'spec.project', 'must be string'],
        ['SCHEMA-CRD', 'spec.source.helmm', 'unknown field'],
      ]),
    );
  });

  it('rejects kinds that are neither core nor vendored', async () => {
    const f = await validateSchemas('dev', [obj({ apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' } })]);
    expect(f.map((x) => x.ruleId)).toEqual(['SCHEMA-UNKNOWN-KIND']);
  });
});

describe('secret scanning', () => {
  it('finds a planted credential and masks it in the report', async () => {
    const token = ['ghp', 'wWPw5k4aXcaT4fNP0UcnZwJUVFk6LO0pINUx'].join('_');
    const f = await scanForSecrets(new Map([['dev/manifests/leak.yaml', `token: ${token}\n`]]), () => 'dev');
    expect(f).toHaveLength(1);
    expect(f[0]).toMatchObject({ ruleId: 'SECRET-GITHUB', environment: 'dev', path: 'line 1' });
    expect(JSON.stringify(f)).not.toContain(token);
  });

  it('a literal secret planted in an environment file makes synth fail with a clear message and write nothing', () => {
    const token = ['ghp', 'wWPw5k4aXcaT4fNP0UcnZwJUVFk6LO0pINUx'].join('_');
    const envDir = fixture('dev', (e) => (e.tags.deployToken = token));
    const out = path.join(path.dirname(envDir), 'dist');
    const r = spawnSync(process.execPath, [path.join(REPO_ROOT, 'build/bin/synth.js'), '--environments', envDir, '--out', out], {
      encoding: 'utf8',
      env: { ...process.env, NODE_OPTIONS: '' },
    });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/ERROR SECRET-GITHUB \[dev\] dev\/terraform\/network\/cdk\.tf\.json/);
    expect(r.stderr).toContain('guardrails failed: nothing was written.');
    expect(r.stderr).not.toContain(token);
    expect(fs.existsSync(out)).toBe(false);
  });
});

describe('exceptions', () => {
  const exception = { rule: 'TF-008', target: 'network:terraform.backend', reason: 'throw-away sandbox, state is disposable' };

  it('an exception with a reason suppresses its finding and is reported as excepted', async () => {
    const r = await check([], {
      tf: (tf) => (tf.network.terraform.backend = { local: { path: 'x' } }),
      env: (e) => ({ ...e, exceptions: [...e.exceptions, exception] }),
    });
    expect(r.findings).toEqual([]);
    expect(r.excepted.map((x) => x.finding.ruleId)).toEqual(['TF-008']);
    expect(formatReport(r)).toContain('| dev | 0 | 0 | 1 |');
  });

  it('an exception for a rule that does not fire is itself an error', async () => {
    const r = await check([], { env: (e) => ({ ...e, exceptions: [...e.exceptions, exception] }) });
    expect(r.findings).toMatchObject([{ ruleId: 'EXC-001', target: `exceptions[0]`, message: 'exception matches no finding' }]);
  });

  it('exceptions must name a policy rule and give a reason', () => {
    expect(() =>
      synthesizeAll({ environmentsDir: fixture('dev', (e) => (e.exceptions = [{ rule: 'K8S-999', target: '*', reason: 'because we want to' }])) }),
    ).toThrow(/exceptions\[0\]\.rule: found "K8S-999"; expected a policy or rehearsal rule ID/);
    expect(() =>
      synthesizeAll({ environmentsDir: fixture('dev', (e) => (e.exceptions = [{ rule: 'K8S-003', target: '*', reason: 'meh' }])) }),
    ).toThrow(/exceptions\[0\]\.reason: found "meh"; expected a reason a reviewer can judge/);
    expect(() =>
      synthesizeAll({
        environmentsDir: fixture('dev', (e) => (e.exceptions = [{ rule: 'SECRET-GITHUB', target: '*', reason: 'secrets cannot be excepted' }])),
      }),
    ).toThrow(/schema and secret findings cannot be excepted/);
  });

  it('exceptions are listed in the generated environment README', () => {
    const result = synthesizeAll({ environmentsDir: fixture('dev', (e) => (e.exceptions = [exception])) });
    expect(result.files.get('dev/README.md')).toContain('| TF-008 | `network:terraform.backend` | throw-away sandbox, state is disposable |');
  });

  it('targets match exactly or by one-segment wildcards', () => {
    expect(targetMatches('Deployment/ai-platform/*', 'Deployment/ai-platform/ollama')).toBe(true);
    expect(targetMatches('Deployment/*', 'Deployment/ai-platform/ollama')).toBe(false);
    expect(targetMatches('cluster:aws_eks_cluster.eks_cluster_55B0C966', 'cluster:aws_eks_cluster.eks_cluster_55B0C966')).toBe(true);
  });
});

describe('report', () => {
  it('names rule, environment, object, field and fix, then a summary table', async () => {
    const d = goodDeployment();
    delete d.spec.template.spec.containers[0].livenessProbe;
    const text = formatReport(await check([d, goodPdb]));
    expect(text).toContain(
      'ERROR K8S-003 probes [dev] Deployment/dev-center/api\n  spec.template.spec.containers[0].livenessProbe: missing livenessProbe\n  fix: add readinessProbe and livenessProbe',
    );
    expect(text).toContain('(dist/dev/manifests/test.yaml)');
    expect(text).toMatch(/\| dev \| 1 \| 0 \| 0 \|\n\nguardrails: 1 error, 0 warnings, 0 excepted, in \d+ ms/);
  });
});
