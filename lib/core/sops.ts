import { parseDocument } from 'yaml';
import { ConfigIssue } from './model/issues';
import { Environment } from './model/schema';
import { toYaml } from './util/serialize';

/**
 * Static secrets kept in Git, encrypted with SOPS to age keys (seed 004): what a file must look like,
 * the rules operators encrypt with (`.sops.yaml`), and the KSOPS generator Argo CD decrypts them through.
 */

/** KSOPS v4.5.1 (viaduct-ai/kustomize-sops, sops v3.12.2 inside): the kustomize exec plugin in the repo server. */
export const KSOPS_IMAGE = 'docker.io/viaductoss/ksops:v4.5.1';
/** Only a Secret's values are encrypted; its kind and metadata stay readable in review. */
export const SOPS_ENCRYPTED_REGEX = '^(data|stringData)$';
/** The directory of the encrypted files: `environments/secrets/<env>/` here, `secrets/` in each GitOps tree. */
export const STATIC_SECRETS_DIR = 'secrets';
/** The file name of an encrypted Secret. */
export const STATIC_SECRET_FILE = /^[a-z0-9][-a-z0-9.]*\.enc\.ya?ml$/;
/** Argo CD's private age key: a Secret in its namespace, mounted where sops looks for keys. */
export const SOPS_AGE_KEY = { secret: 'sops-age', key: 'keys.txt', mountDir: '/home/argocd/.config/sops/age' } as const;

/** A SOPS-encrypted value: AES-256-GCM with its IV, tag and the value's type. */
const ENCRYPTED_VALUE = /^ENC\[AES256_GCM,data:[A-Za-z0-9+/=]*,iv:[A-Za-z0-9+/=]+,tag:[A-Za-z0-9+/=]+,type:(str|int|float|bool|bytes|comment)\]$/;
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const TOP_LEVEL = new Set(['apiVersion', 'kind', 'metadata', 'type', 'data', 'stringData', 'sops']);

/** Every key a file of `env` is encrypted to: Argo CD's, the CI key and each operator's, sorted. */
export function sopsRecipients(env: Environment): string[] {
  const sops = env.gitops.sops;
  if (!sops) return [];
  return [...new Set([sops.argoCd, sops.ci, ...sops.operators.map((o) => o.key)])].sort();
}

/** A checked encrypted Secret, as its file is copied into the GitOps tree. */
export interface StaticSecret {
  /** File name under `secrets/<env>/`. */
  readonly file: string;
  readonly text: string;
  readonly namespace: string;
  readonly name: string;
}

/**
 * Checks one file of `secrets/<env>/`: a single Secret in a namespace of the environment, every value
 * encrypted, encrypted to exactly the environment's keys (Argo CD can decrypt it; an operator who left
 * can no longer). Nothing in plaintext ever reaches the GitOps tree.
 */
