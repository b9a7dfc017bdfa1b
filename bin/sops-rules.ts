#!/usr/bin/env node
import '../lib/core/compile-cache';
import * as fs from 'fs';
import * as path from 'path';
import { Command } from 'commander';
import { runCli } from '../lib/pipeline/cli';
import { loadEnvironments } from '../lib/pipeline/load';
import { sopsCreationRules } from '../lib/core/sops';

const program = new Command()
  .name('parity-sops-rules')
  .description(
    "Write .sops.yaml (beside the environments' directory): one creation rule per environment with gitops.sops, encrypting " +
      '<environments>/secrets/<env>/*.enc.yaml to Argo CD, the CI key and every operator',
  )
  .option('-e, --environments <dir>', 'directory of <env>.yaml files', 'environments')
  .option('--check', 'write nothing; exit 1 when .sops.yaml differs from the environments')
  .parse();

const opts = program.opts<{ environments: string; check?: boolean }>();

runCli(() => {
  const dir = path.resolve(opts.environments);
  const file = path.join(path.dirname(dir), '.sops.yaml');
  const rules = sopsCreationRules(
    loadEnvironments(dir).map((l) => l.env),
    path.basename(dir),
  );
  const current = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : undefined;
  if (current === rules) {
    console.log(`${path.basename(file)} is up to date`);
    return 0;
  }
  if (opts.check) throw new Error(`${file} differs from the environments' gitops.sops keys: run npm run sops-rules`);
  if (rules) fs.writeFileSync(file, rules);
  else fs.rmSync(file);
  console.log(rules ? `wrote ${file}` : `removed ${file}: no environment keeps static secrets`);
  return 0;
});
