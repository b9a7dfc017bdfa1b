#!/usr/bin/env node
/** Entry point for `cdktf synth|deploy|diff <stack>` (see cdktf.json): every environment's stacks in one app. */
import '../lib/core/compile-cache';
import { runCli } from '../lib/pipeline/cli';
import { ManifestApp } from '../lib/core/facade/k8s';
import { TerraformApp } from '../lib/core/facade/tf';
import { loadEnvironments } from '../lib/pipeline/load';
import { buildEnvironment } from '../stacks/environment';

runCli(() => {
  // The CLI passes its output directory and context through CDKTF_* variables, which App reads itself.
  const app = new TerraformApp({ stackTraces: false });
  const envs = loadEnvironments(process.env.PARITY_ENVIRONMENTS ?? 'environments').map((l) => l.env);
  for (const env of envs) buildEnvironment(env, app, new ManifestApp({ outdir: 'cdk8s.out' }), envs);
  app.synth();
  return 0;
});
