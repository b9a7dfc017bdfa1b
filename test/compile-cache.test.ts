import { execFileSync } from 'child_process';
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { REPO_ROOT } from './helpers';

/** Loads modules in a fresh process with the compile cache at `dir`, and returns what it printed. */
function load(dir: string, modules: string[], env: Record<string, string> = {}): string {
  const script = [
    `require(${JSON.stringify(path.join(REPO_ROOT, 'build/lib/core/compile-cache.js'))});`,
    ...modules.map((m) => `require(${JSON.stringify(path.join(REPO_ROOT, m))});`),
    "console.log('loaded');",
  ].join('\n');
  return execFileSync(process.execPath, ['-e', script], { env: { ...process.env, PARITY_COMPILE_CACHE_DIR: dir, ...env }, encoding: 'utf8' });
}

/** The entry of a module: its path and source, hashed as the cache names it. */
const entryOf = (module: string) => {
  const file = path.join(REPO_ROOT, module);
  return createHash('sha256').update(file).update('\0').update(fs.readFileSync(file, 'utf8')).digest('hex');
};

describe('the CLIs’ compile cache', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'parity-compile-cache-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('keeps the code of the modules a run loaded, and a second run reuses it without writing', () => {
    expect(load(dir, ['build/lib/pipeline/guardrails/finding.js', 'build/imports/redis.redis.opstreelabs.in.js'])).toContain('loaded');
    const entries = fs.readdirSync(dir);
    expect(entries).toEqual(
      expect.arrayContaining([entryOf('build/lib/pipeline/guardrails/finding.js'), entryOf('build/imports/redis.redis.opstreelabs.in.js')]),
    );
    const stamps = entries.map((e) => fs.statSync(path.join(dir, e)).mtimeMs);
    expect(load(dir, ['build/lib/pipeline/guardrails/finding.js', 'build/imports/redis.redis.opstreelabs.in.js'])).toContain('loaded');
    expect(fs.readdirSync(dir)).toEqual(entries);
    expect(entries.map((e) => fs.statSync(path.join(dir, e)).mtimeMs)).toEqual(stamps);
  });

  it('leaves modules with import() to Node (a cached script would lose its import callback), and can be turned off', () => {
    load(dir, ['build/lib/pipeline/guardrails/secret-scan.js']);
    expect(fs.readdirSync(dir)).not.toContain(entryOf('build/lib/pipeline/guardrails/secret-scan.js'));
    const off = fs.mkdtempSync(path.join(os.tmpdir(), 'parity-compile-cache-off-'));
    load(off, ['build/lib/pipeline/guardrails/finding.js'], { PARITY_COMPILE_CACHE: '0' });
    expect(fs.readdirSync(off)).toEqual([]);
    fs.rmSync(off, { recursive: true, force: true });
  });
});
