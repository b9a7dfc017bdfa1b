import * as fs from 'fs';
import * as path from 'path';
import { parse } from 'yaml';
import { synthesizeAll } from '../lib/pipeline/synth/pipeline';
import { sopsCreationRules } from '../lib/core/sops';
import { ENVIRONMENTS_DIR, REPO_ROOT, RawEnvironment, examples, fixture, manifests, messageOf, resources, terraform } from './helpers';
import { ageKeyPair, sopsEncrypt } from './sops-fixture';

const SECRET = {
  apiVersion: 'v1',
  kind: 'Secret',
  metadata: { name: 'smtp-relay', namespace: 'dev-center' },
  type: 'Opaque',
  stringData: { username: 'relay', password: 'not-a-real-password' },
};

async function keys() {
  const [argoCd, ci, alice] = await Promise.all([ageKeyPair(), ageKeyPair(), ageKeyPair()]);
  return { argoCd, ci, alice, sops: { argoCd: argoCd.recipient, ci: ci.recipient, operators: [{ name: 'alice', key: alice.recipient }] } };
}

/** The dev environment with static secrets: its files under `secrets/dev/` beside the environment file. */
function withSecrets(sops: object | undefined, files: Record<string, string>, mutate: (e: RawEnvironment) => void = () => undefined): string {
  const dir = fixture('dev', (e) => {
    if (sops) e.gitops.sops = sops;
    mutate(e);
  });
  fs.mkdirSync(path.join(dir, 'secrets', 'dev'), { recursive: true });
  for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, 'secrets', 'dev', name), text);
  return dir;
}

