#!/usr/bin/env node
/**
 * Side-by-side cost of synthesizing every environment: Parity's in-process synth versus the
 * `cdktf synth` + `cdk8s synth` CLI pair on the same app. Peak memory is the sum of the resident
 * set of the whole process tree (the CLIs run the app in a child process), sampled from /proc.
 */
import { spawn } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Command } from 'commander';
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

async function series(runs: number, f: () => Promise<Measurement>): Promise<Measurement> {
  const results: Measurement[] = [];
  for (let i = 0; i < runs; i++) results.push(await f());
  const median = (xs: number[]) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  return {
    wallMs: median(results.map((r) => r.wallMs)),
    peakRssMb: Math.max(...results.map((r) => r.peakRssMb)),
    stdout: results.map((r) => r.stdout).join('\n'),
  };
}

const opts = new Command()
  .option('--runs <n>', 'runs per variant (median wall time, max peak memory)', '3')
  .option('--budget-ms <n>', 'wall-time budget for Parity synth', '3000')
  .option('--budget-mb <n>', 'peak-memory budget for Parity synth', '600')
  .option('--min-speedup <x>', 'required speed-up over the CLI pair', '4')
  .option('--budget-check-ms <n>', 'budget for the guardrails inside Parity synth', '1000')
  .parse()
  .opts<{ runs: string; budgetMs: string; budgetMb: string; minSpeedup: string; budgetCheckMs: string }>();

runCli(async () => {
  const runs = Number(opts.runs);
  const root = path.resolve(__dirname, '..', '..');
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'parity-bench-'));
  const env = { ...process.env, CHECKPOINT_DISABLE: '1', CI: '1', FORCE_COLOR: '0' };
  const bin = (name: string) => path.join(root, 'node_modules', '.bin', name);
  try {
    const parity = await series(runs, () =>
      measure(process.execPath, [path.join(root, 'build/bin/synth.js'), '--out', path.join(scratch, 'dist')], env),
    );
    const cdktf = await series(runs, () => measure(bin('cdktf'), ['synth', '--output', path.join(scratch, 'cdktf.out')], env));
    const cdk8s = await series(runs, () => measure(bin('cdk8s'), ['synth', '--no-check-upgrade', '--output', path.join(scratch, 'cdk8s.out')], env));
    const pair = { wallMs: cdktf.wallMs + cdk8s.wallMs, peakRssMb: Math.max(cdktf.peakRssMb, cdk8s.peakRssMb) };
    // synth prints "(synth N ms, guardrails M ms)" each run; report the median of the guardrail share.
    const checkMs = [...(parity.stdout ?? '').matchAll(/guardrails (\d+) ms\)/g)].map((m) => Number(m[1])).sort((a, b) => a - b);
    const guardrailsMs = checkMs[Math.floor(checkMs.length / 2)] ?? NaN;
    // The CLIs do not validate anything, so the speed-up compares the same work: Parity minus its guardrails.
    const sameWork = { wallMs: parity.wallMs - guardrailsMs, peakRssMb: parity.peakRssMb };
    const speedup = pair.wallMs / sameWork.wallMs;
    const row = (name: string, m: Measurement) => `| ${name} | ${m.wallMs.toFixed(0)} | ${m.peakRssMb.toFixed(0)} |`;
    const checks = [
      { ok: parity.wallMs <= Number(opts.budgetMs), text: `Parity synth ${parity.wallMs.toFixed(0)} ms ≤ ${opts.budgetMs} ms` },
      { ok: parity.peakRssMb <= Number(opts.budgetMb), text: `Parity peak ${parity.peakRssMb.toFixed(0)} MB ≤ ${opts.budgetMb} MB` },
      {
        ok: speedup >= Number(opts.minSpeedup),
        text: `speed-up over the CLI pair for the same work ${speedup.toFixed(1)}× ≥ ${opts.minSpeedup}× (${(pair.wallMs / parity.wallMs).toFixed(1)}× including guardrails)`,
      },
      {
        ok: guardrailsMs <= Number(opts.budgetCheckMs),
        text: `guardrails (schema, policy, secret scan) ${guardrailsMs} ms ≤ ${opts.budgetCheckMs} ms`,
      },
    ];
    process.stdout.write(
      [
        `all environments, ${os.cpus().length} cores, median of ${runs} runs (peak = max over runs, whole process tree)`,
        '',
        '| variant | wall ms | peak RSS MB |',
        '| --- | --- | --- |',
        row('parity synth + guardrails (in-process)', parity),
        row('parity synth without the guardrail phase', sameWork),
        row('cdktf synth (CLI)', cdktf),
        row('cdk8s synth (CLI)', cdk8s),
        row('cdktf + cdk8s CLIs together', pair),
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
