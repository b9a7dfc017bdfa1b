#!/usr/bin/env node
/**
 * What synthesis costs, measured for the whole process from spawn to exit: Parity's synth (with its
 * guardrails and rehearsal, never from the cache) on the shipped environments and on 10, 30 and 100
 * generated copies, and the `cdktf synth` + `cdk8s synth` CLI pair on the shipped ones. Peak memory is
 * the sum of the resident set of the whole process tree, sampled from /proc.
 */
import { spawn } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Command } from 'commander';
import { REPO_ROOT } from '../lib/core/paths';
import { runCli } from '../lib/pipeline/cli';

interface Measurement {
  readonly wallMs: number;
  readonly peakRssMb: number;
  readonly stdout?: string;
}

function treeRssKb(root: number): number {
  let total = 0;
  const stack = [root];
  while (stack.length > 0) {
    const pid = stack.pop()!;
    try {
      const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
      total += Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
      for (const task of fs.readdirSync(`/proc/${pid}/task`)) {
        const children = fs.readFileSync(`/proc/${pid}/task/${task}/children`, 'utf8').trim();
        if (children) stack.push(...children.split(/\s+/).map(Number));
      }
    } catch {
      // The process exited between listing and reading: it holds no memory any more.
    }
  }
  return total;
}

function measure(command: string, args: string[], env: NodeJS.ProcessEnv): Promise<Measurement> {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const child = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    let stdout = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    let peakKb = 0;
    const timer = setInterval(() => (peakKb = Math.max(peakKb, treeRssKb(child.pid!))), 5);
    child.on('error', reject);
    child.on('exit', (code) => {
      clearInterval(timer);
      const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
      if (code !== 0) reject(new Error(`${command} ${args.join(' ')} exited with ${code}:\n${stderr}`));
      else resolve({ wallMs, peakRssMb: peakKb / 1024, stdout });
    });
  });
}

/** The run with the median wall time (its own output with it), and the highest peak of all runs. */
async function series(runs: number, f: () => Promise<Measurement>): Promise<Measurement> {
  const results: Measurement[] = [];
  for (let i = 0; i < runs; i++) results.push(await f());
  const median = [...results].sort((a, b) => a.wallMs - b.wallMs)[Math.floor(results.length / 2)];
  return { wallMs: median.wallMs, peakRssMb: Math.max(...results.map((r) => r.peakRssMb)), stdout: median.stdout };
}

const opts = new Command()
  .option('--runs <n>', 'runs per variant on 3 and 10 environments (median wall time, max peak memory); 30 and 100 run once', '3')
  .option('--budget-ms <n>', 'wall-time budget for Parity synth of the shipped environments', '3000')
  .option('--budget-mb <n>', 'peak-memory budget for 100 environments', '1024')
  .option('--max-scale <x>', 'allowed wall-time ratio of 100 to 10 environments', '10')
  .option('--min-speedup <x>', 'required speed-up over the CLI pair on the shipped environments', '4')
  .parse()
  .opts<{ runs: string; budgetMs: string; budgetMb: string; maxScale: string; minSpeedup: string }>();

// eslint-disable-next-line @typescript-eslint/no-require-imports -- a plain script shared with the tests and the command line
const { generateEnvironments } = require(path.join(REPO_ROOT, 'scripts', 'generate-environments.js')) as {
  generateEnvironments(count: number, dir: string): void;
};

