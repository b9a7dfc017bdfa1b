import { Construct } from 'constructs';
import { Audit } from '@cdktf/provider-vault/lib/audit';
import { AuthBackend } from '@cdktf/provider-vault/lib/auth-backend';
import { DataVaultGenericSecret } from '@cdktf/provider-vault/lib/data-vault-generic-secret';
import { DatabaseSecretBackendRole } from '@cdktf/provider-vault/lib/database-secret-backend-role';
import { DatabaseSecretsMount, DatabaseSecretsMountPostgresql } from '@cdktf/provider-vault/lib/database-secrets-mount';
import { KubernetesAuthBackendConfig } from '@cdktf/provider-vault/lib/kubernetes-auth-backend-config';
import { KubernetesAuthBackendRole } from '@cdktf/provider-vault/lib/kubernetes-auth-backend-role';
import { KvSecretV2 } from '@cdktf/provider-vault/lib/kv-secret-v2';
import { Mount } from '@cdktf/provider-vault/lib/mount';
import { PasswordPolicy } from '@cdktf/provider-vault/lib/password-policy';
import { Policy } from '@cdktf/provider-vault/lib/policy';
import { Fn } from '../../lib/core/facade/tf';
import {
  AppIdentity,
  VAULT_DATABASE_MOUNT,
  VAULT_K8S_AUTH_MOUNT,
  VAULT_KV_MOUNT,
  VAULT_PASSWORD_POLICY,
  kvPath,
  kvPrefix,
  secretsServiceAccount,
  vaultPolicy,
  vaultRole,
} from '../../lib/core/vault-naming';
import { propError } from '../props';

export interface VaultAppAccess {
  readonly identity: AppIdentity;
  /** Secrets under the app's KV prefix; `generated` ones are created once by Vault. */
  readonly secrets: ReadonlyArray<{
    readonly name: string;
    readonly keys: ReadonlyArray<string>;
    readonly generated: boolean;
    /** Keys with a fixed value (a login's user name). @default {} */
    readonly fixed?: Readonly<Record<string, string>>;
  }>;
  /** CloudNativePG clusters of the app: Vault issues short-lived credentials for each. */
  /** Its CloudNativePG databases; `owner` is the role that owns the database's objects. @default owner: the database's name */
  readonly databases: ReadonlyArray<{ readonly cluster: string; readonly database: string; readonly owner?: string }>;
}

export interface VaultPlatformConfigProps {
  /** API server URL Vault validates ServiceAccount tokens against. */
  readonly kubernetesHost: string;
  /** PEM CA of that API server. */
  readonly kubernetesCaCert: string;
  readonly apps: ReadonlyArray<VaultAppAccess>;
  /**
   * Days Vault-issued database credentials live at most.
   * @default 1
   */
  readonly maxCredentialTtlDays?: number;
  /**
   * Secrets whose values another stack produces (a storage key in its state), written as they are and
   * kept in step with it: no person copies them. @default []
   */
  readonly provided?: ReadonlyArray<{ readonly identity: AppIdentity; readonly secret: string; readonly data: Readonly<Record<string, string>> }>;
}

/** Policy of one app: read its own KV prefix and its own database roles, nothing else. */
export function appPolicyHcl(app: VaultAppAccess): string {
  const prefix = kvPrefix(app.identity);
  const lines = [
    `path "${VAULT_KV_MOUNT}/data/${prefix}*" {`,
    '  capabilities = ["read"]',
    '}',
    `path "${VAULT_KV_MOUNT}/metadata/${prefix}*" {`,
    '  capabilities = ["read", "list"]',
    '}',
  ];
  for (const db of app.databases) {
    lines.push(`path "${VAULT_DATABASE_MOUNT}/creds/${databaseRole(app.identity, db.cluster)}" {`, '  capabilities = ["read"]', '}');
  }
  return `${lines.join('\n')}\n`;
}

export function databaseRole(a: AppIdentity, cluster: string): string {
  return `${a.namespace}-${cluster}`;
}

