/* eslint-disable @typescript-eslint/no-explicit-any -- rendered pod specs */
import { GPU_TAINT } from '../../../constructs/gpu';
import { K8sObject, apiGroup, containersOf, podTemplates } from '../../core/k8s-objects';
import type { RehearsalInput } from './input';
import { operatorPods } from './operator-outputs';

/** How a check reports: rule, the object or target, the path, what is wrong. */
type Report = (rule: 'REH-006', target: K8sObject | string, path: string, message: string) => void;

/**
 * A pod fits on some node it may land on: one whose labels match its nodeSelector, whose NoSchedule
 * taints it tolerates, and whose CPU, memory and GPUs cover its requests (init containers run alone).
 */
function checkNodeFit(input: RehearsalInput, report: Report): void {
  const nodes = input.model.substrate.nodes(input.model.env).filter((n) => n.capacity);
  if (nodes.length === 0) return;
  for (const t of podTemplates(input.objects)) {
    const sum = (init: boolean, f: (c: any) => number) =>
      containersOf(t)
        .filter((c) => c.init === init)
        .reduce((n, { container }) => n + f(container), 0);
    const maxInit = (f: (c: any) => number) =>
      Math.max(
        0,
        ...containersOf(t)
          .filter((c) => c.init)
          .map(({ container }) => f(container)),
      );
    const need = (f: (c: any) => number) => Math.max(sum(false, f), maxInit(f));
    const cpu = need((c) => parseQuantity(c.resources?.requests?.cpu));
    const memory = need((c) => parseQuantity(c.resources?.requests?.memory));
    const gpus = need((c) => Number(c.resources?.limits?.['nvidia.com/gpu'] ?? 0));
    const selector = Object.entries<string>(t.spec.nodeSelector ?? {});
    const eligible = nodes.filter(
      (n) => selector.every(([k, v]) => n.labels[k] === v) && n.taints.every((taint) => taint.effect !== 'NoSchedule' || tolerates(t.spec, taint)),
    );
    if (eligible.length === 0) continue; // no node at all: the GPU and toleration checks above say why
    const fits = eligible.some((n) => cpu <= n.capacity!.cpus && memory <= parseQuantity(n.capacity!.memory) && gpus <= n.capacity!.gpus);
    if (!fits) {
      const biggest = eligible.map((n) => `${n.machineType} (${n.capacity!.cpus} CPU, ${n.capacity!.memory})`);
      report(
        'REH-006',
        t.owner,
        `${t.path}.containers`,
        `requests ${fmt(cpu)} CPU and ${fmt(memory / 2 ** 30)}Gi per pod, more than any node it may run on offers: ${[...new Set(biggest)].join(', ')}`,
      );
    }
  }
}

/** Every pod finds nodes: node fit, GPU pools and their taints, namespace quotas. */
export function schedulingFindings(input: RehearsalInput, report: Report): void {
  checkNodeFit(input, report);
  const pools = input.model.nodePools;
  const gpuPools = pools.filter((p) => p.gpu);
  for (const t of podTemplates(input.objects)) {
    const gpus = containersOf(t).reduce((n, { container }) => n + Number(container.resources?.limits?.['nvidia.com/gpu'] ?? 0), 0);
    if (gpus === 0) continue;
    if (gpuPools.length === 0)
      report('REH-006', t.owner, `${t.path}.containers`, `asks for ${gpus} nvidia.com/gpu but the environment has no GPU pool`);
    else if (!tolerates(t.spec, GPU_TAINT))
      report(
        'REH-006',
        t.owner,
        `${t.path}.tolerations`,
        "asks for GPUs but does not tolerate the GPU pools' taint nvidia.com/gpu: it stays Pending",
      );
  }
  // Quota: every namespace admits the replicas its workloads and autoscalers may ask for.
  for (const quota of input.objects.filter((o) => o.kind === 'ResourceQuota')) {
    const ns = quota.metadata.namespace;
    const hard = quota.spec?.hard ?? {};
    let cpu = 0;
    let mem = 0;
    let pods = 0;
    let gpus = 0;
    for (const t of podTemplates(input.objects).filter((x) => x.owner.metadata.namespace === ns && x.longRunning)) {
      const hpa = input.objects.find(
        (h) => h.kind === 'HorizontalPodAutoscaler' && h.metadata.namespace === ns && h.spec?.scaleTargetRef?.name === t.owner.metadata.name,
      );
      const replicas = hpa?.spec?.maxReplicas ?? t.replicas;
      for (const { container, init } of containersOf(t)) {
        if (init) continue;
        cpu += replicas * parseQuantity(container.resources?.requests?.cpu);
        mem += replicas * parseQuantity(container.resources?.requests?.memory);
        gpus += replicas * Number(container.resources?.limits?.['nvidia.com/gpu'] ?? 0);
      }
      pods += replicas;
    }
    for (const c of input.objects.filter(
      (x) => x.kind === 'Cluster' && x.metadata.namespace === ns && apiGroup(x.apiVersion) === 'postgresql.cnpg.io',
    )) {
      const n = c.spec?.instances ?? 1;
      cpu += n * parseQuantity(c.spec?.resources?.requests?.cpu);
      mem += n * parseQuantity(c.spec?.resources?.requests?.memory);
      pods += n;
    }
    for (const o of input.objects.filter((x) => x.metadata?.namespace === ns))
      for (const p of operatorPods(o) ?? []) {
        cpu += p.replicas * parseQuantity(p.cpu);
        mem += p.replicas * parseQuantity(p.memory);
        pods += p.replicas;
      }
    const over: string[] = [];
    if (hard['requests.cpu'] && cpu > parseQuantity(hard['requests.cpu'])) over.push(`requests.cpu ${fmt(cpu)} > ${hard['requests.cpu']}`);
    if (hard['requests.memory'] && mem > parseQuantity(hard['requests.memory']))
      over.push(`requests.memory ${fmt(mem / 2 ** 30)}Gi > ${hard['requests.memory']}`);
    if (hard.pods && pods > Number(hard.pods)) over.push(`pods ${pods} > ${hard.pods}`);
    if (hard['requests.nvidia.com/gpu'] !== undefined && gpus > Number(hard['requests.nvidia.com/gpu']))
      over.push(`GPUs ${gpus} > ${hard['requests.nvidia.com/gpu']}`);
    if (over.length)
      report(
        'REH-006',
        quota,
        'spec.hard',
        `the workloads of ${ns} at their maximum replicas exceed the quota: ${over.join(', ')}; admission rejects the pods beyond it`,
      );
  }
}

/** Whether a pod spec tolerates a taint, as the scheduler matches them (Exists without a key tolerates all). */
function tolerates(spec: any, taint: { key: string; value?: string }): boolean {
  return (spec.tolerations ?? []).some(
    (x: any) => (x.operator === 'Exists' && (!x.key || x.key === taint.key)) || (x.key === taint.key && (x.value ?? '') === (taint.value ?? '')),
  );
}

function parseQuantity(q: unknown): number {
  if (q === undefined || q === null) return 0;
  const s = String(q);
  const m = /^([0-9.]+)([a-zA-Z]*)$/.exec(s);
  if (!m) return 0;
  const n = Number(m[1]);
  const units: Record<string, number> = { '': 1, m: 1e-3, k: 1e3, M: 1e6, G: 1e9, T: 1e12, Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40 };
  return n * (units[m[2]] ?? 1);
}

const fmt = (n: number) => (Math.round(n * 100) / 100).toString();
