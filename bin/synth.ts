#!/usr/bin/env node
import '../lib/core/compile-cache';
import { Command } from 'commander';
import * as path from 'path';
import { performance } from 'perf_hooks';
import { REPO_ROOT } from '../lib/core/paths';
import { runCli } from '../lib/pipeline/cli';
import { compareTree, readTree, replaceDirectory } from '../lib/pipeline/synth/atomic-dir';
import { hasErrors } from '../lib/pipeline/guardrails/check';
import { formatReport, reportJson } from '../lib/pipeline/guardrails/report';
import { synthesizeAndCheck } from '../lib/pipeline/synth/run';

const program = new Command()
  .name('parity-synth')
  .description('Synthesize every environment to Terraform JSON and Kubernetes manifests under dist/')
  .option('-e, --environments <dir>', 'directory of <env>.yaml files', 'environments')
  .option('-o, --out <dir>', 'output directory, replaced atomically', 'dist')
  .option('--only <names...>', 'synthesize only these environments (with --check-only)')
  .option('--verify', 'do not write; fail if the output directory differs from a fresh synth (never uses the cache)')
  .option('--check-only', 'validate, synthesize and run the guardrails in memory; write nothing')
  .option('--report <format>', 'guardrail report format: text or json', 'text')
  .option('--workers <n>', 'worker threads (default: the cores available)')
  .option('--force', 're-synthesize every environment instead of reusing unchanged ones from the cache')
  .option('--cache <dir>', 'where results of unchanged environments are kept', path.join(REPO_ROOT, 'node_modules', '.cache', 'parity-synth'))
  .parse();

const opts = program.opts<{
  environments: string;
  out: string;
  only?: string[];
  verify?: boolean;
  checkOnly?: boolean;
  report: string;
  workers?: string;
  force?: boolean;
  cache: string;
}>();

/** On long runs (more environments than a team's handful), a line per environment; on a terminal, one line rewritten in place. */
function progress(done: number, total: number, environment: string, cached: boolean): void {
  if (total <= 8) return;
  const line = `[${done}/${total}] ${environment}${cached ? ' (unchanged)' : ''}`;
  if (process.stderr.isTTY) process.stderr.write(`\r\x1b[K${line}${done === total ? '\n' : ''}`);
  else process.stderr.write(`${line}\n`);
}

runCli(async () => {
  if (opts.only?.length && !opts.checkOnly) throw new Error('--only would drop the other environments from the output; use it with --check-only');
  const exact = opts.verify || opts.checkOnly || opts.force;
  const { files, check, environments, cpu } = await synthesizeAndCheck({
    environmentsDir: opts.environments,
    only: opts.only,
    workers: opts.workers ? Number(opts.workers) : undefined,
    cacheDir: exact ? undefined : opts.cache,
    onProgress: progress,
  });
  const report = opts.report === 'json' ? reportJson(check) : formatReport(check);
  // The deploy rehearsal blocks the write like the guardrails: an environment that would not converge is not output.
  if (hasErrors(check)) {
    process.stderr.write(`${report}guardrails failed: nothing was written.\n`);
    return 1;
  }

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
  await replaceDirectory(opts.out, files);
  const fresh = environments.filter((e) => !e.cached).length;
  // Wall time of the whole process, from its start (module loading included) to the end of the write.
  const wallMs = performance.now();
  process.stdout.write(
    `synthesized ${environments.length} environments to ${path.normalize(opts.out)}/ in ${wallMs.toFixed(0)} ms ` +
      `(${fresh} synthesized, ${environments.length - fresh} unchanged; summed over threads: synth ${cpu.synthMs.toFixed(0)} ms, ` +
      `guardrails ${cpu.guardrailsMs.toFixed(0)} ms, rehearsal ${cpu.rehearsalMs.toFixed(0)} ms)\n` +
      `${environments.map((e) => `  ${e.name} (${e.substrate}): ${e.files} files`).join('\n')}\n` +
      `guardrails: 0 errors, ${check.excepted.length} excepted; rehearsal: 0 findings\n`,
  );
  return 0;
});
