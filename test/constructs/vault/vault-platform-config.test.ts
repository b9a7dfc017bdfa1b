import { VaultPlatformConfig, appPolicyHcl, databaseRole } from '../../../constructs/vault/vault-platform-config';
import { VAULT_KV_MOUNT } from '../../../lib/core/vault-naming';
import { errorOf, resourcesOf, synthTf, tfStack } from '../helpers';

const api = { identity: { namespace: 'team', app: 'api' }, secrets: [{ name: 'session', keys: ['key'], generated: true }], databases: [] };
const withDb = { identity: { namespace: 'data', app: 'svc' }, secrets: [], databases: [{ cluster: 'pg', database: 'app' }] };
const base = { kubernetesHost: 'https://kubernetes.default.svc', kubernetesCaCert: 'CA' };

describe('VaultPlatformConfig', () => {
  it('defaults: KV v2, Kubernetes auth, a password policy and a file audit device; per app a read-only policy on its KV prefix and a role bound to its secrets service account', () => {
    const s = tfStack();
    new VaultPlatformConfig(s, 'v', { ...base, apps: [api] });
    const json = synthTf(s);
    expect(resourcesOf(json, 'vault_mount')[0]).toMatchObject({ path: VAULT_KV_MOUNT, type: 'kv', options: { version: '2' } });
    expect(resourcesOf(json, 'vault_auth_backend')[0].type).toBe('kubernetes');
    expect(resourcesOf(json, 'vault_audit')[0].type).toBe('file');
    expect(resourcesOf(json, 'vault_policy')[0].policy).toBe(appPolicyHcl(api));
    expect(resourcesOf(json, 'vault_kubernetes_auth_backend_role')[0]).toMatchObject({
      bound_service_account_names: ['api-secrets'],
      bound_service_account_namespaces: ['team'],
      token_ttl: 3600,
    });
    expect(resourcesOf(json, 'vault_database_secrets_mount')).toEqual([]);
    // The generator reads wait for the password policy (a data source without the edge is read at plan time).
    const generators = resourcesOf(json, 'vault_generic_secret', 'data');
    expect(generators.length).toBeGreaterThan(0);
    for (const g of generators) expect(g.depends_on).toEqual([expect.stringMatching(/^vault_password_policy\./)]);
  });

  it('option databases: a database mount with a role per app and cluster, short-lived credentials (1 day by default, configurable)', () => {
    const s = tfStack();
    new VaultPlatformConfig(s, 'v', { ...base, apps: [withDb], maxCredentialTtlDays: 7 });
    const json = synthTf(s);
    const mount = resourcesOf(json, 'vault_database_secrets_mount')[0];
    expect(mount.postgresql[0]).toMatchObject({
      name: 'data-pg',
      username: 'vault',
      allowed_roles: [databaseRole(withDb.identity, 'pg')],
      connection_url: expect.stringContaining('pg-rw.data.svc:5432/app?sslmode=require'),
    });
    expect(resourcesOf(json, 'vault_database_secret_backend_role')[0]).toMatchObject({ name: 'data-pg', default_ttl: 86400, max_ttl: 7 * 86400 });
    expect(appPolicyHcl(withDb)).toContain('path "database/creds/data-pg"');
  });

  it('rejects an app listed twice in one namespace', () => {
    expect(errorOf(() => new VaultPlatformConfig(tfStack(), 'v', { ...base, apps: [api, api] }))).toBe(
      'VaultPlatformConfig at s/v: prop "apps" is "team-api"; expected each app once per namespace',
    );
  });
});
