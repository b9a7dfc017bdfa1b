import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { readTree } from '../lib/pipeline/synth/atomic-dir';
import { synthesizeAll } from '../lib/pipeline/synth/pipeline';
import { ENVIRONMENTS_DIR, REPO_ROOT, examples, fixture } from './helpers';

const SYNTH = path.join(REPO_ROOT, 'build', 'bin', 'synth.js');

function runSynth(args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}) {
  return spawnSync(process.execPath, [SYNTH, ...args], {
    cwd: options.cwd ?? REPO_ROOT,
    // Without jest's --experimental-vm-modules: the CLI must run as users run it.
    env: { ...process.env, NODE_OPTIONS: '', ...options.env },
    encoding: 'utf8',
  });
}

function tempDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'parity-test-'));
}

describe('synth output', () => {
  it('writes terraform, manifests and a README for every environment', () => {
    const files = [...examples().files.keys()];
    for (const env of ['dev', 'prod', 'onprem']) {
      expect(files).toContain(`${env}/README.md`);
      expect(files).toContain(`${env}/manifests/namespaces.yaml`);
      expect(files).toContain(`${env}/manifests/bootstrap/root-app.yaml`);
    }
    expect(files).toContain('dev/terraform/network/cdk.tf.json');
    expect(files).toContain('prod/terraform/network/cdk.tf.json');
    expect(files).toContain('onprem/inventory/hosts.yaml');
  });

  it('is byte-identical when synthesized twice in one process', () => {
    const again = synthesizeAll({ environmentsDir: ENVIRONMENTS_DIR });
    expect([...again.files.entries()]).toEqual([...examples().files.entries()]);
  });

  it('is byte-identical across time zone, locale and working directory', () => {
    const a = tempDir();
    const b = tempDir();
    const first = runSynth(['--out', path.join(a, 'dist')], { env: { TZ: 'UTC', LANG: 'C', LC_ALL: 'C' } });
    expect(first.stderr).toBe('');
    const elsewhere = tempDir();
    const second = runSynth(['--environments', ENVIRONMENTS_DIR, '--out', path.join(b, 'dist')], {
      cwd: elsewhere,
      env: { TZ: 'Pacific/Kiritimati', LANG: 'tr_TR.UTF-8', LC_ALL: 'tr_TR.UTF-8' },
    });
    expect(second.stderr).toBe('');
    const treeA = readTree(path.join(a, 'dist'));
    const treeB = readTree(path.join(b, 'dist'));
    expect(treeA.size).toBeGreaterThan(20);
    expect([...treeB.entries()]).toEqual([...treeA.entries()]);
  });

  it('matches what is committed in dist/', () => {
    const committed = readTree(path.join(REPO_ROOT, 'dist'));
    const fresh = examples().files;
    expect([...committed.keys()].sort()).toEqual([...fresh.keys()].sort());
    for (const [file, content] of fresh) expect({ file, content: committed.get(file) }).toEqual({ file, content });
  });
});

describe('atomic output', () => {
  it('a broken environment gives a clear error, exit 1, and leaves dist/ untouched', () => {
    const out = path.join(tempDir(), 'dist');
    expect(runSynth(['--out', out]).status).toBe(0);
    const before = readTree(out);

    const broken = fixture('dev', (e) => {
      e.cluster.nodePools[0].min = 20;
      e.cluster.serviceCidr = '10.40.0.0/20';
    });
    const result = runSynth(['--environments', broken, '--out', out]);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('dev (environments/dev.yaml): cluster.nodePools[0].min: found 20; expected min ≤ max (max is 10)');
    expect(result.stderr).toContain(
      'dev (environments/dev.yaml): cluster.serviceCidr: found "10.40.0.0/20"; expected a service range that does not overlap',
    );
    expect(result.stderr).toContain('nothing was written');
    expect(result.stderr).not.toMatch(/\n\s+at /); // no stack trace
    expect([...readTree(out).entries()]).toEqual([...before.entries()]);
    expect(fs.readdirSync(path.dirname(out))).toEqual(['dist']); // no staging leftovers
  });

  it('removes files of resources that no longer exist', () => {
    const out = path.join(tempDir(), 'dist');
    fs.mkdirSync(path.join(out, 'dev', 'manifests', 'addons'), { recursive: true });
    fs.writeFileSync(path.join(out, 'dev', 'manifests', 'addons', 'removed-addon.yaml'), 'stale: true\n');
    fs.mkdirSync(path.join(out, 'staging-env'));
    expect(runSynth(['--out', out]).status).toBe(0);
    expect(fs.existsSync(path.join(out, 'dev', 'manifests', 'addons', 'removed-addon.yaml'))).toBe(false);
    expect(fs.existsSync(path.join(out, 'staging-env'))).toBe(false);
  });

  it('--verify fails and names the files when the output is out of date', () => {
    const out = path.join(tempDir(), 'dist');
    expect(runSynth(['--out', out]).status).toBe(0);
    expect(runSynth(['--out', out, '--verify']).status).toBe(0);
    fs.appendFileSync(path.join(out, 'prod', 'manifests', 'namespaces.yaml'), '# hand edit\n');
    fs.rmSync(path.join(out, 'dev', 'README.md'));
    const result = runSynth(['--out', out, '--verify']);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('outdated prod/manifests/namespaces.yaml');
    expect(result.stderr).toContain('missing  dev/README.md');
  });
});
