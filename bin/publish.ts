#!/usr/bin/env node
import '../lib/core/compile-cache';
import { execFileSync } from 'child_process';
import * as path from 'path';
import { Command } from 'commander';
import { runCli } from '../lib/pipeline/cli';
import { loadEnvironments } from '../lib/pipeline/load';
import { publish } from '../lib/pipeline/review/publish';

const opts = new Command()
  .name('parity-publish')
  .description("Write dist/<env> into the environment's GitOps repository (gitops.repoURL, branch, path)")
  .requiredOption('--env <name>', 'environment to publish')
  .option('--dist <dir>', 'synthesized output', 'dist')
  .option('-e, --environments <dir>', 'directory of <env>.yaml files', 'environments')
  .option('--repo-url <url>', 'override gitops.repoURL (e.g. a local mirror)')
  .option('--branch <name>', 'override gitops.branch')
  .option('--source-sha <sha>', 'commit of the Parity sources (default: git rev-parse HEAD)')
  .parse()
  .opts<{ env: string; dist: string; environments: string; repoUrl?: string; branch?: string; sourceSha?: string }>();

function sourceSha(): string {
  const sha = execFileSync('git', ['rev-parse', 'HEAD'], { encoding: 'utf8' }).trim();
  const dirty = execFileSync('git', ['status', '--porcelain', '--', 'environments', 'dist'], { encoding: 'utf8' }).trim();
  return dirty ? `${sha}-dirty` : sha;
}

runCli(() => {
  const loaded = loadEnvironments(opts.environments).find((l) => l.env.name === opts.env);
  if (!loaded) throw new Error(`no environment "${opts.env}" in ${opts.environments}/`);
  const { gitops } = loaded.env;
  const result = publish({
    environment: opts.env,
    source: path.join(opts.dist, opts.env),
    repoURL: opts.repoUrl ?? gitops.repoURL,
    branch: opts.branch ?? gitops.branch,
    path: gitops.path,
    sourceSha: opts.sourceSha ?? sourceSha(),
  });
  process.stdout.write(
    result.committed
      ? `published ${opts.env} as ${result.commit} (${result.summary}; ${result.attempts} push attempt(s))\n`
      : `${opts.env}: ${result.summary}, nothing to publish\n`,
  );
  return 0;
});
