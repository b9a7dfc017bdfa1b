import { VaultDatabaseCredentials, RELOAD_ON_SECRETS_ANNOTATION } from '../../../constructs/k8s/vault-database-credentials';
import { BaseService } from '../../../constructs/k8s/base-service';
import { databaseRole } from '../../../constructs/vault/vault-platform-config';
import { secretsServiceAccount, vaultRole } from '../../../lib/core/vault-naming';
import { FactRegistry } from '../../../lib/core/facts/registry';
import { errorOf, k8sChart as bareChart, only, synthK8s } from '../helpers';

function k8sChart() {
  const c = bareChart();
  for (const g of ['external-secrets.io', 'generators.external-secrets.io', 'cert-manager.io'])
    FactRegistry.of(c).provideName('CRD group', g, 'test');
  return c;
}

const identity = { namespace: 'team', app: 'api' };

describe('VaultDatabaseCredentials', () => {
  it('defaults: a generator reading the app’s database role with the app’s Vault login, an ExternalSecret issuing a fresh login every 12h', () => {
    const c = k8sChart();
    const creds = new VaultDatabaseCredentials(c, 'db', { identity, cluster: 'api-postgres' });
    const out = synthK8s(c);
    expect(creds.secret).toBe('api-postgres-vault-creds');
    const gen = only(out, 'VaultDynamicSecret');
    expect(gen.spec).toMatchObject({
      path: `database/creds/${databaseRole(identity, 'api-postgres')}`,
      method: 'GET',
      provider: {
        auth: { kubernetes: { role: vaultRole(identity), serviceAccountRef: { name: secretsServiceAccount(identity) } } },
        caProvider: { type: 'Secret', name: 'api-postgres-vault-ca', key: 'ca.crt' },
      },
    });
    // The CA the generator trusts comes from the internal CA, in the generator's own namespace.
    const ca = only(out, 'Certificate');
    expect(ca.metadata.namespace).toBe('team');
    expect(ca.spec).toMatchObject({ secretName: 'api-postgres-vault-ca', issuerRef: { name: 'parity-internal-ca', kind: 'ClusterIssuer' } });
    const es = only(out, 'ExternalSecret');
    expect(es.spec.refreshInterval).toBe('12h');
    expect(es.spec.secretStoreRef).toBeUndefined();
    expect(es.spec.dataFrom).toEqual([
      { sourceRef: { generatorRef: { apiVersion: 'generators.external-secrets.io/v1alpha1', kind: 'VaultDynamicSecret', name: gen.metadata.name } } },
    ]);
    expect(es.spec.target.name).toBe(creds.secret);
    // After the databases (Vault logs in to them), before the services.
    for (const o of out) expect(o.metadata.annotations['argocd.argoproj.io/sync-wave']).toBe('1');
  });

  it('options: refresh interval and wave; an interval the lease would not outlast is an error naming the construct', () => {
    const c = k8sChart();
    new VaultDatabaseCredentials(c, 'db', { identity, cluster: 'pg', refreshInterval: '6h', syncWave: 2 });
    const es = only(synthK8s(c), 'ExternalSecret');
    expect(es.spec.refreshInterval).toBe('6h');
    expect(es.metadata.annotations['argocd.argoproj.io/sync-wave']).toBe('2');
    expect(errorOf(() => new VaultDatabaseCredentials(k8sChart(), 'db', { identity, cluster: 'pg', refreshInterval: '36h' }))).toMatch(
      /VaultDatabaseCredentials at test\/db: prop "refreshInterval" is "36h"; expected whole hours from 1h to 23h/,
    );
  });

  it('BaseService rotatedSecrets: Reloader’s annotation on the workload, only for Secrets it reads', () => {
    const c = k8sChart();
    const creds = new VaultDatabaseCredentials(c, 'db', { identity, cluster: 'pg' });
    new BaseService(c, 'svc', {
      name: 'api',
      namespace: 'team',
      image: 'example.org/api:1.0.0',
      containerPort: 8080,
      readinessProbe: { path: '/health' },
      secretEnv: { DB_USER: { secret: creds.secret, key: 'username' }, DB_PASSWORD: { secret: creds.secret, key: 'password' } },
      rotatedSecrets: [creds.secret],
    });
    const d = only(synthK8s(c), 'Deployment');
    expect(d.metadata.annotations[RELOAD_ON_SECRETS_ANNOTATION]).toBe('pg-vault-creds');
    expect(d.spec.template.metadata.annotations?.[RELOAD_ON_SECRETS_ANNOTATION]).toBeUndefined();
    expect(
      errorOf(
        () =>
          new BaseService(k8sChart(), 'svc', {
            name: 'api',
            namespace: 'team',
            image: 'example.org/api:1.0.0',
            containerPort: 8080,
            readinessProbe: { path: '/health' },
            rotatedSecrets: ['other'],
          }),
      ),
    ).toMatch(/BaseService at test\/svc: prop "rotatedSecrets" is "other"; expected a Secret it reads \(none\)/);
  });
});
