import * as fs from 'fs';
import * as path from 'path';
import { K8sObject } from '../../core/k8s-objects';
import { Environment } from '../../core/model/schema';
import { ExceptedFinding, checkEnvironments, terraformStacks } from '../guardrails/check';
import { Finding } from '../guardrails/finding';
import { LoadedEnvironment } from '../load';
import { rehearse } from '../rehearsal/rehearse';
import { synthesizeEnvironment } from './pipeline';

/** Everything synth produces and decides for one environment; plain data, so it crosses threads and caches. */
export interface JobResult {
  readonly environment: string;
  readonly substrate: string;
  /** Files under dist/, keyed by path relative to it. */
  readonly files: ReadonlyArray<readonly [string, string]>;
  /** Guardrail and rehearsal findings after the environment's exceptions. */
  readonly findings: Finding[];
  readonly excepted: ExceptedFinding[];
  readonly timings: { readonly synthMs: number; readonly guardrailsMs: number; readonly rehearsalMs: number };
}

const since = (t: bigint) => Number(process.hrtime.bigint() - t) / 1e6;

/**
 * Synthesizes one environment, rehearses its first deploy and runs the guardrails on it. Environments
 * are independent here (peers only shape a shared tailnet's policy), so jobs run in any order or thread.
 */
export async function runEnvironmentJob(loaded: LoadedEnvironment, peers: ReadonlyArray<Environment>, scratchRoot: string): Promise<JobResult> {
  const env = loaded.env;
  const files = new Map<string, string>();
  const objects: K8sObject[] = [];
  const scratch = fs.mkdtempSync(path.join(scratchRoot, `${env.name}-`));
  let t = process.hrtime.bigint();
  let model;
  try {
    model = synthesizeEnvironment(loaded, scratch, files, peers, objects);
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
  const synthMs = since(t);
  t = process.hrtime.bigint();
  const rehearsal = rehearse({ model, objects, stacks: terraformStacks(files, env.name), files });
  const rehearsalMs = since(t);
  const check = await checkEnvironments([env], files, new Map([[env.name, objects]]), rehearsal);
  return {
    environment: env.name,
    substrate: model.substrate.kind,
    files: [...files].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
    findings: check.findings,
    excepted: check.excepted,
    timings: { synthMs, guardrailsMs: check.durationMs, rehearsalMs },
  };
}