export function checkStaticSecret(
  env: Environment,
  file: string,
  text: string,
  namespaces: ReadonlySet<string>,
): { secret?: StaticSecret; issues: ConfigIssue[] } {
  const where = `${STATIC_SECRETS_DIR}/${env.name}/${file}`;
  const issues: ConfigIssue[] = [];
  const add = (path: string, found: unknown, expected: string) =>
    issues.push({ environment: env.name, path: path ? `${where}: ${path}` : where, found: JSON.stringify(found) ?? 'nothing', expected });
  if (!env.gitops.sops) {
    add('', file, 'no encrypted secrets, or gitops.sops with the keys they are encrypted to');
    return { issues };
  }
  if (!STATIC_SECRET_FILE.test(file)) add('', file, 'a file named <name>.enc.yaml');
  const parsed = parseDocument(text);
  const doc = parsed.errors.length ? undefined : parsed.toJS();
  if (!doc || typeof doc !== 'object' || Array.isArray(doc)) {
    add('', parsed.errors[0]?.message ?? typeof doc, 'one YAML document: a Secret encrypted by sops');
    return { issues };
  }
  if (doc.apiVersion !== 'v1' || doc.kind !== 'Secret') add('kind', `${doc.apiVersion}/${doc.kind}`, 'v1/Secret');
  for (const key of Object.keys(doc)) if (!TOP_LEVEL.has(key)) add(key, key, `only ${[...TOP_LEVEL].join(', ')}`);
  const name = doc.metadata?.name;
  const namespace = doc.metadata?.namespace;
  if (typeof name !== 'string' || !DNS_LABEL.test(name)) add('metadata.name', name, 'a Secret name');
  if (typeof namespace !== 'string' || !namespaces.has(namespace))
    add('metadata.namespace', namespace, `a namespace of this environment (${[...namespaces].sort().join(', ')})`);
  const values = [...Object.entries(doc.data ?? {}), ...Object.entries(doc.stringData ?? {})];
  if (!values.length) add('data', doc.data, 'at least one value under data or stringData');
  for (const [key, value] of values)
    if (typeof value !== 'string' || !ENCRYPTED_VALUE.test(value))
      add(`data.${key}`, '<not shown>', 'a value encrypted by sops (ENC[AES256_GCM,...])');
  const sops = doc.sops;
  if (!sops || typeof sops !== 'object') {
    add('sops', sops, 'the sops metadata of an encrypted file (sops --encrypt --in-place)');
    return { issues };
  }
  if (sops.encrypted_regex !== SOPS_ENCRYPTED_REGEX) add('sops.encrypted_regex', sops.encrypted_regex, SOPS_ENCRYPTED_REGEX);
  if (typeof sops.mac !== 'string' || !ENCRYPTED_VALUE.test(sops.mac)) add('sops.mac', sops.mac, 'the encrypted MAC sops writes');
  const recipients = new Set<string>((Array.isArray(sops.age) ? sops.age : []).map((r: { recipient?: string }) => r.recipient ?? ''));
  const wanted = sopsRecipients(env);
  const missing = wanted.filter((r) => !recipients.has(r));
  const extra = [...recipients].filter((r) => !wanted.includes(r)).sort();
  if (missing.length || extra.length)
    add('sops.age', [...recipients].sort(), `exactly the keys of gitops.sops (${wanted.join(', ')}): run sops updatekeys`);
  return issues.length ? { issues } : { secret: { file, text, namespace, name }, issues };
}

/** The kustomization of `secrets/` in the GitOps tree: one KSOPS generator over every encrypted file. */
export function staticSecretsKustomization(secrets: ReadonlyArray<StaticSecret>): Record<string, string> {
  return {
    'kustomization.yaml': toYaml({ apiVersion: 'kustomize.config.k8s.io/v1beta1', kind: 'Kustomization', generators: ['ksops-generator.yaml'] }),
    'ksops-generator.yaml': toYaml({
      apiVersion: 'viaduct.ai/v1',
      kind: 'ksops',
      metadata: { name: 'static-secrets', annotations: { 'config.kubernetes.io/function': 'exec:\n  path: ksops\n' } },
      files: secrets.map((s) => `./${s.file}`),
    }),
  };
}

/**
 * `.sops.yaml`: one creation rule per environment with static secrets, for `sops --encrypt` run from
 * this repository's root; `environmentsDir` is the environments' directory relative to it.
 */
export function sopsCreationRules(envs: ReadonlyArray<Environment>, environmentsDir: string): string | undefined {
  const rules = envs
    .filter((e) => e.gitops.sops)
    .sort((a, b) => (a.name < b.name ? -1 : 1))
    .map((e) => ({
      path_regex: `^${environmentsDir.replace(/[.]/g, '\\.')}/${STATIC_SECRETS_DIR}/${e.name}/[^/]+\\.enc\\.ya?ml$`,
      encrypted_regex: SOPS_ENCRYPTED_REGEX,
      age: sopsRecipients(e).join(','),
    }));
  return rules.length ? toYaml({ creation_rules: rules }) : undefined;
}
