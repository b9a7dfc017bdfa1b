import { CheckResult } from './check';
import { Finding } from './finding';
import { POLICY_RULES } from './rules';

function ruleName(id: string): string {
  return POLICY_RULES.get(id)?.name ?? '';
}

function byPosition(a: Finding, b: Finding): number {
  const key = (f: Finding) => [f.environment, f.ruleId, f.target, f.path].join('\u0000');
  return key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0;
}

/**
 * A report a person can act on: one block per finding (rule ID and name, environment, object, field,
 * what is wrong, how to fix it), then a summary table per environment.
 */
export function formatReport(result: CheckResult): string {
  const lines: string[] = [];
  for (const f of [...result.findings].sort(byPosition)) {
    lines.push(`${f.severity.toUpperCase()} ${f.ruleId}${ruleName(f.ruleId) ? ` ${ruleName(f.ruleId)}` : ''} [${f.environment}] ${f.target}`);
    lines.push(`  ${f.path}: ${f.message}`);
    lines.push(`  fix: ${f.hint}${f.file ? ` (dist/${f.file})` : ''}`);
  }
  if (lines.length) lines.push('');
  const envs = [...result.environments, ...(result.findings.some((f) => f.environment === '(all)') ? ['(all)'] : [])];
  const count = (env: string, pred: (f: Finding) => boolean) => result.findings.filter((f) => f.environment === env && pred(f)).length;
  lines.push('| environment | errors | warnings | excepted |', '| --- | --- | --- | --- |');
  for (const env of envs) {
    lines.push(
      `| ${env} | ${count(env, (f) => f.severity === 'error')} | ${count(env, (f) => f.severity === 'warning')} | ${result.excepted.filter((e) => e.finding.environment === env).length} |`,
    );
  }
  const errors = result.findings.filter((f) => f.severity === 'error').length;
  lines.push(
    '',
    `guardrails: ${errors} error${errors === 1 ? '' : 's'}, ${result.findings.length - errors} warnings, ${result.excepted.length} excepted, in ${result.durationMs.toFixed(0)} ms`,
  );
  return `${lines.join('\n')}\n`;
}

export function reportJson(result: CheckResult): string {
  return `${JSON.stringify({ ...result, findings: [...result.findings].sort(byPosition) }, null, 2)}\n`;
}