/** Secret (in the app's namespace) with the credentials Vault's database engine logs in with. */
export function vaultDatabaseLoginSecret(cluster: string): string {
  return `${cluster}-vault-login`;
}

/** 32 characters from letters and digits, at least one of each class (no symbols: URLs and DSNs stay unescaped). */
const PASSWORD_POLICY = `length = 32
rule "charset" {
  charset = "abcdefghijklmnopqrstuvwxyz"
  min-chars = 1
}
rule "charset" {
  charset = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
  min-chars = 1
}
rule "charset" {
  charset = "0123456789"
  min-chars = 1
}
`;

/**
 * The Vault side of the platform: KV v2 for application secrets, Kubernetes auth with one role per app
 * bound to exactly its ServiceAccount and namespace, one policy per app limited to its own path, a
 * password policy for everything Vault generates, a file audit device, and the database engine with a
 * connection and a role per CloudNativePG cluster.
 */
export class VaultPlatformConfig extends Construct {
  constructor(scope: Construct, id: string, props: VaultPlatformConfigProps) {
    super(scope, id);
    const seen = new Set<string>();
    for (const a of props.apps) {
      const role = vaultRole(a.identity);
      if (seen.has(role)) throw propError(this, 'apps', role, 'each app once per namespace');
      seen.add(role);
    }

    const kv = new Mount(this, 'kv', {
      path: VAULT_KV_MOUNT,
      type: 'kv',
      options: { version: '2' },
      description: 'Application secrets: <namespace>/<app>/<secret>',
    });
    const auth = new AuthBackend(this, 'kubernetes', { type: 'kubernetes', path: VAULT_K8S_AUTH_MOUNT });
    new KubernetesAuthBackendConfig(this, 'kubernetes-config', {
      backend: auth.path,
      kubernetesHost: props.kubernetesHost,
      kubernetesCaCert: props.kubernetesCaCert,
    });
    for (const p of props.provided ?? [])
      new KvSecretV2(this, `kv-${kvPath(p.identity, p.secret).replace(/\//g, '-')}`, {
        mount: kv.path,
        name: kvPath(p.identity, p.secret),
        dataJson: Fn.jsonencode(p.data),
      });
    const passwords = new PasswordPolicy(this, 'password-policy', { name: VAULT_PASSWORD_POLICY, policy: PASSWORD_POLICY });
    this.passwordPolicy = passwords;
    new Audit(this, 'audit', { type: 'file', path: 'file', options: { file_path: '/vault/audit/vault_audit.log', log_raw: 'false' } });

    const withDatabases = props.apps.filter((a) => a.databases.length > 0);
    const connections = withDatabases.flatMap((a) => a.databases.map((db) => this.connection(a.identity, db)));
    const dbMount = connections.length
      ? new DatabaseSecretsMount(this, 'database', {
          path: VAULT_DATABASE_MOUNT,
          postgresql: connections,
          // The password is written once: re-reading the generator would change it on every plan.
          lifecycle: { ignoreChanges: connections.map((_, i) => `postgresql[${i}].password`) },
        })
      : undefined;

    for (const app of props.apps) {
      const a = app.identity;
      const policy = new Policy(this, `policy-${vaultPolicy(a)}`, { name: vaultPolicy(a), policy: appPolicyHcl(app) });
      new KubernetesAuthBackendRole(this, `role-${vaultRole(a)}`, {
        backend: auth.path,
        roleName: vaultRole(a),
        boundServiceAccountNames: [secretsServiceAccount(a)],
        boundServiceAccountNamespaces: [a.namespace],
        tokenPolicies: [policy.name],
        tokenTtl: 3600,
        tokenMaxTtl: 14400,
      });

      // Database logins are generated below with their fixed user name.
      const logins = new Set(app.databases.map((db) => vaultDatabaseLoginSecret(db.cluster)));
      for (const secret of app.secrets.filter((s) => s.generated && !logins.has(s.name)))
        this.generated(a, secret.name, secret.keys, kv, passwords, secret.fixed);
      for (const db of app.databases) {
        // The login Vault uses for this cluster: generated by Vault, synced to the cluster as a managed role.
        this.generated(a, vaultDatabaseLoginSecret(db.cluster), ['password', 'username'], kv, passwords, { username: 'vault' });
        new DatabaseSecretBackendRole(this, `db-role-${databaseRole(a, db.cluster)}`, {
          backend: dbMount!.path,
          name: databaseRole(a, db.cluster),
          dbName: `${a.namespace}-${db.cluster}`,
          // Each login acts as the owner role (ALTER ROLE ... SET role): what it creates belongs to the
          // owner, so the next login (another user) can use it, and revoking this one drops nothing.
          creationStatements: [
            `CREATE ROLE "{{name}}" WITH LOGIN PASSWORD '{{password}}' VALID UNTIL '{{expiration}}' IN ROLE "${db.owner ?? db.database}";`,
            `ALTER ROLE "{{name}}" SET role = '${db.owner ?? db.database}';`,
          ],
          revocationStatements: [
            `REASSIGN OWNED BY "{{name}}" TO "${db.owner ?? db.database}"; DROP OWNED BY "{{name}}"; DROP ROLE IF EXISTS "{{name}}";`,
          ],
          // A lease lives a day: External Secrets issues the next one halfway (12h), and the consumers
          // roll over while the previous login is still valid.
          defaultTtl: 86400,
          maxTtl: (props.maxCredentialTtlDays ?? 1) * 86400,
        });
      }
    }
  }

