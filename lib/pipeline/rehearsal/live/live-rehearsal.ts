/* eslint-disable @typescript-eslint/no-explicit-any -- objects come from `kubectl get -o json` and the synthesized YAML; each field is checked where it is read. */
import { Finding } from '../../guardrails/finding';
import { K8sObject, apiGroup, objectRef } from '../../../core/k8s-objects';
import { BUILT_IN_GROUPS } from '../../../../stacks/platform-manifests';
import { Rehearsal, RehearsalInput } from '../rehearse';
import { LIVE_RULES, LiveRuleId } from '../rules';
import { ControlPlane } from './control-plane';
import { inParallel } from '../../../core/util/parallel';
import { registerNodes } from './nodes';
import { ClusterState, expectedPods, failedCreates, provisionVolumes, readState, scheduling, topOwner } from './observe';
import { Item, planSteps, standInDocuments } from './plan';

/** Seconds of each part of a live rehearsal, measured from spawn to exit of each part. */
export interface LiveTimings {
  readonly start: number;
  readonly apply: number;
  readonly wait: number;
  readonly stop: number;
}

export interface LiveResult {
  readonly environment: string;
  readonly findings: Finding[];
  /** What this rehearsal cannot judge, said rather than pretended. */
  readonly notCovered: string[];
  readonly timings: LiveTimings;
  readonly counts: { readonly steps: number; readonly objects: number; readonly nodes: number; readonly pods: number; readonly scheduled: number };
  /** Process ids of the control plane, to check none survives. */
  readonly pids: ReadonlyArray<number>;
}

export interface LiveOptions {
  readonly assets: string;
  /** How long pods may take to be created and scheduled. @default 60 */
  readonly settleSeconds?: number;
}

const FIELD_MANAGER = 'argocd-controller';
const WORKLOAD_KINDS = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'Job', 'CronJob']);
const seconds = (from: bigint) => Number(process.hrtime.bigint() - from) / 1e9;

/**
 * Applies one environment to a real control plane in the order of its first sync, on fake nodes shaped
 * like its pools, and reports every object the API server rejects, every workload whose pods cannot be
 * created or scheduled, every claim without a class, Service without pods and autoscaler without target.
 */
