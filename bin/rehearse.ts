#!/usr/bin/env node
import '../lib/core/compile-cache';
import { Command } from 'commander';
import { runCli } from '../lib/pipeline/cli';
import { applyExceptions, terraformStacks } from '../lib/pipeline/guardrails/check';
import { formatReport, reportJson } from '../lib/pipeline/guardrails/report';
import { rehearseAll } from '../lib/pipeline/rehearsal';
import { crossCheck, findAssets, rehearseLive } from '../lib/pipeline/rehearsal/live';
import { synthesizeAll } from '../lib/pipeline/synth/pipeline';

const program = new Command()
  .name('parity-rehearse')
  .description('Replay the first deploy of each environment on an empty cluster and report where it would stop converging')
  .option('-e, --environments <dir>', 'directory of <env>.yaml files', 'environments')
  .option('--env <names...>', 'only these environments')
  .option('--live', 'also apply each environment to a real control plane (KUBEBUILDER_ASSETS, else ../shared/envtest) and cross-check the two')
  .option('--report <format>', 'text or json', 'text')
  .parse();

const opts = program.opts<{ environments: string; env?: string[]; report: string; live?: boolean }>();

runCli(async () => {
  const result = synthesizeAll({ environmentsDir: opts.environments, only: opts.env });
  const { findings: all, durationMs } = rehearseAll(result);
  // The environment's accepted exceptions apply here as at synth.
  const split = result.models.map((m) =>
    applyExceptions(
      m.env,
      all.filter((f) => f.environment === m.env.name),
    ),
  );
  const findings = split.flatMap((s) => s.findings);
  const excepted = split.flatMap((s) => s.excepted);

  const notes: string[] = [];
  if (opts.live) {
    const assets = findAssets();
    if ('missing' in assets) throw new Error(assets.missing);
    const started = process.hrtime.bigint();
    // Environments run side by side, each on its own plane.
    const results = await Promise.all(
      result.models.map((model) =>
        rehearseLive(
          { model, objects: result.objects.get(model.env.name) ?? [], stacks: terraformStacks(result.files, model.env.name) },
          { assets: assets.dir },
        ),
      ),
    );
    for (const r of results) {
      const model = result.models.find((m) => m.env.name === r.environment)!;
      const live = applyExceptions(model.env, r.findings);
      findings.push(...live.findings);
      excepted.push(...live.excepted);
      const t = r.timings;
      notes.push(
        `live [${r.environment}]: ${r.counts.objects} objects in ${r.counts.steps} steps on ${r.counts.nodes} nodes, ${r.counts.scheduled}/${r.counts.pods} pods scheduled; start ${t.start.toFixed(1)} s, apply ${t.apply.toFixed(1)} s, wait ${t.wait.toFixed(1)} s, stop ${t.stop.toFixed(1)} s`,
        ...r.notCovered.map((n) => `  not covered: ${n}`),
        ...crossCheck(
          r.findings,
          all.filter((f) => f.environment === r.environment),
        ).map((d) => `  model disagrees: ${d}`),
      );
    }
    notes.push(`live: ${(Number(process.hrtime.bigint() - started) / 1e9).toFixed(1)} s for ${results.length} environment(s)`);
  }
  const check = { findings, excepted, environments: result.models.map((m) => m.env.name), durationMs };
  if (opts.report === 'json') process.stdout.write(reportJson(check));
  else process.stdout.write(formatReport(check).replace(/^guardrails:/m, 'rehearsal:') + (notes.length ? `\n${notes.join('\n')}\n` : ''));
  const disagreements = notes.filter((n) => n.startsWith('  model disagrees')).length;
  return findings.some((f) => f.severity === 'error') || disagreements ? 1 : 0;
});
