import * as path from 'path';
import { vaultAccessOf } from '../apps';
import { checkEnvironments } from '../lib/pipeline/guardrails/check';
import { scanForSecrets } from '../lib/pipeline/guardrails/secret-scan';
import { readTree } from '../lib/pipeline/synth/atomic-dir';
import { synthesizeAll } from '../lib/pipeline/synth/pipeline';
import { kvPrefix } from '../lib/core/vault-naming';
import { REPO_ROOT, examples, fixture, manifests, nameIs, resources, terraform } from './helpers';

const vaultApp = (env: string) =>
  manifests(examples(), env).find((o) => o.kind === 'Application' && o.metadata.name === 'vault').spec.source.helm.valuesObject;

describe('Vault server (GitOps)', () => {
  it('runs HA on integrated Raft: 3 replicas on different nodes, a PDB, audit storage', () => {
    for (const env of ['dev', 'prod', 'onprem']) {
      const server = vaultApp(env).server;
      expect(server.ha).toMatchObject({
        enabled: true,
        replicas: 3,
        disruptionBudget: { enabled: true, maxUnavailable: 1 },
        raft: { enabled: true },
      });
      expect(server.affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution[0].topologyKey).toBe('kubernetes.io/hostname');
      expect(server.auditStorage.enabled).toBe(true);
    }
  });

  it('serves and joins Raft over TLS from the internal CA', () => {
    const config: string = vaultApp('dev').server.ha.raft.config;
    expect(config).toContain('tls_cert_file      = "/vault/userconfig/tls/tls.crt"');
    expect(config).not.toMatch(/tls_disable\s*=\s*(1|true)/);
    expect(config.match(/retry_join/g)).toHaveLength(3);
    expect(vaultApp('dev').global.tlsDisable).toBe(false);
    const cert = manifests(examples(), 'dev').find((o) => o.kind === 'Certificate' && o.metadata.name === 'vault-server-tls');
    expect(cert.spec.issuerRef.name).toBe('parity-internal-ca');
    expect(cert.spec.dnsNames).toEqual(expect.arrayContaining(['vault.vault.svc', '*.vault-internal']));
  });

  it('auto-unseals from the cloud KMS where one exists, Shamir shares on bare metal', () => {
    expect(vaultApp('dev').server.ha.raft.config).toContain(
      'seal "awskms" {\n  region     = "us-east-1"\n  kms_key_id = "alias/axiom-dev-vault-unseal"\n}',
    );
    expect(vaultApp('prod').server.ha.raft.config).toContain('seal "azurekeyvault" {');
    // The identity's client ID is known after the cluster stack applies: the bootstrap stack writes the
    // ServiceAccount from that stack's output, and the chart uses it.
    expect(vaultApp('prod').server.serviceAccount).toEqual({ create: false, name: 'vault' });
    const sa = resources(terraform(examples(), 'prod', 'bootstrap'), 'kubernetes_manifest').find(
      (r) => r.manifest.kind === 'ServiceAccount',
    ).manifest;
    expect(sa.metadata).toMatchObject({ name: 'vault', namespace: 'vault' });
    expect(sa.metadata.annotations['azure.workload.identity/client-id']).toMatch(
      /cross-stack-reference-input-prod-cluster.*vault-unseal_identity.*client_id/,
    );
    expect(vaultApp('dev').server.serviceAccount).toMatchObject({ create: true, name: 'vault' });
    expect(vaultApp('prod').server.extraLabels).toEqual({ 'azure.workload.identity/use': 'true' });
    expect(vaultApp('onprem').server.ha.raft.config).not.toContain('seal ');
    expect(examples().files.get('onprem/README.md')).toBeDefined();
  });

  it('the cloud cluster stacks create the unseal key and give only Vault’s service account access to it', () => {
    const dev = terraform(examples(), 'dev', 'cluster');
    expect(resources(dev, 'aws_kms_alias').map((a) => a.name)).toContain('alias/axiom-dev-vault-unseal');
    const association = resources(dev, 'aws_eks_pod_identity_association').find((a) => a.service_account === 'vault');
    expect(association.namespace).toBe('vault');
    const policy = JSON.parse(resources(dev, 'aws_iam_role_policy').find((p) => p.role.includes('vault-unseal')).policy);
    expect(policy.Statement).toEqual([
      {
        Effect: 'Allow',
        Action: ['kms:Encrypt', 'kms:Decrypt', 'kms:DescribeKey'],
        Resource: expect.stringMatching(/^\$\{aws_kms_key\..*vault-unseal.*\.arn\}$/),
      },
    ]);
    const prod = terraform(examples(), 'prod', 'cluster');
    expect(resources(prod, 'azurerm_key_vault').find((k) => k.name === 'kv-arbitexprod-unseal')).toMatchObject({
      name: 'kv-arbitexprod-unseal',
      enable_rbac_authorization: true,
      purge_protection_enabled: true,
      public_network_access_enabled: false,
    });
    const unseal = resources(prod, 'azurerm_federated_identity_credential').filter((f) => f.subject.includes(':vault:'));
    expect(unseal.map((f) => f.subject)).toEqual(['system:serviceaccount:vault:vault']);
  });
});

