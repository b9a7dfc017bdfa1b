import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
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
    const file = path.join(envs, 'onprem-001.yaml');
    fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace(/^description: .*$/m, 'description: changed for the test'));
    expect(synth('-e', envs, '--out', out, '--cache', cache)).toMatch(/\(1 synthesized, 3 unchanged;/);
    // What the cache gave back is what a full run writes.
    synth('-e', envs, '--out', path.join(dir, 'forced'), '--force');
    expect(readTree(out)).toEqual(readTree(path.join(dir, 'forced')));
    expect(readTree(out).get('onprem-001/README.md')).toContain('changed for the test');
  }, 60_000);
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
