import { EnvironmentDiff, ItemChange } from './diff';
import { Risk } from './risks';

export interface DiffReport {
  readonly base: string;
  readonly environments: EnvironmentDiff[];
  readonly risks: Risk[];
}

function value(v: unknown): string {
  if (v === undefined) return '(none)';
  const s = JSON.stringify(v);
  return s.length > 80 ? `${s.slice(0, 77)}...` : s;
}

const SIGN = { added: '+', removed: '-', changed: '~' } as const;

function items(changes: ItemChange[]): string[] {
  return changes.flatMap((c) => [
    `- \`${SIGN[c.change]}\` \`${c.id}\` (${c.type})`,
    ...c.fields.slice(0, 25).map((f) => `  - \`${f.path}\`: \`${value(f.before)}\` → \`${value(f.after)}\``),
    ...(c.fields.length > 25 ? [`  - … ${c.fields.length - 25} more fields`] : []),
  ]);
}

const count = (c: ItemChange[]) =>
  `+${c.filter((x) => x.change === 'added').length} / -${c.filter((x) => x.change === 'removed').length} / ~${c.filter((x) => x.change === 'changed').length}`;

/** The pull-request comment: a summary table, the risks first, then every change with field paths. */
export function diffMarkdown(report: DiffReport): string {
  const lines = [`## Parity: synthesized changes against \`${report.base}\``, ''];
  const changed = report.environments.filter((e) => e.terraform.length + e.kubernetes.length + e.otherFiles.length > 0);
  if (changed.length === 0) return `${lines.join('\n')}No changes to the synthesized output.\n`;
  lines.push('| environment | Terraform (+/-/~) | Kubernetes (+/-/~) | other files | risks |', '| --- | --- | --- | --- | --- |');
  for (const e of changed) {
    lines.push(
      `| ${e.environment} | ${count(e.terraform)} | ${count(e.kubernetes)} | ${e.otherFiles.length} | ${report.risks.filter((r) => r.environment === e.environment).length} |`,
    );
  }
  lines.push('');
  if (report.risks.length) {
    lines.push('### ⚠️ Risks', '');
    for (const r of report.risks) lines.push(`- **${r.kind}** \`${r.environment}\` \`${r.id}\`: ${r.reason}`);
    lines.push('');
  }
  for (const e of changed) {
    lines.push(`### ${e.environment}`, '');
    if (e.terraform.length) lines.push('#### Terraform', '', ...items(e.terraform), '');
    if (e.kubernetes.length) lines.push('#### Kubernetes', '', ...items(e.kubernetes), '');
    if (e.otherFiles.length) lines.push('#### Other files', '', ...e.otherFiles.map((f) => `- \`${f}\``), '');
  }
  return `${lines.join('\n')}\n`;
}

export function diffJson(report: DiffReport): string {
  const strip = (c: ItemChange) => ({ id: c.id, kind: c.kind, change: c.change, type: c.type, fields: c.fields });
  return `${JSON.stringify({ base: report.base, risks: report.risks, environments: report.environments.map((e) => ({ ...e, terraform: e.terraform.map(strip), kubernetes: e.kubernetes.map(strip) })) }, null, 2)}\n`;
}
