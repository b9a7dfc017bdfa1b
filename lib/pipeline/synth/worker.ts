import '../../core/compile-cache';
import { parentPort, workerData } from 'worker_threads';
import { loadEnvironments } from '../load';
import { runEnvironmentJob } from './job';

/**
 * A synth worker: loads the environment directory once, then runs the job of each environment the
 * pool sends, one at a time, and posts back its result (or the error, as text).
 */
const { environmentsDir, scratchRoot } = workerData as { environmentsDir: string; scratchRoot: string };
const all = loadEnvironments(environmentsDir);
const peers = all.map((l) => l.env);

parentPort!.on('message', (name: string) => {
  const loaded = all.find((l) => l.env.name === name);
  const job = loaded ? runEnvironmentJob(loaded, peers, scratchRoot) : Promise.reject(new Error(`no environment ${name}`));
  job.then(
    (result) => parentPort!.postMessage({ name, result }),
    (err: unknown) => parentPort!.postMessage({ name, error: err instanceof Error ? err.message : String(err) }),
  );
});
