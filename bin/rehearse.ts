#!/usr/bin/env node
import { Command } from 'commander';
import { runCli } from '../lib/cli';
import { applyExceptions } from '../lib/guardrails/check';
import { formatReport, reportJson } from '../lib/guardrails/report';
import { rehearseAll } from '../lib/rehearsal';
import { synthesizeAll } from '../lib/synth/pipeline';

const program = new Command()
  .name('parity-rehearse')
  .description('Replay the first deploy of each environment on an empty cluster and report where it would stop converging')
  .option('-e, --environments <dir>', 'directory of <env>.yaml files', 'environments')
  .option('--env <names...>', 'only these environments')
  .option('--report <format>', 'text or json', 'text')
  .parse();

const opts = program.opts<{ environments: string; env?: string[]; report: string }>();

runCli(async () => {
  const result = synthesizeAll({ environmentsDir: opts.environments, only: opts.env });
  const { findings: all, durationMs } = rehearseAll(result);
  // The environment's accepted exceptions apply here as at synth.
  const split = result.models.map((m) => applyExceptions(m.env, all.filter((f) => f.environment === m.env.name)));
  const findings = split.flatMap((s) => s.findings);
  const excepted = split.flatMap((s) => s.excepted);
  const check = { findings, excepted, environments: result.models.map((m) => m.env.name), durationMs };
  process.stdout.write(opts.report === 'json' ? reportJson(check) : formatReport(check).replace(/^guardrails:/m, 'rehearsal:'));
  return findings.some((f) => f.severity === 'error') ? 1 : 0;
});
