import { VaultAppSecrets } from '../../../constructs/k8s/vault-app-secrets';
import { kvPath, secretStoreName, vaultRole } from '../../../lib/core/vault-naming';
import { FactRegistry } from '../../../lib/core/facts/registry';
import { errorOf, k8sChart as bareChart, only, synthK8s } from '../helpers';

/** A chart whose environment has External Secrets (its CRDs). */
function k8sChart() {
  const c = bareChart();
  FactRegistry.of(c).provideName('CRD group', 'external-secrets.io', 'test');
  return c;
}

const identity = { namespace: 'team', app: 'api' };

describe('VaultAppSecrets', () => {
  it('defaults: a store scoped to the app’s namespace and Vault role, one ExternalSecret per Secret with sorted keys, refreshed hourly, in the app-secrets wave', () => {
    const c = k8sChart();
    new VaultAppSecrets(c, 's', { identity, secrets: [{ name: 'db', keys: ['password', 'username'] }] });
    const out = synthK8s(c);
    const store = only(out, 'ClusterSecretStore');
    expect(store.metadata.name).toBe(secretStoreName(identity));
    expect(store.spec.conditions).toEqual([{ namespaces: ['team'] }]);
    expect(store.spec.provider.vault.auth.kubernetes.role).toBe(vaultRole(identity));
    const es = only(out, 'ExternalSecret');
    expect(es.spec.refreshInterval).toBe('1h');
    expect(es.spec.data).toEqual([
      { secretKey: 'password', remoteRef: { key: kvPath(identity, 'db'), property: 'password' } },
      { secretKey: 'username', remoteRef: { key: kvPath(identity, 'db'), property: 'username' } },
    ]);
    expect(es.metadata.annotations['argocd.argoproj.io/sync-wave']).toBe(store.metadata.annotations['argocd.argoproj.io/sync-wave']);
    expect(only(out, 'ServiceAccount').automountServiceAccountToken).toBe(false);
  });

  it('options: Secret type, refresh interval, sync wave', () => {
    const c = k8sChart();
    new VaultAppSecrets(c, 's', { identity, secrets: [{ name: 'creds', keys: ['cloud'], type: 'Opaque' }], refreshInterval: '5m', syncWave: -2 });
    const es = only(synthK8s(c), 'ExternalSecret');
    expect(es.spec.refreshInterval).toBe('5m');
    expect(es.spec.target.template).toEqual({ type: 'Opaque' });
    expect(es.metadata.annotations['argocd.argoproj.io/sync-wave']).toBe('-2');
  });

  it('option: templates, keys External Secrets computes from the Vault keys (the Secret then has exactly those and the Vault keys)', () => {
    const c = k8sChart();
    new VaultAppSecrets(c, 's', {
      identity,
      secrets: [
        { name: 'registry', keys: ['value', 'password'], templates: { short: '{{ .value | trunc 16 }}', htpasswd: '{{ htpasswd "u" .password }}' } },
      ],
    });
    const es = only(synthK8s(c), 'ExternalSecret');
    expect(es.spec.target.template).toEqual({
      engineVersion: 'v2',
      data: { password: '{{ .password }}', value: '{{ .value }}', htpasswd: '{{ htpasswd "u" .password }}', short: '{{ .value | trunc 16 }}' },
    });
    expect(es.spec.data.map((d: any) => d.secretKey)).toEqual(['password', 'value']);
  });

  it("option: chartSecrets, a vendor chart's values in Argo CD's namespace from the app's own Vault secrets (which then need no copy in the app's namespace)", () => {
    const c = k8sChart();
    new VaultAppSecrets(c, 's', {
      identity,
      secrets: [
        { name: 'oidc', keys: ['client-secret'], sync: false },
        { name: 'db', keys: ['password'] },
      ],
      chartSecrets: [
        { application: 'api', secret: 'api-chart-values', values: [{ key: 'oidc.clientSecret', vaultSecret: 'oidc', property: 'client-secret' }] },
      ],
      argoNamespace: 'argo',
    });
    const out = synthK8s(c);
    expect(only(out, 'ClusterSecretStore').spec.conditions).toEqual([{ namespaces: ['team', 'argo'] }]);
    const es = out.filter((o) => o.kind === 'ExternalSecret');
    expect(es.map((o) => `${o.metadata.namespace}/${o.metadata.name}`)).toEqual(['team/db', 'argo/api-chart-values']);
    expect(es[1].spec.data).toEqual([{ secretKey: 'oidc.clientSecret', remoteRef: { key: kvPath(identity, 'oidc'), property: 'client-secret' } }]);
    expect(
      errorOf(
        () =>
          new VaultAppSecrets(k8sChart(), 's', {
            identity,
            secrets: [{ name: 'db', keys: ['password'] }],
            chartSecrets: [{ application: 'api', secret: 'v', values: [{ key: 'k', vaultSecret: 'db', property: 'user' }] }],
          }),
      ),
    ).toBe('VaultAppSecrets at test/s: prop "chartSecrets" is "v: db.user"; expected a key of one of the app\'s own Vault secrets (secrets)');
  });

  it('needs External Secrets in the environment', () => {
    expect(errorOf(() => new VaultAppSecrets(bareChart(), 's', { identity, secrets: [{ name: 'db', keys: ['p'] }] }))).toMatch(
      /^test\/s \(ExternalSecret\) needs CRD group "external-secrets.io"/,
    );
  });

  it('rejects an empty list of Secrets', () => {
    expect(errorOf(() => new VaultAppSecrets(k8sChart(), 's', { identity, secrets: [] }))).toBe(
      'VaultAppSecrets at test/s: prop "secrets" is []; expected at least one Secret',
    );
  });
});
