import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Worker } from 'worker_threads';
import { LoadedEnvironment } from '../load';
import { JobResult, runEnvironmentJob } from './job';

export interface PoolOptions {
  readonly environmentsDir: string;
  /** Every environment of the directory: peers shape a shared tailnet's policy. */
  readonly all: ReadonlyArray<LoadedEnvironment>;
  /** The environments to synthesize now. */
  readonly names: ReadonlyArray<string>;
  /** Threads; 1 runs in this thread. */
  readonly workers: number;
  readonly onResult?: (result: JobResult) => void;
}

/** Scratch space for the cdktf/cdk8s synthesizers: memory-backed where the machine has it. */
function scratchRoot(): string {
  const base = fs.existsSync('/dev/shm') ? '/dev/shm' : os.tmpdir();
  try {
    return fs.mkdtempSync(path.join(base, 'parity-synth-'));
  } catch {
    return fs.mkdtempSync(path.join(os.tmpdir(), 'parity-synth-'));
  }
}

/**
 * Runs the environment jobs on a bounded pool: this thread plus `workers - 1` worker threads, each
 * taking the next environment when it is done with one. Results come back in `names` order, so the
 * output does not depend on which thread finished first.
 */
export async function runJobs(opts: PoolOptions): Promise<JobResult[]> {
  const scratch = scratchRoot();
  try {
    const results = new Map<string, JobResult>();
    const queue = [...opts.names];
    const threads = Math.max(1, Math.min(opts.workers, opts.names.length)) - 1;
    const peers = opts.all.map((l) => l.env);
    const done = (result: JobResult) => {
      results.set(result.environment, result);
      opts.onResult?.(result);
    };
    // This thread is one of the runners; the others are worker threads taking the next name when free.
    const here = async () => {
      for (let name = queue.shift(); name; name = queue.shift()) {
        done(
          await runEnvironmentJob(
            opts.all.find((l) => l.env.name === name)!,
            peers,
            scratch,
          ),
        );
        // Let the workers' results in between jobs, so they get their next name without waiting.
        await new Promise((r) => setImmediate(r));
      }
    };
    await Promise.all([here(), ...Array.from({ length: threads }, () => inWorker(opts.environmentsDir, scratch, queue, done))]);
    return opts.names.map((n) => results.get(n)!);
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}

/** One worker thread that takes names from the shared queue until it is empty. */
function inWorker(environmentsDir: string, scratch: string, queue: string[], done: (r: JobResult) => void): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const w = new Worker(path.join(__dirname, 'worker.js'), { workerData: { environmentsDir, scratchRoot: scratch } });
    const next = () => {
      const name = queue.shift();
      if (name) w.postMessage(name);
      else void w.terminate().then(() => resolve());
    };
    w.on('message', (m: { name: string; result?: JobResult; error?: string }) => {
      if (m.error !== undefined) {
        void w.terminate();
        return reject(new Error(m.error));
      }
      done(m.result!);
      next();
    });
    w.on('error', reject);
    w.on('online', next);
  });
}
