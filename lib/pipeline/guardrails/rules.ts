import { MANIFEST_RULES } from './k8s-rules';
import { PolicyRule } from './policy';
import { TERRAFORM_RULES } from './terraform-rules';

/** Every policy rule by ID (schema validation and secret scanning are separate and cannot be excepted). */
export const POLICY_RULES: ReadonlyMap<string, PolicyRule<unknown>> = new Map(
  [...MANIFEST_RULES, ...TERRAFORM_RULES].map((r) => [r.id, r as PolicyRule<unknown>]),
);
