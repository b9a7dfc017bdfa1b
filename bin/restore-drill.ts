#!/usr/bin/env node
import '../lib/core/compile-cache';
import * as os from 'os';
import * as path from 'path';
import { Command } from 'commander';
import { runCli } from '../lib/pipeline/cli';
import { restoreDrill, runRestoreDrill } from '../lib/pipeline/deploy/restore-drill';
import { processRuntime } from '../lib/pipeline/deploy/run';
import { synthesizeAll } from '../lib/pipeline/synth/pipeline';

const program = new Command()
  .name('parity-restore-drill')
  .description("Restore the latest scheduled backup of an environment's app namespaces into scratch copies, check they come up, remove them")
  .requiredOption('--env <name>', 'the environment whose cluster kubectl points at')
  .option('-e, --environments <dir>', 'directory of <env>.yaml files', 'environments')
  .option('--namespace <name...>', 'namespaces to restore (default: those of the apps)')
  .option('--keep', 'keep the scratch namespaces for inspection')
  .option('--plan', 'print the Restore object, run nothing')
  .parse();

const opts = program.opts<{ env: string; environments: string; namespace?: string[]; keep?: boolean; plan?: boolean }>();

runCli(async () => {
  const result = synthesizeAll({ environmentsDir: opts.environments, only: [opts.env] });
  const model = result.models.find((m) => m.env.name === opts.env);
  if (!model) throw new Error(`--env: found "${opts.env}"; expected an environment of ${opts.environments}`);
  const drill = restoreDrill(model.env, result.objects.get(opts.env) ?? [], { namespaces: opts.namespace, now: new Date() });
  if (opts.plan) {
    console.log(JSON.stringify(drill.manifest, null, 2));
    return 0;
  }
  return runRestoreDrill(drill, processRuntime(), { manifestFile: path.join(os.tmpdir(), `${drill.name}.yaml`), keep: opts.keep });
});
