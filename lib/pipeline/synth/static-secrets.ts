import * as fs from 'fs';
import * as path from 'path';
import { ADD_ON_CATALOGUE } from '../../../addons/catalogue';
import { ConfigError, ConfigIssue } from '../../core/model/issues';
import { STATIC_SECRETS_DIR, StaticSecret, checkStaticSecret } from '../../core/sops';
import type { LoadedEnvironment } from '../load';

/** Where the encrypted files of an environment are kept: `secrets/<env>/` next to its environment file. */
export function staticSecretsDir(loaded: LoadedEnvironment): string {
  return path.join(path.dirname(loaded.file), STATIC_SECRETS_DIR, loaded.env.name);
}

/**
 * The environment's encrypted Secrets, checked (see checkStaticSecret), in file-name order; one
 * ConfigError naming every bad file, so a plaintext value or a missing key never reaches the tree.
 */
export function loadStaticSecrets(loaded: LoadedEnvironment): StaticSecret[] {
  const dir = staticSecretsDir(loaded);
  if (!fs.existsSync(dir)) return [];
  const { env } = loaded;
  // The namespaces the environment creates: declared, the add-ons' and the apps'.
  const namespaces = new Set([
    ...env.namespaces.map((n) => n.name),
    ...env.addons.map((id) => ADD_ON_CATALOGUE.get(id)?.namespace).filter((n): n is string => !!n),
    ...env.apps.map((a) => a.namespace),
  ]);
  const issues: ConfigIssue[] = [];
  const secrets: StaticSecret[] = [];
  for (const file of fs.readdirSync(dir).sort()) {
    const checked = checkStaticSecret(env, file, fs.readFileSync(path.join(dir, file), 'utf8'), namespaces);
    issues.push(...checked.issues);
    if (checked.secret) secrets.push(checked.secret);
  }
  if (issues.length) throw new ConfigError(issues);
  return secrets;
}