runCli(async () => {
  const runs = Number(opts.runs);
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'parity-bench-'));
  const env = { ...process.env, CHECKPOINT_DISABLE: '1', CI: '1', FORCE_COLOR: '0' };
  const bin = (name: string) => path.join(REPO_ROOT, 'node_modules', '.bin', name);
  const synth = (dir: string, n: number) =>
    series(n, () =>
      measure(process.execPath, [path.join(REPO_ROOT, 'build/bin/synth.js'), '-e', dir, '--out', path.join(scratch, 'dist'), '--force'], env),
    );
  try {
    const shippedDir = path.join(REPO_ROOT, 'environments');
    const shipped = fs.readdirSync(shippedDir).filter((f) => /\.ya?ml$/.test(f)).length;
    const sizes: Array<{ count: number; dir: string; m?: Measurement }> = [
      { count: shipped, dir: shippedDir },
      ...[10, 30, 100].map((count) => ({ count, dir: path.join(scratch, `envs-${count}`) })),
    ];
    for (const s of sizes) {
      if (s.dir !== shippedDir) generateEnvironments(s.count, s.dir);
      s.m = await synth(s.dir, s.count <= 10 ? runs : 1);
    }
    const at = (count: number) => sizes.find((s) => s.count === count)!.m!;
    const printed = (m: Measurement) => Number(/ in (\d+) ms/.exec(m.stdout ?? '')?.[1] ?? NaN);
    const cdktf = await series(runs, () => measure(bin('cdktf'), ['synth', '--output', path.join(scratch, 'cdktf.out')], env));
    const cdk8s = await series(runs, () => measure(bin('cdk8s'), ['synth', '--no-check-upgrade', '--output', path.join(scratch, 'cdk8s.out')], env));
    const pair = { wallMs: cdktf.wallMs + cdk8s.wallMs, peakRssMb: Math.max(cdktf.peakRssMb, cdk8s.peakRssMb) };
    // The CLIs validate nothing: compare the same work, Parity without its guardrails and rehearsal (the CLIs synthesize the shipped environments too).
    const checkMs = (m: Measurement) =>
      Number(/guardrails (\d+) ms/.exec(m.stdout ?? '')?.[1] ?? 0) + Number(/rehearsal (\d+) ms/.exec(m.stdout ?? '')?.[1] ?? 0);
    const speedup = pair.wallMs / (at(shipped).wallMs - checkMs(at(shipped)));
    const scale = at(100).wallMs / at(10).wallMs;
    const checks = [
      { ok: at(shipped).wallMs <= Number(opts.budgetMs), text: `shipped environments ${at(shipped).wallMs.toFixed(0)} ms ≤ ${opts.budgetMs} ms` },
      { ok: scale <= Number(opts.maxScale), text: `100 environments cost ${scale.toFixed(1)}× 10 environments ≤ ${opts.maxScale}×` },
      { ok: at(100).peakRssMb <= Number(opts.budgetMb), text: `100 environments peak ${at(100).peakRssMb.toFixed(0)} MB ≤ ${opts.budgetMb} MB` },
      ...sizes.map((s) => {
        const off = Math.abs(printed(s.m!) - s.m!.wallMs) / s.m!.wallMs;
        return {
          ok: off <= 0.1,
          text: `${s.count} environments: printed time ${printed(s.m!)} ms within 10% of the process wall time (${(off * 100).toFixed(0)}%)`,
        };
      }),
      {
        ok: speedup >= Number(opts.minSpeedup),
        text: `${speedup.toFixed(1)}× faster than the cdktf + cdk8s CLI pair on the shipped environments for the same work (≥ ${opts.minSpeedup}×), ${(pair.wallMs / at(shipped).wallMs).toFixed(1)}× with guardrails and rehearsal`,
      },
    ];
    const row = (label: string, count: number, m: Measurement) =>
      `| ${label} | ${m.wallMs.toFixed(0)} | ${m.peakRssMb.toFixed(0)} | ${(m.wallMs / count).toFixed(0)} | ${printed(m) || '-'} |`;
    process.stdout.write(
      [
        `whole process from spawn to exit, ${os.availableParallelism()} cores; median of ${runs} runs for ${shipped} and 10 environments, one run for 30 and 100`,
        '',
        '| variant | wall ms | peak RSS MB | ms per environment | printed ms |',
        '| --- | --- | --- | --- | --- |',
        ...sizes.map((s) => row(`parity synth, ${s.count} environments${s.dir === shippedDir ? ' (shipped)' : ''}`, s.count, s.m!)),
        `| cdktf synth (CLI), ${shipped} environments | ${cdktf.wallMs.toFixed(0)} | ${cdktf.peakRssMb.toFixed(0)} | ${(cdktf.wallMs / shipped).toFixed(0)} | - |`,
        `| cdk8s synth (CLI), ${shipped} environments | ${cdk8s.wallMs.toFixed(0)} | ${cdk8s.peakRssMb.toFixed(0)} | ${(cdk8s.wallMs / shipped).toFixed(0)} | - |`,
        `| cdktf + cdk8s CLIs together | ${pair.wallMs.toFixed(0)} | ${pair.peakRssMb.toFixed(0)} | ${(pair.wallMs / shipped).toFixed(0)} | - |`,
        '',
        ...checks.map((c) => `${c.ok ? 'PASS' : 'FAIL'} ${c.text}`),
        '',
      ].join('\n'),
    );
    return checks.every((c) => c.ok) ? 0 : 1;
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
});
