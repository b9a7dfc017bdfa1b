/* eslint-disable @typescript-eslint/no-explicit-any -- the diff compares arbitrary JSON/YAML documents (Terraform and Kubernetes) structurally. */
import { parseAllDocuments } from 'yaml';
import { FileMap } from '../synth/atomic-dir';

/** One changed leaf: its path and both values (undefined on the side where it is absent). */
export interface FieldChange {
  readonly path: string;
  readonly before: unknown;
  readonly after: unknown;
}

export interface ItemChange {
  /** `stack:type.name` for Terraform, `apiVersion/Kind/namespace/name` for Kubernetes. */
  readonly id: string;
  readonly kind: 'terraform' | 'kubernetes';
  readonly change: 'added' | 'removed' | 'changed';
  readonly fields: FieldChange[];
  /** Terraform resource type or Kubernetes kind. */
  readonly type: string;
  readonly before?: any;
  readonly after?: any;
}

/** Leaf-level differences; arrays compare by index, `//` (cdktf metadata) is ignored. */
export function fieldChanges(before: unknown, after: unknown, path = ''): FieldChange[] {
  const isObj = (v: unknown) => v !== null && typeof v === 'object';
  if (isObj(before) && isObj(after) && Array.isArray(before) === Array.isArray(after)) {
    const keys = [...new Set([...Object.keys(before as object), ...Object.keys(after as object)])].filter((k) => k !== '//').sort();
    return keys.flatMap((k) => {
      const p = Array.isArray(before) ? `${path}[${k}]` : path ? `${path}.${k}` : k;
      return fieldChanges((before as any)[k], (after as any)[k], p);
    });
  }
  return JSON.stringify(before) === JSON.stringify(after) ? [] : [{ path: path || '(value)', before, after }];
}

function compare(
  kind: ItemChange['kind'],
  before: Map<string, { type: string; body: any }>,
  after: Map<string, { type: string; body: any }>,
): ItemChange[] {
  const ids = [...new Set([...before.keys(), ...after.keys()])].sort();
  const out: ItemChange[] = [];
  for (const id of ids) {
    const b = before.get(id);
    const a = after.get(id);
    if (!b) out.push({ id, kind, change: 'added', type: a!.type, fields: [], after: a!.body });
    else if (!a) out.push({ id, kind, change: 'removed', type: b.type, fields: [], before: b.body });
    else {
      const fields = fieldChanges(b.body, a.body);
      if (fields.length) out.push({ id, kind, change: 'changed', type: a.type, fields, before: b.body, after: a.body });
    }
  }
  return out;
}

/** Every resource of every stack of one environment: `stack:type.name` -> body. */
function terraformResources(files: FileMap, env: string): Map<string, { type: string; body: any }> {
  const out = new Map<string, { type: string; body: any }>();
  const re = new RegExp(`^${env}/terraform/([^/]+)/cdk\\.tf\\.json$`);
  for (const [file, text] of files) {
    const m = re.exec(file);
    if (!m) continue;
    const json = JSON.parse(text);
    for (const [type, byName] of Object.entries<Record<string, any>>(json.resource ?? {})) {
      for (const [name, body] of Object.entries(byName)) out.set(`${m[1]}:${type}.${name}`, { type, body });
    }
  }
  return out;
}

/** Every Kubernetes object of one environment: `apiVersion/Kind/namespace/name` -> object. */
function kubernetesObjects(files: FileMap, env: string): Map<string, { type: string; body: any }> {
  const out = new Map<string, { type: string; body: any }>();
  for (const [file, text] of files) {
    if (!file.startsWith(`${env}/manifests/`) || !file.endsWith('.yaml')) continue;
    for (const doc of parseAllDocuments(text)) {
      const o = doc.toJS();
      if (!o?.kind) continue;
      out.set([o.apiVersion, o.kind, o.metadata?.namespace ?? '', o.metadata?.name].join('/'), { type: o.kind, body: o });
    }
  }
  return out;
}

export interface EnvironmentDiff {
  readonly environment: string;
  readonly terraform: ItemChange[];
  readonly kubernetes: ItemChange[];
  /** Other files (READMEs, kubeadm and cloud-init copies, inventories) that changed. */
  readonly otherFiles: string[];
}

export function environmentsOf(files: FileMap): string[] {
  return [...new Set([...files.keys()].map((f) => f.split('/')[0]))].sort();
}

/** Semantic differences between two synthesized trees, per environment. */
export function diffTrees(before: FileMap, after: FileMap): EnvironmentDiff[] {
  const envs = [...new Set([...environmentsOf(before), ...environmentsOf(after)])].sort();
  return envs.map((env) => {
    const other = (f: string) => f.startsWith(`${env}/`) && !/\/terraform\/[^/]+\/cdk\.tf\.json$/.test(f) && !f.startsWith(`${env}/manifests/`);
    const files = [...new Set([...before.keys(), ...after.keys()])].filter(other).sort();
    return {
      environment: env,
      terraform: compare('terraform', terraformResources(before, env), terraformResources(after, env)),
      kubernetes: compare('kubernetes', kubernetesObjects(before, env), kubernetesObjects(after, env)),
      otherFiles: files.filter((f) => before.get(f) !== after.get(f)),
    };
  });
}
