#!/usr/bin/env node
/** Entry point for `cdk8s synth` (see cdk8s.yaml): every environment's charts, one file per chart. */
import '../lib/core/compile-cache';
import { runCli } from '../lib/pipeline/cli';
import { ManifestApp } from '../lib/core/facade/k8s';
import { TerraformApp } from '../lib/core/facade/tf';
import * as os from 'os';
import * as path from 'path';
import { loadEnvironments } from '../lib/pipeline/load';
import { buildEnvironment } from '../stacks/environment';

runCli(() => {
  const app = new ManifestApp();
  const scratch = new TerraformApp({ outdir: path.join(os.tmpdir(), 'parity-cdk8s-unused-tf') });
  const envs = loadEnvironments(process.env.PARITY_ENVIRONMENTS ?? 'environments').map((l) => l.env);
  for (const env of envs) buildEnvironment(env, scratch, app, envs);
  app.synth();
  return 0;
});
