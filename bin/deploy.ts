#!/usr/bin/env node
import '../lib/core/compile-cache';
import { Command } from 'commander';
import { runCli } from '../lib/pipeline/cli';
import { terraformStacks } from '../lib/pipeline/guardrails/check';
import { deployPlan } from '../lib/pipeline/deploy/plan';
import { processRuntime, runDeploy } from '../lib/pipeline/deploy/run';
import { synthesizeAll } from '../lib/pipeline/synth/pipeline';

const program = new Command()
  .name('parity-deploy')
  .description('Deploy one environment from nothing, step by step as dist/<env>/DEPLOY.md describes')
  .requiredOption('--env <name>', 'the environment to deploy')
  .option('-e, --environments <dir>', 'directory of <env>.yaml files', 'environments')
  .option('--from <step>', 'start at this step (after a manual one)', (v) => Number(v), 1)
  .option('--to <step>', 'stop after this step', (v) => Number(v))
  .option('--plan', 'print the steps and their inputs, run nothing')
  .parse();

const opts = program.opts<{ env: string; environments: string; from: number; to?: number; plan?: boolean }>();

runCli(async () => {
  const result = synthesizeAll({ environmentsDir: opts.environments, only: [opts.env] });
  const model = result.models.find((m) => m.env.name === opts.env);
  if (!model)
    throw new Error(
      `--env: found "${opts.env}"; expected one of ${synthesizeAll({ environmentsDir: opts.environments })
        .models.map((m) => m.env.name)
        .join(', ')}`,
    );
  const stacks = terraformStacks(result.files, opts.env);
  const steps = deployPlan(model, stacks, result.objects.get(opts.env) ?? []);
  if (opts.plan) {
    steps.forEach((s, i) =>
      console.log(
        `${i + 1}. ${s.title}${s.manual ? ' (manual)' : ''}${s.inputs.length ? ` - inputs: ${s.inputs.map((x) => x.name).join(', ')}` : ''}`,
      ),
    );
    return 0;
  }
  const needsVault = (id: string) => Boolean(stacks.find((s) => s.stackId === id)?.json.provider?.vault);
  return runDeploy(opts.env, steps, needsVault, processRuntime(), { from: opts.from, to: opts.to });
});
