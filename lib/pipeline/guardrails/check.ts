import { Environment } from '../../core/model/schema';
import { chartValueFindings } from './chart-values';
import { Finding } from './finding';
import { MANIFEST_RULES } from './k8s-rules';
import { K8sObject, manifestObjects } from '../../core/k8s-objects';
import { PolicyRule, TerraformStackJson, Violation } from './policy';
import { validateSchemas } from './schema-validation';
import { scanForSecrets } from './secret-scan';
import { TERRAFORM_RULES } from './terraform-rules';

export const UNUSED_EXCEPTION_RULE = 'EXC-001';

type Exception = Environment['exceptions'][number];

export interface ExceptedFinding {
  readonly finding: Finding;
  readonly exception: Exception;
}

export interface CheckResult {
  /** Findings not covered by an exception; any error blocks the output. */
  readonly findings: Finding[];
  readonly excepted: ExceptedFinding[];
  readonly environments: string[];
  readonly durationMs: number;
}

function toFindings<C>(rule: PolicyRule<C>, ctx: C, env: string): Finding[] {
  return rule.check(ctx).map((v: Violation) => ({
    ruleId: rule.id,
    severity: rule.severity,
    environment: env,
    target: v.target,
    path: v.path,
    message: v.message,
    hint: rule.hint,
    file: v.file,
  }));
}

/** `*` matches within one `/`-separated segment; everything else must be equal. */
export function targetMatches(pattern: string, target: string): boolean {
  const re = new RegExp(
    `^${pattern
      .split('*')
      .map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
      .join('[^/]*')}$`,
  );
  return re.test(target);
}

/** The Kubernetes objects the Terraform stacks write (kubernetes_manifest), as they will exist in the cluster. */
export function terraformObjects(stacks: ReadonlyArray<TerraformStackJson>): K8sObject[] {
  return stacks.flatMap((s) => Object.values<{ manifest: K8sObject }>(s.json.resource?.kubernetes_manifest ?? {}).map((r) => r.manifest));
}

export function terraformStacks(files: ReadonlyMap<string, string>, env: string): TerraformStackJson[] {
  const re = new RegExp(`^${env}/terraform/([^/]+)/cdk\\.tf\\.json$`);
  return [...files].flatMap(([file, text]) => {
    const m = re.exec(file);
    return m ? [{ stackId: m[1], file, json: JSON.parse(text) }] : [];
  });
}

/** Splits an environment's findings into those its exceptions accept and the rest; `used` indexes the exceptions that matched. */
export function applyExceptions(
  env: Environment,
  all: ReadonlyArray<Finding>,
): { findings: Finding[]; excepted: ExceptedFinding[]; used: Set<number> } {
  const findings: Finding[] = [];
  const excepted: ExceptedFinding[] = [];
  const used = new Set<number>();
  for (const f of all) {
    const index = env.exceptions.findIndex((e) => e.rule === f.ruleId && targetMatches(e.target, f.target));
    if (index >= 0) {
      used.add(index);
      excepted.push({ finding: f, exception: env.exceptions[index] });
    } else {
      findings.push(f);
    }
  }
  return { findings, excepted, used };
}

/**
 * Runs every guardrail on a synthesized tree: schema validation, policy rules (minus the
 * environment's exceptions), and a secret scan of every file. Unused exceptions are errors too, so
 * the list of accepted risks never outlives the risk.
 */
export async function checkEnvironments(
  envs: ReadonlyArray<Environment>,
  files: ReadonlyMap<string, string>,
  /** The objects synth already holds; parsed from `files` when absent. */
  objectsByEnv?: ReadonlyMap<string, ReadonlyArray<K8sObject>>,
  /** Findings of other checks (the deploy rehearsal), subject to the same exceptions. */
  extraFindings: ReadonlyArray<Finding> = [],
): Promise<CheckResult> {
  const started = process.hrtime.bigint();
  const findings: Finding[] = [];
  const excepted: ExceptedFinding[] = [];

  const perEnv = envs.map((env) => {
    const objects = objectsByEnv?.get(env.name) ?? manifestObjects(files, env.name);
    const schema = validateSchemas(env.name, objects);
    const stacks = terraformStacks(files, env.name);
    const policy = [
      ...MANIFEST_RULES.flatMap((r) => toFindings(r, { env, objects, terraformObjects: terraformObjects(stacks) }, env.name)),
      ...TERRAFORM_RULES.flatMap((r) => toFindings(r, { env, stacks }, env.name)),
      ...extraFindings.filter((f) => f.environment === env.name),
    ];
    // Values against the pinned charts: like schemas, a hard error that no exception can accept.
    const chartValues = chartValueFindings(env.name, objects, stacks);
    return { env, schema: [...schema, ...chartValues], policy };
  });

  for (const { env, schema, policy } of perEnv) {
    findings.push(...schema);
    const split = applyExceptions(env, policy);
    findings.push(...split.findings);
    excepted.push(...split.excepted);
    env.exceptions.forEach((e, i) => {
      if (!split.used.has(i)) {
        findings.push({
          ruleId: UNUSED_EXCEPTION_RULE,
          severity: 'error',
          environment: env.name,
          target: `exceptions[${i}]`,
          path: `${e.rule} ${e.target}`,
          message: 'exception matches no finding',
          hint: 'remove the exception: the risk it accepted is gone (or fix its rule/target)',
        });
      }
    });
  }

  const names = new Set(envs.map((e) => e.name));
  findings.push(...(await scanForSecrets(files, (file) => (names.has(file.split('/')[0]) ? file.split('/')[0] : '(all)'))));

  return { findings, excepted, environments: envs.map((e) => e.name), durationMs: Number(process.hrtime.bigint() - started) / 1e6 };
}

export function hasErrors(result: CheckResult): boolean {
  return result.findings.some((f) => f.severity === 'error');
}