describe('static secrets in Git (SOPS with age, KSOPS in Argo CD)', () => {
  it('copies the encrypted files as committed, with a KSOPS generator and their Application right after the namespaces', async () => {
    const k = await keys();
    const text = await sopsEncrypt(SECRET, [k.argoCd.recipient, k.ci.recipient, k.alice.recipient]);
    const result = synthesizeAll({ environmentsDir: withSecrets(k.sops, { 'smtp-relay.enc.yaml': text }) });
    expect(result.files.get('dev/secrets/smtp-relay.enc.yaml')).toBe(text);
    expect(parse(result.files.get('dev/secrets/kustomization.yaml')!)).toEqual({
      apiVersion: 'kustomize.config.k8s.io/v1beta1',
      kind: 'Kustomization',
      generators: ['ksops-generator.yaml'],
    });
    expect(parse(result.files.get('dev/secrets/ksops-generator.yaml')!)).toEqual({
      apiVersion: 'viaduct.ai/v1',
      kind: 'ksops',
      metadata: { name: 'static-secrets', annotations: { 'config.kubernetes.io/function': 'exec:\n  path: ksops\n' } },
      files: ['./smtp-relay.enc.yaml'],
    });
    const app = manifests(result, 'dev').find((o) => o.kind === 'Application' && o.metadata.name === 'static-secrets');
    expect(app.metadata.annotations['argocd.argoproj.io/sync-wave']).toBe('-35');
    expect(app.spec.source).toEqual({ repoURL: 'https://git.axiom.entropy.sa/platform/gitops-dev.git', targetRevision: 'main', path: 'secrets' });
    // Nothing readable: the plaintext appears nowhere in the tree.
    for (const [, content] of result.files) expect(content).not.toContain('not-a-real-password');
  });

  it('the copy decrypts with Argo CD’s key, as KSOPS will, and with every operator’s', async () => {
    const { decryptSops } = await import('sops-age');
    const k = await keys();
    const text = await sopsEncrypt(SECRET, [k.argoCd.recipient, k.ci.recipient, k.alice.recipient]);
    const result = synthesizeAll({ environmentsDir: withSecrets(k.sops, { 'smtp-relay.enc.yaml': text }) });
    const copied = result.files.get('dev/secrets/smtp-relay.enc.yaml')!;
    for (const identity of [k.argoCd.identity, k.alice.identity])
      expect(await decryptSops(copied, { secretKey: identity, fileType: 'yaml' })).toMatchObject({ stringData: SECRET.stringData });
  });

  it('Argo CD runs KSOPS with its key: alpha plugins and exec on, the plugin from an init container, the key a bootstrap input', async () => {
    const k = await keys();
    const result = synthesizeAll({
      environmentsDir: withSecrets(k.sops, { 'a.enc.yaml': await sopsEncrypt(SECRET, [k.argoCd.recipient, k.ci.recipient, k.alice.recipient]) }),
    });
    const values = manifests(result, 'dev').find((o) => o.kind === 'Application' && o.metadata.name === 'argo-cd').spec.source.helm.valuesObject;
    expect(values.configs.cm['kustomize.buildOptions']).toBe('--enable-alpha-plugins --enable-exec');
    expect(values.repoServer.initContainers).toEqual([
      expect.objectContaining({
        name: 'install-ksops',
        image: 'docker.io/viaductoss/ksops:v4.5.1',
        command: ['/usr/local/bin/ksops', 'install', '/custom-tools'],
        securityContext: expect.objectContaining({ readOnlyRootFilesystem: true, runAsNonRoot: true }),
      }),
    ]);
    expect(values.repoServer.env).toEqual([{ name: 'SOPS_AGE_KEY_FILE', value: '/home/argocd/.config/sops/age/keys.txt' }]);
    expect(values.repoServer.volumes).toContainEqual({ name: 'sops-age', secret: { secretName: 'sops-age', optional: true, defaultMode: 0o400 } });
    // The bootstrap install is the same Argo CD, and writes the key before the root syncs.
    const bootstrap = terraform(result, 'dev', 'bootstrap');
    const release = resources(bootstrap, 'helm_release').find((r) => r.name === 'argo-cd');
    expect(parse(release.values[0]).repoServer.initContainers[0].name).toBe('install-ksops');
    expect(bootstrap.variable.sops_age_key).toMatchObject({ sensitive: true, nullable: false });
    const key = resources(bootstrap, 'kubernetes_secret_v1').find((s) => s.metadata.name === 'sops-age');
    expect(key).toMatchObject({ metadata: { namespace: 'argocd' }, data: { 'keys.txt': '${var.sops_age_key}' } });
    expect(result.files.get('dev/DEPLOY.md')).toContain('TF_VAR_sops_age_key');
    // Without gitops.sops, none of it.
    const plain = manifests(examples(), 'dev').find((o) => o.kind === 'Application' && o.metadata.name === 'argo-cd').spec.source.helm.valuesObject;
    expect(plain.repoServer.initContainers).toBeUndefined();
    expect(terraform(examples(), 'dev', 'bootstrap').variable.sops_age_key).toBeUndefined();
  });

  it('air-gapped: KSOPS comes from the mirror', async () => {
    const k = await keys();
    const dir = fixture('onprem', (e) => (e.gitops.sops = k.sops));
    const result = synthesizeAll({ environmentsDir: dir });
    expect(result.files.get('onprem/images.txt')).toContain(
      'docker.io/viaductoss/ksops:v4.5.1 registry.lab.internal/docker.io/viaductoss/ksops:v4.5.1',
    );
  });

  it('refuses a plaintext value, a file Argo CD cannot decrypt or a key that left, an unknown namespace, secrets without keys', async () => {
    const k = await keys();
    const all = [k.argoCd.recipient, k.ci.recipient, k.alice.recipient];
    const plaintext = (await sopsEncrypt(SECRET, all)).replace(/password: ENC\[[^\]]+\]/, 'password: hunter2');
    expect(messageOf(() => synthesizeAll({ environmentsDir: withSecrets(k.sops, { 'a.enc.yaml': plaintext }) }))).toContain(
      'secrets/dev/a.enc.yaml: data.password: found "<not shown>"; expected a value encrypted by sops (ENC[AES256_GCM,...])',
    );
    const noArgo = await sopsEncrypt(SECRET, [k.ci.recipient, k.alice.recipient]);
    expect(messageOf(() => synthesizeAll({ environmentsDir: withSecrets(k.sops, { 'a.enc.yaml': noArgo }) }))).toMatch(
      /secrets\/dev\/a\.enc\.yaml: sops\.age: found \[.*\]; expected exactly the keys of gitops\.sops \(.*\): run sops updatekeys/,
    );
    const elsewhere = await sopsEncrypt({ ...SECRET, metadata: { name: 'x', namespace: 'payments' } }, all);
    expect(messageOf(() => synthesizeAll({ environmentsDir: withSecrets(k.sops, { 'a.enc.yaml': elsewhere }) }))).toContain(
      'secrets/dev/a.enc.yaml: metadata.namespace: found "payments"; expected a namespace of this environment',
    );
    expect(messageOf(() => synthesizeAll({ environmentsDir: withSecrets(undefined, { 'a.enc.yaml': elsewhere }) }))).toContain(
      'expected no encrypted secrets, or gitops.sops with the keys they are encrypted to',
    );
    expect(messageOf(() => synthesizeAll({ environmentsDir: withSecrets({ ...k.sops, ci: 'age1short' }, {}) }))).toContain(
      'gitops.sops.ci: found "age1short"; expected an age public key',
    );
  });

  it('.sops.yaml encrypts each environment’s files to its keys, and the committed one matches the environments', async () => {
    const k = await keys();
    const env = examples().models.find((m) => m.env.name === 'dev')!.env;
    const rules = parse(sopsCreationRules([{ ...env, gitops: { ...env.gitops, sops: k.sops } }], 'environments')!);
    expect(rules).toEqual({
      creation_rules: [
        {
          path_regex: '^environments/secrets/dev/[^/]+\\.enc\\.ya?ml$',
          encrypted_regex: '^(data|stringData)$',
          age: [k.argoCd.recipient, k.ci.recipient, k.alice.recipient].sort().join(','),
        },
      ],
    });
    const committed = path.join(REPO_ROOT, '.sops.yaml');
    const shipped = sopsCreationRules(
      examples().models.map((m) => m.env),
      path.basename(ENVIRONMENTS_DIR),
    );
    expect(fs.existsSync(committed) ? fs.readFileSync(committed, 'utf8') : undefined).toBe(shipped);
  });
});
