import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parse, stringify } from 'yaml';
import { synthesizeAll, SynthResult } from '../lib/pipeline/synth/pipeline';

export const REPO_ROOT = path.resolve(__dirname, '..', '..');
export const ENVIRONMENTS_DIR = path.join(REPO_ROOT, 'environments');

export type RawEnvironment = Record<string, any>;

/** An example environment as plain data, to mutate into a fixture. */
export function exampleEnvironment(name: 'dev' | 'prod' | 'onprem' | 'axiom-prod' | 'lab'): RawEnvironment {
  return parse(fs.readFileSync(path.join(ENVIRONMENTS_DIR, `${name}.yaml`), 'utf8'));
}

/** Writes environments into a fresh directory, one `<name>.yaml` each. */
export function writeEnvironments(envs: RawEnvironment[], fileNames?: string[]): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'parity-fixture-'));
  const envDir = path.join(dir, 'environments');
  fs.mkdirSync(envDir);
  envs.forEach((e, i) => fs.writeFileSync(path.join(envDir, `${fileNames?.[i] ?? e.name}.yaml`), stringify(e)));
  return envDir;
}

/** Fixture built from an example environment by a mutation. */
export function fixture(name: 'dev' | 'prod' | 'onprem' | 'axiom-prod' | 'lab', mutate: (e: RawEnvironment) => void): string {
  const env = exampleEnvironment(name);
  mutate(env);
  return writeEnvironments([env]);
}

let cached: SynthResult | undefined;
/** The example environments, synthesized once per test file. */
export function examples(): SynthResult {
  cached ??= synthesizeAll({ environmentsDir: ENVIRONMENTS_DIR });
  return cached;
}

export function terraform(result: SynthResult, env: string, stack: string): any {
  const text = result.files.get(`${env}/terraform/${stack}/cdk.tf.json`);
  if (!text) throw new Error(`no stack ${stack} in ${env}: ${[...result.files.keys()].join(', ')}`);
  return JSON.parse(text);
}

/** All resources of a type in a synthesized stack, as a list. */
export function resources(tf: any, type: string): any[] {
  return Object.values(tf.resource?.[type] ?? {});
}

export function manifests(result: SynthResult, env: string): any[] {
  const { parseAllDocuments } = require('yaml') as typeof import('yaml');
  return [...result.files.entries()]
    .filter(([f]) => f.startsWith(`${env}/manifests/`))
    .flatMap(([, text]) => parseAllDocuments(text).map((d) => d.toJS()));
}

export function messageOf(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error('expected an error, none was thrown');
}

/**
 * Whether an object is the one named `name`: a wave Job by its `app.kubernetes.io/name`, since its own
 * name carries a hash of its pod template (see MigrationJob).
 */
export function nameIs(o: { kind: string; metadata: { name?: string; labels?: Record<string, string> } }, name: string): boolean {
  return o.metadata.name === name || (o.kind === 'Job' && o.metadata.labels?.['app.kubernetes.io/name'] === name);
}
