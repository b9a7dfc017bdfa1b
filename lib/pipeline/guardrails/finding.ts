export type Severity = 'error' | 'warning';

/** One guardrail result: which rule, where (environment, object, field), and how to fix it. */
export interface Finding {
  readonly ruleId: string;
  readonly severity: Severity;
  readonly environment: string;
  /** `Kind/namespace/name` for manifests, `stack:resource_type.name` for Terraform, a path for files. */
  readonly target: string;
  /** Field path inside the target. */
  readonly path: string;
  readonly message: string;
  readonly hint: string;
  /** File under dist/ the target was written to. */
  readonly file?: string;
}
