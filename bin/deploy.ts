#!/usr/bin/env node
import { spawn } from 'child_process';
import * as net from 'net';
import { Command } from 'commander';
import { runCli } from '../lib/pipeline/cli';
import { terraformStacks } from '../lib/pipeline/guardrails/check';
import { deployPlan } from '../lib/pipeline/deploy/plan';
import { DeployRuntime, runDeploy } from '../lib/pipeline/deploy/run';
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

/** Resolves once something listens on 127.0.0.1:port, or rejects after 30 s. */
function listening(port: number): Promise<void> {
  const deadline = Date.now() + 30_000;
  return new Promise((resolve, reject) => {
    const attempt = () => {
      const socket = net.connect(port, '127.0.0.1', () => {
        socket.end();
        resolve();
      });
      socket.on('error', () =>
        Date.now() > deadline ? reject(new Error(`nothing listens on 127.0.0.1:${port} after 30 s`)) : setTimeout(attempt, 500),
      );
    };
    attempt();
  });
}

const runtime: DeployRuntime = {
  env: process.env,
  run: (command, args) =>
    new Promise((resolve) => {
      spawn(command, [...args], { stdio: 'inherit', env: { ...process.env, CHECKPOINT_DISABLE: '1' } }).on('exit', (code) => resolve(code ?? 1));
    }),
  background: async (command, args, port) => {
    const child = spawn(command, [...args], { stdio: 'ignore' });
    await listening(port);
    return () => child.kill();
  },
  log: (line) => console.log(line),
};

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
  return runDeploy(opts.env, steps, needsVault, runtime, { from: opts.from, to: opts.to });
});
