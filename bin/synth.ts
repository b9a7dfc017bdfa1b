#!/usr/bin/env node
import { Command } from 'commander';
import * as path from 'path';
import { runCli } from '../lib/pipeline/cli';
import { compareTree, readTree, replaceDirectory } from '../lib/pipeline/synth/atomic-dir';
import { checkEnvironments, hasErrors } from '../lib/pipeline/guardrails/check';
import { formatReport, reportJson } from '../lib/pipeline/guardrails/report';
import { synthesizeAll } from '../lib/pipeline/synth/pipeline';
import { rehearseAll } from '../lib/pipeline/rehearsal';

const program = new Command()
  .name('parity-synth')
  .description('Synthesize every environment to Terraform JSON and Kubernetes manifests under dist/')
  .option('-e, --environments <dir>', 'directory of <env>.yaml files', 'environments')
  .option('-o, --out <dir>', 'output directory, replaced atomically', 'dist')
  .option('--only <names...>', 'synthesize only these environments (with --check-only)')
  .option('--verify', 'do not write; fail if the output directory differs from a fresh synth')
  .option('--check-only', 'validate, synthesize and run the guardrails in memory; write nothing')
  .option('--report <format>', 'guardrail report format: text or json', 'text')
  .parse();

const opts = program.opts<{ environments: string; out: string; only?: string[]; verify?: boolean; checkOnly?: boolean; report: string }>();

runCli(async () => {
  const started = process.hrtime.bigint();
  if (opts.only?.length && !opts.checkOnly) throw new Error('--only would drop the other environments from the output; use it with --check-only');
  const { files, models, objects } = synthesizeAll({ environmentsDir: opts.environments, only: opts.only });
  const synthMs = Number(process.hrtime.bigint() - started) / 1e6;
  // The deploy rehearsal blocks the write like the guardrails: an environment that would not converge is not output.
  const rehearsal = rehearseAll({ files, models, objects });
  const check = await checkEnvironments(
    models.map((m) => m.env),
    files,
    objects,
    rehearsal.findings,
  );
  const guardrailsMs = check.durationMs;
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  const report = opts.report === 'json' ? reportJson(check) : formatReport(check);
  if (hasErrors(check)) {
    process.stderr.write(`${report}guardrails failed: nothing was written.\n`);
    return 1;
  }
  const summary = models.map(
    (m) => `${m.env.name} (${m.substrate.kind}): ${[...files.keys()].filter((f) => f.startsWith(`${m.env.name}/`)).length} files`,
  );

  if (opts.verify) {
    const diff = compareTree(files, readTree(opts.out));
    const stale = [
      ...diff.added.map((f) => `missing  ${f}`),
      ...diff.removed.map((f) => `stale    ${f}`),
      ...diff.changed.map((f) => `outdated ${f}`),
    ];
    if (stale.length > 0) {
      process.stderr.write(
        `${opts.out}/ is out of date with the sources (run \`npm run synth\` and commit):\n${stale.map((s) => `  ${s}`).join('\n')}\n`,
      );
      return 1;
    }
    process.stdout.write(`${opts.out}/ is up to date (${files.size} files)\n`);
    return 0;
  }
  if (opts.checkOnly) {
    process.stdout.write(report);
    return 0;
  }
  replaceDirectory(opts.out, files);
  process.stdout.write(
    `synthesized ${models.length} environments to ${path.normalize(opts.out)}/ in ${ms.toFixed(0)} ms (synth ${synthMs.toFixed(0)} ms, guardrails ${guardrailsMs.toFixed(0)} ms, rehearsal ${rehearsal.durationMs.toFixed(0)} ms)\n` +
      `${summary.map((s) => `  ${s}`).join('\n')}\n` +
      `guardrails: 0 errors, ${check.excepted.length} excepted; rehearsal: 0 findings\n`,
  );
  return 0;
});
