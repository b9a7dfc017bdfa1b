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
