import * as fs from 'fs';
import * as path from 'path';
import { parse } from 'yaml';
import { chartValueProblems, chartValueFindings, vendoredChart } from '../lib/pipeline/guardrails/chart-values';
import { checkEnvironments, hasErrors, terraformStacks } from '../lib/pipeline/guardrails/check';
import { REPO_ROOT, examples } from './helpers';

const chart = (name: string, version: string) => {
  const c = vendoredChart(name, version);
  if (!c) throw new Error(`${name} ${version} is not vendored`);
  return c;
};

describe('values checked against the pinned charts', () => {
  it('every chart an environment pins is vendored (a version bump needs the chart re-taken)', () => {
    const pins = new Set<string>();
    for (const [env, objects] of examples().objects) {
      for (const o of objects)
        if (o.kind === 'Application' && o.spec?.source?.chart) pins.add(`${o.spec.source.chart}-${o.spec.source.targetRevision}`);
      for (const s of terraformStacks(examples().files, env))
        for (const r of Object.values<any>(s.json.resource?.helm_release ?? {})) pins.add(`${r.chart}-${r.version}`);
    }
    expect(pins.size).toBeGreaterThan(15);
    const missing = [...pins].filter((p) => !fs.existsSync(path.join(REPO_ROOT, 'vendor', 'charts', p, 'values.yaml')));
    expect(missing).toEqual([]);
  });

  it('the shipped environments have no unknown or mistyped value', () => {
    for (const [env, objects] of examples().objects) expect(chartValueFindings(env, objects, terraformStacks(examples().files, env))).toEqual([]);
  });

  it('an unknown key of a chart without a schema, naming the chart, the path and what the chart has there', () => {
    expect(chartValueProblems(chart('gpu-operator', 'v24.9.1'), { daemonsets: { nodeSelector: { a: 'b' } } })).toEqual([
      {
        path: 'daemonsets.nodeSelector',
        message:
          'chart gpu-operator v24.9.1 has no value daemonsets.nodeSelector (daemonsets has: annotations, labels, priorityClassName, rollingUpdate, tolerations, updateStrategy)',
      },
    ]);
  });

  it('a key the chart documents only in a comment but its templates read is accepted (tempo persistence.storageClassName)', () => {
    expect(chartValueProblems(chart('tempo', '1.16.0'), { persistence: { enabled: true, storageClassName: 'gp3' } })).toEqual([]);
  });

  it('a mistyped value: a map where the chart has a flag, and a value the chart schema rejects', () => {
    expect(chartValueProblems(chart('metrics-server', '3.12.2'), { podDisruptionBudget: { enabled: 'yes' } })).toEqual([
      {
        path: 'podDisruptionBudget.enabled',
        message: 'chart metrics-server 3.12.2 expects true or false at podDisruptionBudget.enabled, found "yes"',
      },
    ]);
    const problems = chartValueProblems(chart('vault', '0.29.1'), { server: { ha: { replicas: 'three' } } });
    expect(problems.map((p) => p.message)).toContainEqual(
      expect.stringMatching(/^chart vault 0.29.1 values.schema.json: server.ha.replicas must be /),
    );
  });

  it('keys of a vendored subchart are checked under its alias (kube-prometheus-stack → grafana)', () => {
    const kps = chart('kube-prometheus-stack', '67.5.0');
    expect(chartValueProblems(kps, { grafana: { adminPassword: 'x', persistence: { enabled: true } } })).toEqual([]);
    expect(chartValueProblems(kps, { grafana: { persistance: { enabled: true } } }).map((p) => p.path)).toEqual(['grafana.persistance']);
  });

  it('Helm releases of the bootstrap stack are checked too, with environment, target and path', () => {
    const result = examples();
    const stacks = terraformStacks(result.files, 'dev').map((s) => {
      if (s.stackId !== 'bootstrap') return s;
      const json = JSON.parse(JSON.stringify(s.json));
      const release = json.resource.helm_release['argo-cd'];
      release.values = [...release.values, 'server:\n  replica: 2\n'];
      return { ...s, json };
    });
    const findings = chartValueFindings('dev', result.objects.get('dev')!, stacks);
    expect(findings).toEqual([
      expect.objectContaining({
        ruleId: 'CHART-001',
        environment: 'dev',
        target: 'bootstrap:helm_release.argo-cd',
        path: 'values.server.replica',
        message: expect.stringMatching(/^chart argo-cd 7.7.11 has no value server.replica \(server has: .*replicas/),
      }),
    ]);
  });

  it('the vendored charts match their source: values.yaml as upstream ships it', () => {
    const shared = path.join(REPO_ROOT, '..', 'shared', 'charts', 'loki-6.24.0', 'values.yaml');
    if (!fs.existsSync(shared)) return;
    expect(fs.readFileSync(path.join(REPO_ROOT, 'vendor', 'charts', 'loki-6.24.0', 'values.yaml'), 'utf8')).toBe(fs.readFileSync(shared, 'utf8'));
    expect(parse(fs.readFileSync(path.join(REPO_ROOT, 'vendor', 'charts', 'loki-6.24.0', 'Chart.yaml'), 'utf8')).version).toBe('6.24.0');
  });

  it('a bad value blocks synth: the guardrails report it as an error no exception can accept', async () => {
    const result = examples();
    const model = result.models.find((m) => m.env.name === 'onprem')!;
    const objects = result.objects.get('onprem')!.map((o) => {
      if (o.kind !== 'Application' || o.metadata.name !== 'loki') return o;
      const copy = JSON.parse(JSON.stringify(o));
      copy.spec.source.helm.valuesObject.singleBinary.replica = 1;
      return Object.defineProperty(copy, 'file', { value: o.file, enumerable: false });
    });
    const check = await checkEnvironments([model.env], result.files, new Map([['onprem', objects]]));
    expect(hasErrors(check)).toBe(true);
    expect(check.findings.filter((f) => f.ruleId === 'CHART-001').map((f) => [f.target, f.path])).toEqual([
      ['Application/argocd/loki', 'spec.source.helm.valuesObject.singleBinary.replica'],
    ]);
  });
});
