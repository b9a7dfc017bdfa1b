#!/usr/bin/env node
import '../lib/core/compile-cache';
import { Command } from 'commander';
import { runCli } from '../lib/pipeline/cli';
import { bumpImage } from '../lib/pipeline/review/bump-image';

const program = new Command()
  .name('parity-bump-image')
  .description("Write a newly built image's tag (and digest) into an environment file; `npm run synth` carries it into dist/")
  .requiredOption('--env <name>', 'the environment to update')
  .requiredOption('--app <id>', 'the app whose image it is (axiom-platform, ...)')
  .requiredOption('--image <key>', "the key under the app's images: (backend, migrations, ...)")
  .requiredOption('--tag <tag>', 'the tag CI pushed (the commit SHA)')
  .option('--digest <sha256>', 'the digest CI recorded (required where the environment pins digests)')
  .option('--namespace <name>', 'which entry, where the app runs in more than one namespace')
  .option('-e, --environments <dir>', 'directory of <env>.yaml files', 'environments')
  .option('--dry-run', 'print the updated file instead of writing it')
  .parse();

const opts = program.opts<{
  env: string;
  app: string;
  image: string;
  tag: string;
  digest?: string;
  namespace?: string;
  environments: string;
  dryRun?: boolean;
}>();

runCli(() => {
  const r = bumpImage(opts.environments, opts, { write: !opts.dryRun });
  if (opts.dryRun) process.stdout.write(r.text);
  else process.stderr.write(`${r.file}: ${opts.app} ${opts.image} ${r.before} -> ${r.after}\n`);
  return 0;
});