export async function rehearseLive(input: RehearsalInput, opts: LiveOptions): Promise<LiveResult> {
  const env = input.model.env.name;
  const nodes = input.model.substrate.nodes(input.model.env);
  const unknown = nodes.find((n) => !n.capacity);
  if (unknown)
    throw new Error(
      `${env}: node pool ${unknown.pool}: no capacity known for machine type "${unknown.machineType}"; add it to substrates/machine-types.ts`,
    );

  const findings: Finding[] = [];
  const notCovered = new Set<string>([
    'Helm charts are not rendered (no helm here): their Applications are applied as objects; the pods of each chart are judged by its chart facts in the offline rehearsal',
    'operators do not run: custom resources are admitted against their CRDs (schema and CEL), but what an operator would create from them is not',
  ]);
  const report = (ruleId: LiveRuleId, target: string, path: string, message: string) =>
    findings.push({ ruleId, severity: 'error', environment: env, target, path, message, hint: LIVE_RULES[ruleId].hint });

  const provisions = new Rehearsal(input).provisions();
  const steps = planSteps(input.objects, provisions);
  // CRDs the environment installs but Parity does not vendor: their custom resources cannot be applied here.
  const missingCrds = new Set(
    provisions.flatMap((p) =>
      p.standIn.kind === 'CustomResourceDefinition' && standInDocuments(p.standIn, p.by).length === 0
        ? [`${p.standIn.group}/${p.standIn.names}`]
        : [],
    ),
  );

  let t = process.hrtime.bigint();
  const plane = await ControlPlane.start({ assets: opts.assets, serviceCidr: input.model.env.cluster.serviceCidr });
  const timings: { start: number; apply: number; wait: number; stop: number } = { start: seconds(t), apply: 0, wait: 0, stop: 0 };
  const admitted: K8sObject[] = [];
  let state: ClusterState | undefined;
  try {
    const { kubectl } = plane;
    t = process.hrtime.bigint();
    await registerNodes(kubectl, nodes);

    const skipped = (item: Item) => {
      if (item.type !== 'object') return false;
      // An admission webhook is served by an operator's pod, and no pod runs here: registering it would
      // reject every object it covers for a reason no cluster has once the operator is up (the
      // offline rehearsal orders those objects after the operator's wave).
      if (item.object.kind === 'ValidatingWebhookConfiguration' || item.object.kind === 'MutatingWebhookConfiguration') {
        notCovered.add('admission webhooks are not registered: the operator pods that serve them do not run here');
        return true;
      }
      const group = apiGroup(item.object.apiVersion);
      if (BUILT_IN_GROUPS.has(group) || !missingCrds.has(`${group}/${item.object.kind}`)) return false;
      notCovered.add(`${item.object.kind}.${group}: its CRD is not vendored, so these objects are not applied`);
      return true;
    };
    const apply = async (item: Item) => {
      if (item.type === 'provision') {
        for (const doc of item.documents) {
          const r = await kubectl.run(
            ['apply', '--server-side', `--field-manager=${FIELD_MANAGER}`, '--force-conflicts', '--validate=strict', '-f', '-'],
            JSON.stringify(doc),
          );
          if (r.code !== 0)
            report(
              'LIVE-001',
              `${(doc as K8sObject).kind}/${(doc as K8sObject).metadata.name}`,
              '',
              `${item.provision.by} provides it, but the API server rejected it: ${clean(r.stderr)}`,
            );
        }
        return;
      }
      const o = item.object;
      if (skipped(item)) return;
      const r = await kubectl.run(
        ['apply', '--server-side', `--field-manager=${FIELD_MANAGER}`, '--force-conflicts', '--validate=strict', '-f', '-'],
        JSON.stringify(o),
      );
      if (r.code === 0) admitted.push(o);
      else report('LIVE-001', objectRef(o), '', `rejected when the sync applies it: ${clean(r.stderr)}`);
    };
    // One kubectl per step; only when the step fails is each item applied alone, to name the one rejected.
    for (const step of steps) {
      const docs = step.items.flatMap((i) => (i.type === 'provision' ? i.documents : skipped(i) ? [] : [i.object]));
      const r = await kubectl.run(
        ['apply', '--server-side', `--field-manager=${FIELD_MANAGER}`, '--force-conflicts', '--validate=strict', '-f', '-'],
        JSON.stringify({ apiVersion: 'v1', kind: 'List', items: docs }),
      );

      if (r.code === 0) admitted.push(...step.items.flatMap((i) => (i.type === 'object' && !skipped(i) ? [i.object] : [])));
      else await inParallel(step.items, 4, apply);
    }
    // A CronJob's pods exist only on its schedule: run each once now, as `kubectl create job --from` does.
    const cronJobs = admitted.filter((o) => o.kind === 'CronJob');
    await inParallel(cronJobs, 4, async (c) => {
      const r = await kubectl.run(['create', 'job', jobOf(c.metadata.name!), `--from=cronjob/${c.metadata.name}`, '-n', c.metadata.namespace!]);
      if (r.code !== 0) report('LIVE-002', objectRef(c), 'spec.jobTemplate', `a Job from the CronJob was rejected: ${clean(r.stderr)}`);
    });
    timings.apply = seconds(t);

    t = process.hrtime.bigint();
    const workloads = admitted.filter((o) => WORKLOAD_KINDS.has(o.kind));
    const deadline = Date.now() + (opts.settleSeconds ?? 60) * 1000;
    for (;;) {
      state = await readState(kubectl);
      await provisionVolumes(kubectl, state);
      const pending = unsettled(state, workloads);
      if (pending.length === 0) break;
      if (Date.now() > deadline) {
        for (const p of pending) report('LIVE-002', p.ref, 'spec.template', `no verdict after ${opts.settleSeconds ?? 60} s: ${p.why}`);
        break;
      }
      await new Promise((r) => setTimeout(r, 400));
    }
    timings.wait = seconds(t);
    judge(state, input.objects, admitted, report);
  } finally {
    t = process.hrtime.bigint();
    await plane.stop();
    timings.stop = seconds(t);
  }
  const pods = state?.pods ?? [];
  return {
    environment: env,
    findings: findings.sort((a, b) => (a.ruleId + a.target < b.ruleId + b.target ? -1 : 1)),
    notCovered: [...notCovered].sort(),
    timings,
    counts: {
      steps: steps.length,
      objects: admitted.length,
      nodes: nodes.length,
      pods: pods.length,
      scheduled: pods.filter((p) => p.spec.nodeName).length,
    },
    pids: plane.pids,
  };
}

