import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { synthesizeAll } from '../lib/pipeline/synth/pipeline';
import { examples, fixture, manifests } from './helpers';

/**
 * The secret-values plugin's generate script, run the way Argo CD's cmp-server runs it (sh -c, the
 * Application's plugin env as ARGOCD_ENV_*, the app's name and namespace), against a helm on PATH that
 * records its arguments: there is no helm binary here, and what is under test is the script's own
 * argument building and quoting.
 */
function runPlugin(result: ReturnType<typeof examples>, cwd?: string) {
  const all = manifests(result, 'onprem');
  const argo = all.find((o) => o.kind === 'Application' && o.metadata.name === 'argo-cd').spec.source.helm.valuesObject;
  const script: string = argo.configs.cmp.plugins['helm-secret-values'].generate.args[0];
  const app = all.find((o) => o.kind === 'Application' && o.metadata.name === 'axion-gen');
  const pluginEnv: Record<string, string> = Object.fromEntries(app.spec.source.plugin.env.map((e: any) => [`ARGOCD_ENV_${e.name}`, e.value]));

  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'parity-plugin-'));
  const log = path.join(dir, 'helm.log');
  fs.mkdirSync(path.join(dir, 'bin'));
  fs.writeFileSync(
    path.join(dir, 'bin', 'helm'),
    [
      '#!/bin/sh',
      'echo CALL >> "$HELM_LOG"',
      'for a in "$@"; do printf "%s\\n" "$a" >> "$HELM_LOG"; done',
      // `helm pull --untar --untardir D` leaves the chart in D/<name>.
      'if [ "$1" = pull ]; then while [ $# -gt 0 ]; do if [ "$1" = --untardir ]; then mkdir -p "$2/axion-gen"; fi; shift; done; fi',
      // The rendered values file, for the assertion below.
      'if [ "$1" = template ]; then while [ $# -gt 0 ]; do if [ "$1" = -f ]; then cp "$2" "$HELM_LOG.values"; fi; shift; done; fi',
    ].join('\n'),
    { mode: 0o755 },
  );
  execFileSync('sh', ['-c', script], {
    cwd,
    env: {
      PATH: `${path.join(dir, 'bin')}:/usr/bin:/bin`,
      TMPDIR: dir,
      HELM_LOG: log,
      ARGOCD_APP_NAME: 'axion-gen',
      ARGOCD_APP_NAMESPACE: 'axion-gen',
      ...pluginEnv,
    },
  });
  const calls = fs
    .readFileSync(log, 'utf8')
    .split('CALL\n')
    .filter(Boolean)
    .map((c) => c.trimEnd().split('\n'));
  const values = fs.readFileSync(`${log}.values`, 'utf8');
  fs.rmSync(dir, { recursive: true, force: true });
  return { calls, values, pluginEnv };
}

const setFiles = (t: string[]) => t.flatMap((a, i) => (a === '--set-file' ? [t[i + 1]] : []));

describe('the helm-secret-values plugin script (onprem, axion-gen)', () => {
  const { calls, values, pluginEnv } = runPlugin(examples());

  it('pulls the pinned chart from the mirror', () => {
    expect(calls[0].slice(0, 4)).toEqual([
      'pull',
      'oci://registry.lab.internal/charts/europe-west1-docker.pkg.dev/axionx-infra/axion/charts/axion-gen',
      '--version',
      '1.0.0',
    ]);
  });

  it('renders it as the Application, with its values and each secret value from the mounted Secret', () => {
    const t = calls[1];
    expect(t.slice(0, 2)).toEqual(['template', 'axion-gen']);
    expect(t[t.indexOf('--namespace') + 1]).toBe('axion-gen');
    expect(setFiles(t)).toEqual(
      ['oidc.clientSecret', 's3.accessKey', 's3.secretKey', 'postgres.api.password', 'openfga.apiKey'].map(
        (p) => `${p}=/home/argocd/chart-secrets/axion-gen/${p}`,
      ),
    );
    expect(values).toBe(`${pluginEnv.ARGOCD_ENV_HELM_VALUES}\n`);
  });

  it('passes list paths as words, whatever files the working directory holds (no globbing)', () => {
    const result = synthesizeAll({
      environmentsDir: fixture('onprem', (e) => {
        e.apps.find((a: any) => a.app === 'axion-gen').api.apiKeys = [{ key: { secret: 'axion-gen-keys', key: 'reports' }, serviceName: 'reports' }];
      }),
    });
    const cwd = fs.mkdtempSync(path.join(os.tmpdir(), 'parity-cwd-'));
    // A file the unquoted word api.apiKeys[0].key=... would match as a pattern.
    fs.writeFileSync(path.join(cwd, 'api.apiKeys0.key=api.apiKeys.0.key'), '');
    const run = runPlugin(result, cwd);
    fs.rmSync(cwd, { recursive: true, force: true });
    expect(setFiles(run.calls[1])).toContain('api.apiKeys[0].key=/home/argocd/chart-secrets/axion-gen/api.apiKeys.0.key');
  });
});
