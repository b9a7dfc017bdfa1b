import * as fs from 'fs';
import * as path from 'path';
import { parseDocument } from 'yaml';
import { z } from 'zod';
import { ADD_ON_CATALOGUE } from '../../addons/catalogue';
import { substrateFor } from '../../substrates';
import { ConfigError, ConfigIssue, formatPath, show } from '../core/model/issues';
import { APP_IDS, DISCRIMINATORS, Environment, environmentSchema } from '../core/model/schema';
import { tailnetIssues } from '../../stacks/tailnet';
import { validateEnvironment } from './validate';

export interface LoadedEnvironment {
  readonly env: Environment;
  readonly file: string;
}

function valueAt(raw: unknown, p: ReadonlyArray<PropertyKey>): unknown {
  return p.reduce<unknown>((v, k) => (v !== null && typeof v === 'object' ? (v as Record<PropertyKey, unknown>)[k] : undefined), raw);
}

/** Turns zod's issues into one line each: path, what was there, what is expected. */
function schemaIssues(envName: string, raw: unknown, error: z.ZodError): ConfigIssue[] {
  return error.issues.flatMap((iss): ConfigIssue[] => {
    if (iss.code === 'unrecognized_keys') {
      return iss.keys.map((key) => ({
        environment: envName,
        path: formatPath([...iss.path, key]),
        found: 'an unknown field',
        expected: 'only documented fields (check the spelling)',
      }));
    }
    const found = valueAt(raw, iss.path);
    let expected = iss.message
      .replace(/^Invalid input: /, '')
      .replace(/, received \w+$/, '')
      .replace(/^expected /, '');
    // A tagged union's key, with list indices dropped: managedServices[1].kind -> managedServices.
    const union = iss.path.slice(0, -1).filter((k) => typeof k !== 'number');
    const kinds = iss.path.at(-1) === 'kind' ? DISCRIMINATORS[formatPath(union)] : undefined;
    if (kinds) expected = `one of ${kinds.join(', ')}`;
    if (iss.path.length === 3 && iss.path[0] === 'apps' && iss.path[2] === 'app') expected = `one of ${APP_IDS.join(', ')}`;
    return [{ environment: envName, path: formatPath(iss.path), found: show(found), expected }];
  });
}

/** Parses and validates one environment file; returns the environment or every issue found in it. */
export function parseEnvironment(file: string, text: string): { env?: Environment; issues: ConfigIssue[] } {
  const fileName = path.basename(file).replace(/\.ya?ml$/, '');
  const doc = parseDocument(text, { prettyErrors: true, uniqueKeys: true });
  if (doc.errors.length > 0) {
    return {
      issues: doc.errors.map((e) => ({
        environment: fileName,
        path: `(YAML line ${e.linePos?.[0].line ?? '?'})`,
        found: e.message.split('\n')[0],
        expected: 'well-formed YAML',
      })),
    };
  }
  const raw: unknown = doc.toJS();
  const envName = typeof (raw as { name?: unknown })?.name === 'string' ? (raw as { name: string }).name : fileName;
  const parsed = environmentSchema.safeParse(raw);
  if (!parsed.success) return { issues: schemaIssues(envName, raw, parsed.error) };
  const env = parsed.data;
  const issues: ConfigIssue[] = [];
  if (env.name !== fileName) {
    issues.push({ environment: env.name, path: 'name', found: show(env.name), expected: `"${fileName}", the file name without .yaml` });
  }
  issues.push(...validateEnvironment(env, { substrate: substrateFor(env.substrate.kind), addOns: ADD_ON_CATALOGUE }));
  return { env, issues };
}

/**
 * Loads every `*.yaml` in the directory, sorted by name. Throws one ConfigError with every problem of
 * every file, so a user fixes them in one pass.
 */
export function loadEnvironments(dir: string): LoadedEnvironment[] {
  if (!fs.existsSync(dir)) {
    throw new ConfigError([{ environment: '(all)', path: dir, found: 'no such directory', expected: 'a directory of <env>.yaml files' }]);
  }
  const files = fs
    .readdirSync(dir)
    .filter((f) => /\.ya?ml$/.test(f))
    .sort();
  if (files.length === 0) {
    throw new ConfigError([{ environment: '(all)', path: dir, found: 'no environment files', expected: 'at least one <env>.yaml' }]);
  }
  const loaded: LoadedEnvironment[] = [];
  const issues: ConfigIssue[] = [];
  for (const f of files) {
    const file = path.join(dir, f);
    const result = parseEnvironment(file, fs.readFileSync(file, 'utf8'));
    issues.push(...result.issues.map((i) => ({ ...i, environment: `${i.environment} (${path.join(path.basename(dir), f)})` })));
    if (result.env) loaded.push({ env: result.env, file });
  }
  // Rules across environments: routes on a shared tailnet.
  issues.push(...tailnetIssues(loaded.map((l) => ({ env: l.env, substrate: substrateFor(l.env.substrate.kind) }))));
  if (issues.length > 0) throw new ConfigError(issues);
  return loaded;
}
