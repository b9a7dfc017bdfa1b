import * as fs from 'fs';
import * as os from 'os';
import { terraformStacks, applyExceptions } from '../lib/pipeline/guardrails/check';
import { K8sObject } from '../lib/core/k8s-objects';
import { rehearse } from '../lib/pipeline/rehearsal';
import { LIVE_RULES } from '../lib/pipeline/rehearsal/rules';
import { LiveResult, crossCheck, findAssets, isAlive, rehearseLive } from '../lib/pipeline/rehearsal/live';
import { EnvironmentModel } from '../stacks/environment';
import { examples } from './helpers';

/**
 * The live rehearsal on a real kube-apiserver, controller manager and scheduler (v1.32). Without the
 * binaries the suite skips with one line, except in CI, where it must run.
 */
const assets = findAssets();
const skip = 'missing' in assets && process.env.CI !== 'true';
if (skip) console.log(`live rehearsal skipped: ${'missing' in assets ? assets.missing : ''}`);
const live = skip ? describe.skip : describe;

const results: LiveResult[] = [];
const input = (model: EnvironmentModel, objects: ReadonlyArray<K8sObject>) => ({
  model,
  objects,
  stacks: terraformStacks(examples().files, model.env.name),
});
const run = async (model: EnvironmentModel, objects: ReadonlyArray<K8sObject>) => {
  if ('missing' in assets) throw new Error(assets.missing);
  const r = await rehearseLive(input(model, objects), { assets: assets.dir });
  results.push(r);
  return r;
};

/** A planted object, as synth would hold it (the dist/ file is not part of its JSON). */
function planted(o: object): K8sObject {
  return Object.defineProperty(o, 'file', { value: 'dev/manifests/planted.yaml', enumerable: false }) as K8sObject;
}
const wave = (n: number) => ({ 'argocd.argoproj.io/sync-wave': String(n) });
const namespace = (name: string, at: number, labels: Record<string, string> = {}) =>
  planted({ apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels, annotations: wave(at) } });
const container = (resources: object) => ({ name: 'app', image: 'registry.example/app:1.0.0', resources });
const deployment = (ns: string, replicas: number, podSpec: object) =>
  planted({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'app', namespace: ns, annotations: wave(0) },
    spec: { replicas, selector: { matchLabels: { app: 'app' } }, template: { metadata: { labels: { app: 'app' } }, spec: podSpec } },
  });

/** One defect per live rule: what the API server, the controllers or the scheduler decide. */
function defects(): K8sObject[] {
  const requests = { requests: { cpu: '500m', memory: '256Mi' }, limits: { cpu: '500m', memory: '256Mi' } };
  return [
    // An object synced before its namespace exists.
    namespace('planted-late', 5),
    planted({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'early', namespace: 'planted-late', annotations: wave(-1) }, data: { a: 'b' } }),
    // Pods that break their namespace's Pod Security level (no securityContext under "restricted").
    namespace('planted-psa', -40, { 'pod-security.kubernetes.io/enforce': 'restricted' }),
    deployment('planted-psa', 1, { containers: [container(requests)] }),
    // A quota too small for the replicas: 3 × 500m CPU against 1 CPU.
    namespace('planted-quota', -40),
    planted({
      apiVersion: 'v1',
      kind: 'ResourceQuota',
      metadata: { name: 'quota', namespace: 'planted-quota', annotations: wave(-40) },
      spec: { hard: { 'requests.cpu': '1', 'requests.memory': '4Gi' } },
    }),
    deployment('planted-quota', 3, { containers: [container(requests)] }),
    // A GPU pod without the GPU pools' toleration.
    namespace('planted-gpu', -40),
    deployment('planted-gpu', 1, { containers: [container({ limits: { cpu: '1', memory: '1Gi', 'nvidia.com/gpu': '1' } })] }),
    // A claim of a StorageClass no substrate has.
    namespace('planted-storage', -40),
    // A Service that fronts nothing and an autoscaler of a workload that does not exist.
    planted({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'nothing', namespace: 'planted-gpu', annotations: wave(0) },
      spec: { selector: { app: 'renamed' }, ports: [{ port: 80 }] },
    }),
    planted({
      apiVersion: 'autoscaling/v2',
      kind: 'HorizontalPodAutoscaler',
      metadata: { name: 'app', namespace: 'planted-gpu', annotations: wave(0) },
      spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'renamed' }, minReplicas: 1, maxReplicas: 2 },
    }),
    planted({
      apiVersion: 'v1',
      kind: 'PersistentVolumeClaim',
      metadata: { name: 'data', namespace: 'planted-storage', annotations: wave(0) },
      spec: { storageClassName: 'no-such-class', accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } },
    }),
  ];
}

