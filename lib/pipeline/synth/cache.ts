import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { BUILD_ROOT, REPO_ROOT } from '../../core/paths';
import { LoadedEnvironment } from '../load';
import { JobResult } from './job';

/**
 * Hash of everything that makes Parity's output besides the environment files: its compiled code (which
 * includes build/vendored-inputs.js, the build's hash of the vendored charts and CRDs the guardrails read
 * at run time: a re-vendored chart changes what they accept) and the lockfile.
 */
export function sourcesHash(roots: { readonly build: string; readonly repo: string } = { build: BUILD_ROOT, repo: REPO_ROOT }): string {
  const hash = createHash('sha256');
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name.endsWith('.js')) hash.update(path.relative(roots.build, full)).update('\0').update(fs.readFileSync(full)).update('\0');
    }
  };
  walk(roots.build);
  const lock = path.join(roots.repo, 'package-lock.json');
  if (fs.existsSync(lock)) hash.update(fs.readFileSync(lock));
  return hash.digest('hex');
}

/**
 * What a job's result depends on: the sources, the environment's own file, and the files of the
 * environments on its tailnet (their routes shape its tailnet policy). Content, not modification times.
 */
export function jobKey(sources: string, loaded: LoadedEnvironment, all: ReadonlyArray<LoadedEnvironment>): string {
  const hash = createHash('sha256').update(sources).update('\0').update(fs.readFileSync(loaded.file));
  const access = loaded.env.access;
  if (access.kind === 'tailscale') {
    for (const peer of all) {
      if (peer === loaded || peer.env.access.kind !== 'tailscale' || peer.env.access.tailnet !== access.tailnet) continue;
      hash.update('\0').update(peer.env.name).update('\0').update(fs.readFileSync(peer.file));
    }
  }
  return hash.digest('hex');
}

/** Results of earlier runs by environment and key, one JSON file per environment. */
export class SynthCache {
  constructor(private readonly dir: string) {}

  get(environment: string, key: string): JobResult | undefined {
    try {
      const entry = JSON.parse(fs.readFileSync(this.file(environment), 'utf8')) as { key: string; result: JobResult };
      return entry.key === key ? entry.result : undefined;
    } catch {
      return undefined;
    }
  }

  /** Stores a result; the write overlaps the rest of the run (await the promise before exiting). */
  async put(environment: string, key: string, result: JobResult): Promise<void> {
    await fs.promises.mkdir(this.dir, { recursive: true });
    // Written aside and renamed, so an interrupted run never leaves a half entry.
    const tmp = `${this.file(environment)}.${process.pid}.tmp`;
    await fs.promises.writeFile(tmp, JSON.stringify({ key, result }));
    await fs.promises.rename(tmp, this.file(environment));
  }

  private file(environment: string): string {
    return path.join(this.dir, `${environment}.json`);
  }
}