const REHEARSAL_JOB = '-rehearsal';
const jobOf = (cronJob: string) => `${cronJob}${REHEARSAL_JOB}`;

/** The object of the manifests `ref` stands for: a CronJob's rehearsal Job counts as the CronJob. */
function manifestRef(ref: string, cronJobs: ReadonlySet<string>): string {
  if (!ref.startsWith('Job/') || !ref.endsWith(REHEARSAL_JOB)) return ref;
  const cronJob = `CronJob/${ref.slice('Job/'.length, -REHEARSAL_JOB.length)}`;
  return cronJobs.has(cronJob) ? cronJob : ref;
}

/** Pod-creation failures by the object of the manifests they concern. */
function failuresByManifestRef(state: ClusterState, cronJobs: ReadonlySet<string>): Map<string, string> {
  const out = new Map<string, string>();
  for (const [ref, message] of failedCreates(state)) {
    const owner = manifestRef(ref, cronJobs);
    if (!out.has(owner)) out.set(owner, message);
  }
  return out;
}

/** Workloads still waiting for their pods or for the scheduler's verdict on them. */
function unsettled(state: ClusterState, workloads: ReadonlyArray<K8sObject>): Array<{ ref: string; why: string }> {
  const cronJobs = new Set(workloads.filter((w) => w.kind === 'CronJob').map(objectRef));
  const failed = failuresByManifestRef(state, cronJobs);
  const podsOf = new Map<string, any[]>();
  for (const p of state.pods) {
    const ref = manifestRef(topOwner(state, p), cronJobs);
    podsOf.set(ref, [...(podsOf.get(ref) ?? []), p]);
  }
  const out: Array<{ ref: string; why: string }> = [];
  for (const w of workloads) {
    const ref = objectRef(w);
    const live =
      w.kind === 'CronJob'
        ? state.workloads.find(
            (x) => x.kind === 'Job' && x.metadata.namespace === w.metadata.namespace && x.metadata.name === jobOf(w.metadata.name!),
          )
        : state.workloads.find((x) => objectRef(x) === ref);
    const pods = podsOf.get(ref) ?? [];
    if (failed.has(ref)) continue;
    if (!live) out.push({ ref, why: 'the controller has not seen it' });
    else if (w.kind === 'DaemonSet' && live.status?.desiredNumberScheduled === undefined)
      out.push({ ref, why: 'the DaemonSet controller has not counted its nodes' });
    else if (pods.length < expectedPods(live)) out.push({ ref, why: `${pods.length} of ${expectedPods(live)} pods created` });
    else if (pods.some((p) => !scheduling(p))) out.push({ ref, why: 'the scheduler has not placed every pod' });
  }
  return out;
}