describe('Vault configuration stack', () => {
  it('synthesizes for all three environments, after bootstrap, with KV v2, Kubernetes auth, password policy and audit', () => {
    for (const env of ['dev', 'prod', 'onprem']) {
      const tf = terraform(examples(), env, 'vault');
      expect(resources(tf, 'vault_mount')[0]).toMatchObject({ path: 'kv', type: 'kv', options: { version: '2' } });
      expect(resources(tf, 'vault_auth_backend')[0]).toMatchObject({ type: 'kubernetes', path: 'kubernetes' });
      expect(resources(tf, 'vault_password_policy')[0].name).toBe('parity-generated');
      expect(resources(tf, 'vault_audit')[0]).toMatchObject({ type: 'file', options: { file_path: '/vault/audit/vault_audit.log' } });
      // Through a port-forward from the deploying runner: Vault is on no ingress for Terraform.
      expect(tf.provider.vault[0]).toEqual({ address: 'https://127.0.0.1:8200' });
    }
  });

  it('takes the Kubernetes host and CA from the cluster stack outputs', () => {
    const config = resources(terraform(examples(), 'dev', 'vault'), 'vault_kubernetes_auth_backend_config')[0];
    expect(config.kubernetes_host).toMatch(/cross-stack-reference-input-dev-cluster.*endpoint/);
    expect(config.kubernetes_ca_cert).toMatch(/^\$\{base64decode\(data\.terraform_remote_state\.cross-stack-reference-input-dev-cluster/);
    const onprem = resources(terraform(examples(), 'onprem', 'vault'), 'vault_kubernetes_auth_backend_config')[0];
    expect(onprem).toMatchObject({ kubernetes_host: 'https://10.0.20.10:6443' });
    expect(onprem.kubernetes_ca_cert).toMatch(/cross-stack-reference-input-onprem-cluster.*tls_self_signed_cert/);
  });

  for (const env of ['dev', 'onprem']) {
    describe(`apps of ${env}`, () => {
      const model = examples().models.find((m) => m.env.name === env)!;
      const tf = terraform(examples(), env, 'vault');
      const accesses = model.env.apps.map(vaultAccessOf).filter((a) => a.secrets.length || a.databases.length);

      it('each app’s policy reads its own path (and its own database roles) only', () => {
        expect(accesses.length).toBeGreaterThan(0);
        for (const a of accesses) {
          const policy = resources(tf, 'vault_policy').find((p) => p.name === `${a.identity.namespace}-${a.identity.app}`);
          const paths = [...policy.policy.matchAll(/path "([^"]+)" \{\n {2}capabilities = \[([^\]]+)\]/g)].map((m) => [m[1], m[2]]);
          const prefix = kvPrefix(a.identity);
          for (const [p, caps] of paths) {
            const own =
              p === `kv/data/${prefix}*` ||
              p === `kv/metadata/${prefix}*` ||
              a.databases.some((db) => p === `database/creds/${a.identity.namespace}-${db.cluster}`);
            expect({ path: p, own }).toEqual({ path: p, own: true });
            expect(caps).not.toMatch(/create|update|delete|sudo/);
          }
          expect(paths.length).toBe(2 + a.databases.length);
        }
      });

      it('each role is bound to exactly the app’s ServiceAccount and namespace, with only its policy', () => {
        for (const a of accesses) {
          const role = resources(tf, 'vault_kubernetes_auth_backend_role').find((r) => r.role_name === `${a.identity.namespace}-${a.identity.app}`);
          expect(role.bound_service_account_names).toEqual([`${a.identity.app}-secrets`]);
          expect(role.bound_service_account_namespaces).toEqual([a.identity.namespace]);
          expect(role.token_policies).toHaveLength(1);
          expect(role.token_policies[0]).toMatch(new RegExp(`^\\$\\{vault_policy\\.platform_policy-${a.identity.namespace}-${a.identity.app}_`));
        }
      });

      it('every ExternalSecret reads only under its app’s prefix, through a store limited to its namespace (and Argo CD’s, for a vendor chart’s values)', () => {
        const objects = manifests(examples(), env);
        // Those from a Vault store (the database logins come from generators: see the next test).
        const externalSecrets = objects.filter((o) => o.kind === 'ExternalSecret' && o.spec.secretStoreRef);
        expect(externalSecrets.length).toBeGreaterThan(0);
        for (const es of externalSecrets) {
          const store = objects.find((o) => o.kind === 'ClusterSecretStore' && o.metadata.name === es.spec.secretStoreRef.name);
          const auth = store.spec.provider.vault.auth.kubernetes;
          // The app's namespace: where its secrets ServiceAccount lives.
          const appNamespace = auth.serviceAccountRef.namespace;
          const served = es.metadata.namespace === appNamespace ? [appNamespace] : [appNamespace, 'argocd'];
          expect(store.spec.conditions[0].namespaces.slice(0, served.length)).toEqual(served);
          expect(store.spec.conditions[0].namespaces.every((n: string) => n === appNamespace || n === 'argocd')).toBe(true);
          const app = auth.serviceAccountRef.name.replace(/-secrets$/, '');
          expect(auth.role).toBe(`${appNamespace}-${app}`);
          for (const d of es.spec.data) expect(d.remoteRef.key.startsWith(`${appNamespace}/${app}/`)).toBe(true);
        }
      });
    });
  }

  it('Vault generates the secrets nobody sets (Axiom design) and keeps the first generation', () => {
    const kv = resources(terraform(examples(), 'dev', 'vault'), 'vault_kv_secret_v2');
    const redis = kv.find((k) => k.name === 'dev-center/axiom-platform/redis-auth');
    expect(redis.data_json).toMatch(/^\$\{jsonencode\(\{"password" = data\.vault_generic_secret\..*\.data\.password\}\)\}$/);
    expect(redis.lifecycle.ignore_changes).toEqual(['data_json']);
    const generator = Object.values<any>(terraform(examples(), 'dev', 'vault').data.vault_generic_secret)[0];
    expect(generator.path).toBe('sys/policies/password/parity-generated/generate');
  });

  it('configures the database engine for every CloudNativePG cluster, with Vault’s login as a managed role', () => {
    const tf = terraform(examples(), 'dev', 'vault');
    const mount = resources(tf, 'vault_database_secrets_mount')[0];
    expect(mount.postgresql.map((p: any) => p.name).sort()).toEqual([
      'ai-platform-metaflow-postgres',
      'ai-platform-mlflow-postgres',
      'ai-platform-pgvector',
      'auth-keycloak-postgres',
      'dev-center-axiom-postgres',
      'dev-center-temporal-postgres',
    ]);
    expect(mount.postgresql[0].connection_url).toMatch(
      /^postgresql:\/\/\{\{username\}\}:\{\{password\}\}@.+-rw\.dev-center\.svc:5432\/.+\?sslmode=require$/,
    );
    expect(mount.lifecycle.ignore_changes).toEqual(mount.postgresql.map((_: unknown, i: number) => `postgresql[${i}].password`));
    const roles = resources(tf, 'vault_database_secret_backend_role');
    expect(roles).toHaveLength(mount.postgresql.length);
    for (const r of roles) expect(r.max_ttl).toBe(86400);
    const cluster = manifests(examples(), 'dev').find((o) => o.kind === 'Cluster' && o.metadata.name === 'axiom-postgres');
    expect(cluster.spec.managed.roles).toEqual([
      { name: 'vault', ensure: 'present', login: true, createrole: true, inRoles: ['axiom'], passwordSecret: { name: 'axiom-postgres-vault-login' } },
    ]);
    const login = manifests(examples(), 'dev').find((o) => o.kind === 'ExternalSecret' && o.metadata.name === 'axiom-postgres-vault-login');
    expect(login.spec.target.template.type).toBe('kubernetes.io/basic-auth');
  });

  it('issues each app a login per lease that acts as the owner role, a day long, renewed by External Secrets every 12 hours', () => {
    const roles = resources(terraform(examples(), 'dev', 'vault'), 'vault_database_secret_backend_role');
    const axiom = roles.find((r) => r.name === 'dev-center-axiom-postgres');
    expect(axiom.creation_statements).toEqual([
      `CREATE ROLE "{{name}}" WITH LOGIN PASSWORD '{{password}}' VALID UNTIL '{{expiration}}' IN ROLE "axiom";`,
      `ALTER ROLE "{{name}}" SET role = 'axiom';`,
    ]);
    expect([axiom.default_ttl, axiom.max_ttl]).toEqual([86400, 86400]);
    // ... for the owner role of the database, where it differs from the database's name (Open WebUI's vectors).
    const vectors = resources(terraform(examples(), 'onprem', 'vault'), 'vault_database_secret_backend_role').find(
      (r) => r.name === 'ai-platform-pgvector',
    );
    expect(vectors.creation_statements[1]).toBe(`ALTER ROLE "{{name}}" SET role = 'openwebui';`);
    const objects = manifests(examples(), 'dev');
    const gen = objects.find((o) => o.kind === 'VaultDynamicSecret' && o.metadata.name === 'axiom-postgres-vault-creds');
    expect(gen.spec.path).toBe('database/creds/dev-center-axiom-postgres');
    // The role the generator logs in with is the app's, whose policy reads exactly these credentials.
    const policy = resources(terraform(examples(), 'dev', 'vault'), 'vault_policy').find((p) => p.name === gen.spec.provider.auth.kubernetes.role);
    expect(policy.policy).toContain(`path "${gen.spec.path}" {\n  capabilities = ["read"]`);
    const es = objects.find((o) => o.kind === 'ExternalSecret' && o.metadata.name === 'axiom-postgres-vault-creds');
    expect(es.spec.refreshInterval).toBe('12h');
  });

  it('no app reads a static database password Vault could issue: the backend, Keycloak and Temporal read Vault’s logins and roll over on rotation', () => {
    const objects = manifests(examples(), 'axiom-prod');
    const reads = (name: string) =>
      objects
        .find((o) => ['Deployment', 'Job'].includes(o.kind) && nameIs(o, name))
        .spec.template.spec.containers[0].env.filter((e: any) => e.valueFrom?.secretKeyRef)
        .map((e: any) => e.valueFrom.secretKeyRef.name);
    expect(new Set(reads('axiom-backend'))).toContain('axiom-postgres-vault-creds');
    expect(reads('axiom-backend')).not.toContain('axiom-postgres-app');
    const backend = objects.find((o) => o.kind === 'Deployment' && o.metadata.name === 'axiom-backend');
    expect(backend.metadata.annotations['secret.reloader.stakater.com/reload']).toBe('axiom-postgres-vault-creds');
    // Keycloak's operator reads the login's Secret for the servers (and polls it, rolling them when it rotates).
    const kc = objects.find((o) => o.kind === 'Keycloak');
    expect([kc.spec.db.usernameSecret.name, kc.spec.db.passwordSecret.name]).toEqual([
      'keycloak-postgres-vault-creds',
      'keycloak-postgres-vault-creds',
    ]);
    // Temporal too: servers and schema Job log in as the lease's user, named in the servers' environment.
    expect([...new Set(reads('temporal-schema'))]).toEqual(['temporal-postgres-vault-creds']);
    const temporal = objects.find((o) => o.kind === 'Application' && o.metadata.name === 'temporal');
    expect(JSON.stringify(temporal.spec.source.helm.valuesObject)).not.toContain('temporal-postgres-app');
    // No environment needs an exception for it.
    for (const m of examples().models) expect(m.env.exceptions.filter((e) => e.rule === 'K8S-013')).toEqual([]);
  });
});

describe('secrets reach apps by name only', () => {
  it('Arbitex design on Vault: without Key Vault, <release>-api-secrets comes from an ExternalSecret with DATABASE_URL and SECRET_KEY', () => {
    const result = synthesizeAll({
      environmentsDir: fixture('prod', (e) => {
        delete e.apps[0].keyVault;
        delete e.apps[0].database;
        delete e.apps[0].cache;
      }),
    });
    const es = manifests(result, 'prod').find((o) => o.kind === 'ExternalSecret' && o.metadata.name === 'arbitex-platform-api-secrets');
    expect(es.spec.data.map((d: any) => d.secretKey)).toEqual(expect.arrayContaining(['DATABASE_URL', 'SECRET_KEY']));
    expect(es.spec.data[0].remoteRef.key).toBe('arbitex/arbitex-platform/arbitex-platform-api-secrets');
    expect(manifests(result, 'prod').some((o) => o.kind === 'SecretProviderClass')).toBe(false);
    expect(resources(terraform(result, 'prod', 'vault'), 'vault_policy').map((p) => p.name)).toEqual([
      'arbitex-arbitex-platform',
      'monitoring-grafana',
      'velero-velero',
    ]);
  });

  it('Arbitex design on AKS: with Key Vault, the same Secret comes from a SecretProviderClass instead', () => {
    const objects = manifests(examples(), 'prod');
    expect(objects.some((o) => o.kind === 'ExternalSecret' && o.metadata.name === 'arbitex-platform-api-secrets')).toBe(false);
    const spc = resources(terraform(examples(), 'prod', 'bootstrap'), 'kubernetes_manifest').find((r) => r.manifest.kind === 'SecretProviderClass');
    expect(spc.manifest.spec.secretObjects[0].secretName).toBe('arbitex-platform-api-secrets');
  });

  it('K8S-012 fires for a Secret nothing produces', async () => {
    const model = examples().models.find((m) => m.env.name === 'dev')!;
    const files = new Map([...examples().files].filter(([f]) => f.startsWith('dev/')));
    const file = 'dev/manifests/apps/axiom-platform.dev-center.yaml';
    // Without the ExternalSecret that produces redis-auth.
    const kept = files
      .get(file)!
      .split(/^---\n/m)
      .filter((doc) => !(/^kind: ExternalSecret$/m.test(doc) && /^ {2}name: redis-auth$/m.test(doc)));
    files.set(file, kept.join('---\n'));
    const r = await checkEnvironments([model.env], files);
    expect(r.findings.map((f) => f.ruleId)).toContain('K8S-012');
    expect(r.findings.find((f) => f.ruleId === 'K8S-012')!.message).toMatch(/^Secret "redis-auth" is not produced by an ExternalSecret/);
  });

  it('the secret scan of all of dist/ finds nothing, and no Terraform JSON holds a literal credential', async () => {
    const files = readTree(path.join(REPO_ROOT, 'dist'));
    expect(await scanForSecrets(files, (f) => f.split('/')[0])).toEqual([]);
    for (const [file, text] of files) {
      if (!file.endsWith('cdk.tf.json')) continue;
      for (const m of text.matchAll(/"(password|secret_key|token|api_key)": "([^"]*)"/g))
        expect({ file, value: m[2] }).toEqual({ file, value: expect.stringMatching(/^\$\{/) });
    }
  });
});
