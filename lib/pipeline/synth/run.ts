import * as os from 'os';
import { CheckResult } from '../guardrails/check';
import { loadEnvironments } from '../load';
import { SynthCache, jobKey, sourcesHash } from './cache';
import { JobResult } from './job';
import { runJobs } from './pool';

export interface RunOptions {
  readonly environmentsDir: string;
  /** Only these environments; all when empty. */
  readonly only?: ReadonlyArray<string>;
  /**
   * Runners (this thread and worker threads). Each worker thread loads Parity and every environment
   * file before its first job (about a second), which two cores win back only on long runs.
   * @default the available cores from 50 environments on, else 1
   */
  readonly workers?: number;
  /** Where results of earlier runs are kept; no cache when undefined (every environment is synthesized). */
  readonly cacheDir?: string;
  /** Called as each environment is done (or found in the cache). */
  readonly onProgress?: (done: number, total: number, environment: string, cached: boolean) => void;
}

export interface RunResult {
  readonly files: Map<string, string>;
  readonly check: CheckResult;
  readonly environments: ReadonlyArray<{ readonly name: string; readonly substrate: string; readonly files: number; readonly cached: boolean }>;
  /** Summed over environments (across threads, so more than the wall time when parallel). */
  readonly cpu: { readonly synthMs: number; readonly guardrailsMs: number; readonly rehearsalMs: number };
}

/**
 * Synthesizes, rehearses and checks every environment: from the cache when its inputs are unchanged,
 * otherwise on the worker pool. The merged output is sorted, so it is the same bytes for any number of
 * workers and any mix of cached and fresh environments.
 */
export async function synthesizeAndCheck(opts: RunOptions): Promise<RunResult> {
  const started = process.hrtime.bigint();
  const all = loadEnvironments(opts.environmentsDir);
  const loaded = all.filter((l) => !opts.only?.length || opts.only.includes(l.env.name));
  const cache = opts.cacheDir ? new SynthCache(opts.cacheDir) : undefined;
  const sources = cache ? sourcesHash() : '';
  const keys = new Map(loaded.map((l) => [l.env.name, cache ? jobKey(sources, l, all) : '']));

  const byName = new Map<string, { result: JobResult; cached: boolean }>();
  const stores: Array<Promise<void>> = [];
  let done = 0;
  const progress = (name: string, cached: boolean) => opts.onProgress?.(++done, loaded.length, name, cached);
  for (const l of loaded) {
    const hit = cache?.get(l.env.name, keys.get(l.env.name)!);
    if (hit) {
      byName.set(l.env.name, { result: hit, cached: true });
      progress(l.env.name, true);
    }
  }
  const missing = loaded.map((l) => l.env.name).filter((n) => !byName.has(n));
  await runJobs({
    environmentsDir: opts.environmentsDir,
    all,
    names: missing,
    workers: opts.workers ?? (missing.length >= 50 ? os.availableParallelism() : 1),
    onResult: (result) => {
      byName.set(result.environment, { result, cached: false });
      if (cache) stores.push(cache.put(result.environment, keys.get(result.environment)!, result));
      progress(result.environment, false);
    },
  });

  await Promise.all(stores);
  const results = loaded.map((l) => byName.get(l.env.name)!);
  const files = new Map(
    results.flatMap(({ result }) => result.files.map(([k, v]) => [k, v] as [string, string])).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
  );
  // Only the work of this run: a cached result carries the timings of the run that produced it.
  const sum = (f: (r: JobResult) => number) => results.reduce((n, { result, cached }) => n + (cached ? 0 : f(result)), 0);
  return {
    files,
    check: {
      findings: results.flatMap(({ result }) => result.findings),
      excepted: results.flatMap(({ result }) => result.excepted),
      environments: loaded.map((l) => l.env.name),
      durationMs: Number(process.hrtime.bigint() - started) / 1e6,
    },
    environments: results.map(({ result, cached }) => ({
      name: result.environment,
      substrate: result.substrate,
      files: result.files.length,
      cached,
    })),
    cpu: { synthMs: sum((r) => r.timings.synthMs), guardrailsMs: sum((r) => r.timings.guardrailsMs), rehearsalMs: sum((r) => r.timings.rehearsalMs) },
  };
}