/** The verdicts once the cluster has settled. */
function judge(
  state: ClusterState,
  objects: ReadonlyArray<K8sObject>,
  admitted: ReadonlyArray<K8sObject>,
  report: (r: LiveRuleId, target: string, path: string, message: string) => void,
): void {
  const cronJobs = new Set(admitted.filter((w) => w.kind === 'CronJob').map(objectRef));
  for (const [ref, message] of failuresByManifestRef(state, cronJobs)) report('LIVE-002', ref, 'spec.template', message);

  // Claims: a class that does not exist leaves the claim (and its pods) Pending for ever.
  const classes = new Set(state.storageClasses.map((c) => c.metadata.name));
  const claimOwner = (c: any): string => {
    const sts = objects.find(
      (o) =>
        o.kind === 'StatefulSet' &&
        o.metadata.namespace === c.metadata.namespace &&
        (o.spec?.volumeClaimTemplates ?? []).some((t: any) => c.metadata.name.startsWith(`${t.metadata.name}-${o.metadata.name}-`)),
    );
    return sts ? objectRef(sts) : objectRef({ kind: 'PersistentVolumeClaim', metadata: c.metadata });
  };
  const classless = new Set<string>();
  const classlessClaims = new Set<string>();
  for (const c of state.claims) {
    const cls = c.spec.storageClassName;
    if (cls && classes.has(cls)) continue;
    classlessClaims.add(`${c.metadata.namespace}/${c.metadata.name}`);
    const owner = claimOwner(c);
    if (classless.has(owner)) continue;
    classless.add(owner);
    const event = state.events.find(
      (e) =>
        e.involvedObject.kind === 'PersistentVolumeClaim' &&
        e.involvedObject.namespace === c.metadata.namespace &&
        e.involvedObject.name === c.metadata.name &&
        e.type === 'Warning',
    );
    const said = event ? ` (${event.reason}: ${event.message})` : '';
    report(
      'LIVE-004',
      owner,
      'storageClassName',
      cls
        ? `claim ${c.metadata.name} names StorageClass "${cls}", which does not exist: it stays Pending and so do its pods${said}`
        : `claim ${c.metadata.name} names no StorageClass and the cluster has no default one${said}`,
    );
  }

  const unscheduled = new Map<string, string>();
  for (const p of state.pods) {
    const verdict = scheduling(p);
    const owner = manifestRef(topOwner(state, p), cronJobs);
    // A pod waiting for a claim without a class is that claim's finding, not a scheduling one.
    const waitsForClass = (p.spec.volumes ?? []).some(
      (v: any) => v.persistentVolumeClaim && classlessClaims.has(`${p.metadata.namespace}/${v.persistentVolumeClaim.claimName}`),
    );
    if (verdict && !verdict.scheduled && !classless.has(owner) && !waitsForClass && !unscheduled.has(owner))
      unscheduled.set(owner, `pod ${p.metadata.name}: ${verdict.message}`);
  }
  for (const [owner, message] of unscheduled) report('LIVE-003', owner, 'spec.template.spec', message);

  // Services of the manifests front pods of the manifests (charts and operators bring their own Services).
  for (const s of admitted.filter((o) => o.kind === 'Service' && o.spec?.selector)) {
    const sel = Object.entries(s.spec.selector as Record<string, string>);
    const matches = state.pods.some((p) => p.metadata.namespace === s.metadata.namespace && sel.every(([k, v]) => p.metadata.labels?.[k] === v));
    if (!matches)
      report(
        'LIVE-005',
        objectRef(s),
        'spec.selector',
        `selects no pod (${sel.map(([k, v]) => `${k}=${v}`).join(', ')}): the Service has no endpoints`,
      );
  }
  for (const h of admitted.filter((o) => o.kind === 'HorizontalPodAutoscaler')) {
    const target = h.spec?.scaleTargetRef ?? {};
    const exists = state.workloads.some(
      (w) => w.kind === target.kind && w.metadata.namespace === h.metadata.namespace && w.metadata.name === target.name,
    );
    if (!exists)
      report(
        'LIVE-006',
        objectRef(h),
        'spec.scaleTargetRef',
        `targets ${target.kind} ${target.name}, which does not exist in ${h.metadata.namespace}`,
      );
  }
}

/** kubectl's message without its own prefixes, one line. */
function clean(stderr: string): string {
  return stderr
    .trim()
    .split('\n')
    .filter((l) => l && !/^ensure CRDs are installed first/.test(l))
    .map((l) => l.replace(/^Error from server \([A-Za-z]+\): /, '').replace(/^error: /, ''))
    .join('; ');
}