  private connection(a: AppIdentity, db: { cluster: string; database: string }): DatabaseSecretsMountPostgresql {
    return {
      name: `${a.namespace}-${db.cluster}`,
      connectionUrl: `postgresql://{{username}}:{{password}}@${db.cluster}-rw.${a.namespace}.svc:5432/${db.database}?sslmode=require`,
      username: 'vault',
      // Vault's own login: the password Vault generated into KV, which CloudNativePG sets on the managed role
      // (so Vault must not rotate it: the operator would set it back).
      password: Fn.lookup(this.passwordOf(a, vaultDatabaseLoginSecret(db.cluster), 'password'), 'password', ''),
      allowedRoles: [databaseRole(a, db.cluster)],
      verifyConnection: false,
      rootRotationStatements: [`ALTER ROLE "{{name}}" WITH PASSWORD '{{password}}';`],
    };
  }

  private readonly generators = new Map<string, DataVaultGenericSecret>();
  private passwordPolicy?: PasswordPolicy;

  /** A fresh password from the platform policy (Vault's generate endpoint), one per secret key. */
  private passwordOf(a: AppIdentity, secret: string, key: string): Record<string, string> {
    const id = `generate-${kvPath(a, secret).replace(/\//g, '-')}-${key}`;
    let ds = this.generators.get(id);
    if (!ds) {
      // A data source is read at plan time unless it depends on a resource: without the edge, the first
      // plan asks for passwords from a policy that does not exist yet.
      ds = new DataVaultGenericSecret(this, id, {
        path: `sys/policies/password/${VAULT_PASSWORD_POLICY}/generate`,
        dependsOn: [this.passwordPolicy!],
      });
      this.generators.set(id, ds);
    }
    return ds.data as unknown as Record<string, string>;
  }

  /**
   * Writes a secret whose values Vault generates. `ignore_changes` keeps the first generation: the
   * generate endpoint returns a new value on every read, and a rotation is a deliberate taint.
   */
  private generated(
    a: AppIdentity,
    secret: string,
    keys: ReadonlyArray<string>,
    kv: Mount,
    passwords: PasswordPolicy,
    fixed: Record<string, string> = {},
  ): void {
    const data: Record<string, string> = {};
    for (const key of keys) data[key] = fixed[key] ?? Fn.lookup(this.passwordOf(a, secret, key), 'password', '');
    new KvSecretV2(this, `kv-${kvPath(a, secret).replace(/\//g, '-')}`, {
      mount: kv.path,
      name: kvPath(a, secret),
      dataJson: Fn.jsonencode(data),
      lifecycle: { ignoreChanges: ['data_json'] },
      dependsOn: [passwords],
    });
  }
}
