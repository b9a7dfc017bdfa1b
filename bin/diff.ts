#!/usr/bin/env node
import '../lib/core/compile-cache';
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Command } from 'commander';
import { runCli } from '../lib/pipeline/cli';
import { diffTrees } from '../lib/pipeline/review/diff';
import { diffJson, diffMarkdown } from '../lib/pipeline/review/report';
import { assessRisks } from '../lib/pipeline/review/risks';
import { readTree } from '../lib/pipeline/synth/atomic-dir';
import { synthesizeAll } from '../lib/pipeline/synth/pipeline';

const opts = new Command()
  .name('parity-diff')
  .description('Semantic diff of the synthesized output: <base> (its committed dist/) against the working tree')
  .requiredOption('-b, --base <ref>', 'git revision to compare against, e.g. origin/main')
  .option('-f, --format <format>', 'md or json', 'md')
  .option('-o, --out <file>', 'write the report to a file instead of stdout')
  .option('-e, --environments <dir>', 'directory of <env>.yaml files', 'environments')
  .option('-C, --repo <dir>', 'git repository holding dist/ at <base>', '.')
  .parse()
  .opts<{ base: string; format: string; out?: string; environments: string; repo: string }>();

/** dist/ as committed at the base revision, read with git archive: no checkout, no network. */
function committedDist(repo: string, ref: string): Map<string, string> {
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'parity-diff-'));
  try {
    const listed = execFileSync('git', ['-C', repo, 'ls-tree', '--name-only', ref, 'dist'], { encoding: 'utf8' }).trim();
    if (!listed) return new Map();
    const tar = execFileSync('git', ['-C', repo, 'archive', '--format=tar', ref, 'dist'], { maxBuffer: 512 * 1024 * 1024 });
    execFileSync('tar', ['-x', '-C', scratch], { input: tar });
    return readTree(path.join(scratch, 'dist'));
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}

runCli(() => {
  const started = process.hrtime.bigint();
  let before: Map<string, string>;
  try {
    before = committedDist(opts.repo, opts.base);
  } catch (e) {
    throw new Error(`cannot read dist/ at "${opts.base}" in ${path.resolve(opts.repo)}: ${(e as Error).message.split('\n')[0]}`, { cause: e });
  }
  const { files: after, models } = synthesizeAll({ environmentsDir: opts.environments });
  const production = new Set(models.filter((m) => m.env.production).map((m) => m.env.name));
  const environments = diffTrees(before, after);
  const risks = environments.flatMap((e) => assessRisks(e, production.has(e.environment)));
  const report = { base: opts.base, environments, risks };
  const text = opts.format === 'json' ? diffJson(report) : diffMarkdown(report);
  if (opts.out) fs.writeFileSync(opts.out, text);
  else process.stdout.write(text);
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  process.stderr.write(`diff against ${opts.base}: ${risks.length} risk(s), ${ms.toFixed(0)} ms\n`);
  // 2 = risky changes found (a reviewer must look), 1 = the diff itself failed, 0 = nothing risky.
  return risks.length > 0 ? 2 : 0;
});
