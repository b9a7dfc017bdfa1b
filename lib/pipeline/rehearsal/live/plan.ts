import * as fs from 'fs';
import * as path from 'path';
import { parseAllDocuments } from 'yaml';
import { REPO_ROOT } from '../../../core/paths';
import { K8sObject } from '../../../core/k8s-objects';
import { Provision, StandIn } from '../rehearse';
import { Time, applyTime, describeTime } from '../timeline';

/** One thing the live rehearsal applies: an object of the manifests, or what the environment provides in its place. */
export type Item =
  | { readonly type: 'object'; readonly object: K8sObject }
  | { readonly type: 'provision'; readonly provision: Provision; readonly documents: ReadonlyArray<object> };

/** Items applied together: same phase, wave and kind order; the next step starts when this one is done. */
export interface Step {
  readonly at: Time;
  readonly label: string;
  readonly items: ReadonlyArray<Item>;
}

/** imports/crds: the CRDs Parity vendors from upstream at the pinned versions. */
const CRD_DIR = path.join(REPO_ROOT, 'imports', 'crds');

let vendored: Map<string, object> | undefined;
/** Vendored CRDs keyed by `group/Kind`. */
export function vendoredCrds(): ReadonlyMap<string, object> {
  if (vendored) return vendored;
  vendored = new Map();
  for (const file of fs
    .readdirSync(CRD_DIR)
    .filter((f) => f.endsWith('.yaml'))
    .sort()) {
    for (const doc of parseAllDocuments(fs.readFileSync(path.join(CRD_DIR, file), 'utf8'))) {
      const crd = doc.toJS();
      if (crd?.kind === 'CustomResourceDefinition') vendored.set(`${crd.spec.group}/${crd.spec.names.kind}`, crd);
    }
  }
  return vendored;
}

/** The objects the environment creates in place of a stand-in; none when Parity does not vendor that CRD. */
export function standInDocuments(s: StandIn, by: string): object[] {
  const meta = (name: string) => ({ name, labels: { 'parity.dev/stand-in-for': slug(by) } });
  switch (s.kind) {
    case 'Namespace':
      return [{ apiVersion: 'v1', kind: 'Namespace', metadata: meta(s.name) }];
    case 'StorageClass':
      return [
        {
          apiVersion: 'storage.k8s.io/v1',
          kind: 'StorageClass',
          metadata: meta(s.name),
          provisioner: s.provisioner,
          volumeBindingMode: 'WaitForFirstConsumer',
        },
      ];
    case 'IngressClass':
      return [{ apiVersion: 'networking.k8s.io/v1', kind: 'IngressClass', metadata: meta(s.name), spec: { controller: `parity.dev/${s.name}` } }];
    case 'CustomResourceDefinition': {
      const crd = vendoredCrds().get(`${s.group}/${s.names}`);
      return crd ? [crd] : [];
    }
    case 'Object':
      return [s.manifest];
  }
}

const slug = (s: string) =>
  s
    .toLowerCase()
    .replace(/[^a-z0-9.-]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 63)
    .replace(/[^a-z0-9]+$/, '');

/**
 * The first sync as steps: what the environment provides before the sync, then the manifests in the
 * order gitops-engine applies them, with each provision at the moment the offline rehearsal puts it.
 */
export function planSteps(objects: ReadonlyArray<K8sObject>, provisions: ReadonlyArray<Provision>): Step[] {
  const timed: Array<{ at: Time; item: Item }> = [
    ...provisions.map((p) => ({ at: p.at, item: { type: 'provision' as const, provision: p, documents: standInDocuments(p.standIn, p.by) } })),
    ...objects.map((o) => ({ at: applyTime(o), item: { type: 'object' as const, object: o } })),
  ];
  const byTime = new Map<Time, Item[]>();
  for (const { at, item } of timed) byTime.set(at, [...(byTime.get(at) ?? []), item]);
  return [...byTime.entries()].sort(([a], [b]) => a - b).map(([at, items]) => ({ at, label: describeTime(at), items }));
}
