/* eslint-disable @typescript-eslint/no-explicit-any -- Kubernetes objects are JSON parsed from the synthesized YAML, of every kind and CRD; readers check each optional field where they use it. */
import { parseAllDocuments } from 'yaml';

/** A synthesized Kubernetes object and the dist/ file it lives in. */
export interface K8sObject {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: { name?: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  readonly spec?: any;
  readonly file: string;
  readonly [key: string]: any;
}

/** The API group of an apiVersion: `apps/v1` → `apps`, `v1` → `` (the core group). */
export function apiGroup(apiVersion: string): string {
  return apiVersion.includes('/') ? apiVersion.split('/')[0] : '';
}

export function objectRef(o: Pick<K8sObject, 'kind' | 'metadata'>): string {
  return [o.kind, o.metadata?.namespace, o.metadata?.name].filter(Boolean).join('/');
}

/** Every Kubernetes object in the environment's manifests. `file` is not part of the object's JSON. */
export function manifestObjects(files: ReadonlyMap<string, string>, env: string): K8sObject[] {
  const out: K8sObject[] = [];
  for (const [file, text] of files) {
    if (!file.startsWith(`${env}/manifests/`) || !file.endsWith('.yaml')) continue;
    for (const doc of parseAllDocuments(text)) {
      const value = doc.toJS();
      if (value) {
        Object.defineProperty(value, 'file', { value: file, enumerable: false });
        out.push(value);
      }
    }
  }
  return out;
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
        out.push({
          owner: o,
          spec: o.spec?.template?.spec ?? {},
          path: 'spec.template.spec',
          labels: o.spec?.template?.metadata?.labels ?? {},
          longRunning: false,
          replicas: 1,
        });
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
