import { Environment } from '../../core/model/schema';
import { Severity } from './finding';
import { K8sObject } from '../../core/k8s-objects';

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
  /** Objects the Terraform stacks write into the cluster (the bootstrap stack's kubernetes_manifest resources). @default [] */
  readonly terraformObjects?: ReadonlyArray<K8sObject>;
}

/** A synthesized Terraform stack as JSON. */
export interface TerraformStackJson {
  readonly stackId: string;
  readonly file: string;
  readonly json: any; // eslint-disable-line @typescript-eslint/no-explicit-any -- Terraform JSON has no static type
}

export interface TerraformContext {
  readonly env: Environment;
  readonly stacks: ReadonlyArray<TerraformStackJson>;
}

/** Pod Security level enforced on each namespace declared in the manifests (undeclared: restricted). */
export function podSecurityLevels(objects: ReadonlyArray<K8sObject>): (namespace: string | undefined) => string {
  const levels = new Map<string, string>();
  for (const o of objects) {
    if (o.kind === 'Namespace' && o.metadata.name)
      levels.set(o.metadata.name, o.metadata.labels?.['pod-security.kubernetes.io/enforce'] ?? 'privileged');
  }
  return (ns) => (ns && levels.get(ns)) || 'restricted';
}
