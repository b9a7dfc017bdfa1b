import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import { sourcesHash } from '../lib/pipeline/synth/cache';
import * as path from 'path';
import { performance } from 'perf_hooks';
import { scanForSecrets } from '../lib/pipeline/guardrails/secret-scan';
import { readTree } from '../lib/pipeline/synth/atomic-dir';
import { REPO_ROOT } from './helpers';

const { generateEnvironments } = require(path.join(REPO_ROOT, 'scripts', 'generate-environments.js'));

const synth = (...args: string[]) =>
  execFileSync(process.execPath, [path.join(REPO_ROOT, 'build', 'bin', 'synth.js'), ...args], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });

describe('synth at scale', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'parity-scale-'));
  const envs = path.join(dir, 'environments');
  generateEnvironments(4, envs);

  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('writes the same bytes with one runner and with worker threads', () => {
    synth('-e', envs, '--out', path.join(dir, 'serial'), '--workers', '1', '--force');
    synth('-e', envs, '--out', path.join(dir, 'parallel'), '--workers', '2', '--force');
    const serial = readTree(path.join(dir, 'serial'));
    expect(serial.size).toBeGreaterThan(100);
    expect(readTree(path.join(dir, 'parallel'))).toEqual(serial);
  }, 60_000);

  it('re-synthesizes nothing when nothing changed, and exactly the environment whose file changed', () => {
    const cache = path.join(dir, 'cache');
    const out = path.join(dir, 'incremental');
    expect(synth('-e', envs, '--out', out, '--cache', cache)).toMatch(/\(4 synthesized, 0 unchanged;/);
    expect(synth('-e', envs, '--out', out, '--cache', cache)).toMatch(/\(0 synthesized, 4 unchanged;/);
    // One of the generated copies (bare metal: the one with the most stacks).
    const changed = fs
      .readdirSync(envs)
      .find((f) => f.startsWith('onprem-'))!
      .replace(/\.yaml$/, '');
    const file = path.join(envs, `${changed}.yaml`);
    fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace(/^description: .*$/m, 'description: changed for the test'));
    expect(synth('-e', envs, '--out', out, '--cache', cache)).toMatch(/\(1 synthesized, 3 unchanged;/);
    // What the cache gave back is what a full run writes.
    synth('-e', envs, '--out', path.join(dir, 'forced'), '--force');
    expect(readTree(out)).toEqual(readTree(path.join(dir, 'forced')));
    expect(readTree(out).get(`${changed}/README.md`)).toContain('changed for the test');
  }, 60_000);
});

describe('the synth cache key', () => {
  it('changes with the compiled code (the build’s hash of the vendored charts and CRDs among it) and the lockfile, and with nothing else', () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'parity-key-'));
    const roots = { build: path.join(root, 'build'), repo: root };
    const write = (rel: string, text: string) => {
      fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
      fs.writeFileSync(path.join(root, rel), text);
    };
    write('build/lib/a.js', 'a');
    write('build/vendored-inputs.js', 'module.exports = "1";');
    write('package-lock.json', '{}');
    const keys = [sourcesHash(roots)];
    write('README.md', 'not an input');
    write('build/lib/a.d.ts', 'not code');
    keys.push(sourcesHash(roots));
    for (const [rel, text] of [
      ['build/lib/a.js', 'b'],
      ['build/vendored-inputs.js', 'module.exports = "2";'],
      ['package-lock.json', '{"v":2}'],
    ]) {
      write(rel, text);
      keys.push(sourcesHash(roots));
    }
    fs.rmSync(root, { recursive: true, force: true });
    expect(keys[1]).toBe(keys[0]);
    expect(new Set(keys.slice(1)).size).toBe(4);
  });

  it('the build hashes every vendored chart and CRD file into build/vendored-inputs.js', () => {
    const script = fs.readFileSync(path.join(REPO_ROOT, 'scripts', 'inputs-hash.js'), 'utf8');
    expect(script).toMatch(/for \(const dir of \['vendor', path\.join\('imports', 'crds'\)\]\)/);
    expect(JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')).scripts.build).toMatch(/node scripts\/inputs-hash\.js$/);
    expect(require(path.join(REPO_ROOT, 'build', 'vendored-inputs.js'))).toMatch(/^[a-f0-9]{64}$/);
  });
});

describe('secret scanning cost', () => {
  it('leaves no secretlint timing marks behind, so scanning stays linear in the number of files', async () => {
    const files = new Map(Array.from({ length: 50 }, (_, i) => [`e/file-${i}.yaml`, `key: value-${i}\n`] as [string, string]));
    await scanForSecrets(files, () => 'e');
    await scanForSecrets(files, () => 'e');
    expect(performance.getEntriesByType('mark').filter((m) => m.name.includes('secretlint') || m.name.includes('::'))).toEqual([]);
    const { secretLintProfiler } = await import('@secretlint/profiler');
    expect(await secretLintProfiler.getEntries()).toEqual([]);
  });
});
