import { Environment } from '../model/schema';
import { Severity } from './finding';
import { K8sObject } from './objects';

/** Where a rule fired: the object or resource, the field, and what was wrong. */
export interface Violation {
  readonly target: string;
  readonly path: string;
  readonly message: string;
  readonly file?: string;
}

/** A guardrail with a stable ID: exceptions and CI logs refer to rules by it. */
export interface PolicyRule<C> {
  readonly id: string;
  /** Short name, e.g. "pod-security-restricted". */
  readonly name: string;
  readonly severity: Severity;
  /** Why the rule exists, one line. */
  readonly rationale: string;
  /** How to fix a violation, one line. */
  readonly hint: string;
  check(ctx: C): Violation[];
}

export interface ManifestContext {
  readonly env: Environment;
  readonly objects: ReadonlyArray<K8sObject>;
}

/** A synthesized Terraform stack as JSON. */
export interface TerraformStackJson {
  readonly stackId: string;
  readonly file: string;
  readonly json: any;
}

export interface TerraformContext {
  readonly env: Environment;
  readonly stacks: ReadonlyArray<TerraformStackJson>;
}

/** A pod template found in a workload, with the path prefix of its spec. */
export interface PodTemplate {
  readonly owner: K8sObject;
  readonly spec: any;
  readonly path: string;
  readonly labels: Record<string, string>;
  /** Long-running (Deployment, StatefulSet, DaemonSet) as opposed to run-to-completion (Job, CronJob). */
  readonly longRunning: boolean;
  readonly replicas: number;
}

export function podTemplates(objects: ReadonlyArray<K8sObject>): PodTemplate[] {
  const out: PodTemplate[] = [];
  for (const o of objects) {
    switch (o.kind) {
      case 'Pod':
        out.push({ owner: o, spec: o.spec ?? {}, path: 'spec', labels: o.metadata.labels ?? {}, longRunning: true, replicas: 1 });
        break;
      case 'Deployment':
      case 'StatefulSet':
      case 'ReplicaSet':
      case 'DaemonSet':
        out.push({
          owner: o,
          spec: o.spec?.template?.spec ?? {},
          path: 'spec.template.spec',
          labels: o.spec?.template?.metadata?.labels ?? {},
          longRunning: true,
          replicas: o.kind === 'DaemonSet' ? 2 : (o.spec?.replicas ?? 1),
        });
        break;
      case 'Job':
        out.push({ owner: o, spec: o.spec?.template?.spec ?? {}, path: 'spec.template.spec', labels: o.spec?.template?.metadata?.labels ?? {}, longRunning: false, replicas: 1 });
        break;
      case 'CronJob':
        out.push({
          owner: o,
          spec: o.spec?.jobTemplate?.spec?.template?.spec ?? {},
          path: 'spec.jobTemplate.spec.template.spec',
          labels: o.spec?.jobTemplate?.spec?.template?.metadata?.labels ?? {},
          longRunning: false,
          replicas: 1,
        });
        break;
    }
  }
  return out;
}

/** Every container of a pod template, init containers included, with its field path. */
export function containersOf(t: PodTemplate): Array<{ container: any; path: string; init: boolean }> {
  return [
    ...(t.spec.initContainers ?? []).map((c: any, i: number) => ({ container: c, path: `${t.path}.initContainers[${i}]`, init: true })),
    ...(t.spec.containers ?? []).map((c: any, i: number) => ({ container: c, path: `${t.path}.containers[${i}]`, init: false })),
  ];
}

/** Pod Security level enforced on each namespace declared in the manifests (undeclared: restricted). */
export function podSecurityLevels(objects: ReadonlyArray<K8sObject>): (namespace: string | undefined) => string {
  const levels = new Map<string, string>();
  for (const o of objects) {
    if (o.kind === 'Namespace' && o.metadata.name) levels.set(o.metadata.name, o.metadata.labels?.['pod-security.kubernetes.io/enforce'] ?? 'privileged');
  }
  return (ns) => (ns && levels.get(ns)) || 'restricted';
}