live('live rehearsal on a real control plane', () => {
  const byEnv = new Map<string, Promise<LiveResult>>();
  const model = (env: string) => examples().models.find((m) => m.env.name === env)!;
  // The planes run side by side: starting and applying are mostly waiting on processes.
  beforeAll(() => {
    for (const env of ['dev', 'prod', 'onprem']) byEnv.set(env, run(model(env), examples().objects.get(env)!));
    byEnv.set('planted', run(model('dev'), defects()));
    // A run that fails half-way (a node the API server refuses) must still take its plane down.
    const dev = model('dev');
    const brokenNodes = () => [{ ...dev.substrate.nodes(dev.env)[0], name: 'Not_A_Node_Name' }];
    const broken: EnvironmentModel = { ...dev, substrate: Object.assign(Object.create(dev.substrate), { nodes: brokenNodes }) };
    byEnv.set('broken', run(broken, []));
    // A rejected run must not surface as an unhandled rejection before its test awaits it.
    for (const p of byEnv.values()) p.catch(() => undefined);
  });

  for (const env of ['dev', 'prod', 'onprem']) {
    it(`${env}: every object admitted, every pod created and scheduled, and the offline rehearsal agrees`, async () => {
      const r = await byEnv.get(env)!;
      expect(r.findings).toEqual([]);
      expect(r.counts.objects).toBeGreaterThan(50);
      expect(r.counts.pods).toBeGreaterThan(0);
      expect(r.counts.scheduled).toBe(r.counts.pods);
      expect(r.notCovered.join('\n')).toMatch(/Helm charts are not rendered/);
      const objects = examples().objects.get(env)!;
      const offline = applyExceptions(model(env).env, rehearse(input(model(env), objects))).findings;
      expect(crossCheck(r.findings, offline)).toEqual([]);
    }, 180_000);
  }

  it('reports each planted defect with the API server’s own message, as the offline rehearsal predicts', async () => {
    const r = await byEnv.get('planted')!;
    const said = (rule: string, target: string) =>
      r.findings
        .filter((f) => f.ruleId === rule && f.target === target)
        .map((f) => f.message)
        .join('\n');
    expect(said('LIVE-001', 'ConfigMap/planted-late/early')).toMatch(/namespaces "planted-late" not found/);
    expect(said('LIVE-002', 'Deployment/planted-psa/app')).toMatch(/violates PodSecurity "restricted:latest"/);
    expect(said('LIVE-002', 'Deployment/planted-quota/app')).toMatch(
      /exceeded quota: quota, requested: requests.cpu=500m, used: requests.cpu=1, limited: requests.cpu=1/,
    );
    expect(said('LIVE-003', 'Deployment/planted-gpu/app')).toMatch(/untolerated taint.*nvidia.com\/gpu/);
    expect(said('LIVE-004', 'PersistentVolumeClaim/planted-storage/data')).toMatch(/storageclass.storage.k8s.io "no-such-class" not found/);
    expect(said('LIVE-005', 'Service/planted-gpu/nothing')).toMatch(/selects no pod \(app=renamed\)/);
    expect(said('LIVE-006', 'HorizontalPodAutoscaler/planted-gpu/app')).toMatch(/targets Deployment renamed/);
    expect(r.findings).toHaveLength(7);
    expect([...new Set(r.findings.map((f) => f.ruleId))].sort()).toEqual(Object.keys(LIVE_RULES).sort());
    expect(crossCheck(r.findings, rehearse(input(model('dev'), defects())))).toEqual([]);
  }, 180_000);

  it('fails with the API server’s message when the plane cannot be prepared', async () => {
    await expect(byEnv.get('broken')!).rejects.toThrow(/registering node Not_A_Node_Name: .*Invalid value: "Not_A_Node_Name"/);
  }, 180_000);

  it('leaves no process or directory of the control planes behind, also after a failed run', async () => {
    await Promise.allSettled(byEnv.values());
    expect(results.length).toBe(4);
    for (const r of results) expect(r.pids.filter(isAlive)).toEqual([]);
    const survivors = fs
      .readdirSync('/proc')
      .filter((p) => /^\d+$/.test(p) && isAlive(Number(p)))
      .filter((p) => {
        try {
          return fs.readFileSync(`/proc/${p}/cmdline`, 'utf8').includes('parity-envtest-');
        } catch {
          return false;
        }
      });
    expect(survivors).toEqual([]);
    expect(fs.readdirSync(os.tmpdir()).filter((d) => d.startsWith('parity-envtest-') && d !== 'parity-envtest-pki')).toEqual([]);
  }, 180_000);
});
