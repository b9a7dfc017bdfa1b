import { AppDatabase } from '../../../constructs/k8s/app-database';
import { FactRegistry } from '../../../lib/core/facts/registry';
import { workloadPeer } from '../../../lib/core/facts/connections';
import { k8sChart, only, synthK8s } from '../helpers';

function chart() {
  const c = k8sChart();
  FactRegistry.of(c).provideWorkload('cnpg-operator', workloadPeer('cnpg-system', 'operator', { app: 'cnpg' }), 'test');
  for (const g of ['postgresql.cnpg.io', 'generators.external-secrets.io', 'cert-manager.io']) FactRegistry.of(c).provideName('CRD group', g, 'test');
  return c;
}

describe('AppDatabase', () => {
  it('defaults: a CloudNativePG cluster owned by the database’s name, in the data wave, and a Vault login per lease', () => {
    const c = chart();
    const d = new AppDatabase(c, 'db', {
      identity: { app: 'tracker', namespace: 'ml' },
      cluster: 'tracker-postgres',
      database: 'tracker',
      storageSize: '10Gi',
    });
    const objects = synthK8s(c);
    const cluster = only(objects, 'Cluster');
    expect(cluster.metadata).toMatchObject({ name: 'tracker-postgres', namespace: 'ml', annotations: { 'argocd.argoproj.io/sync-wave': '0' } });
    expect(cluster.spec.bootstrap.initdb).toMatchObject({ database: 'tracker', owner: 'tracker' });
    expect(d.login).toBe('tracker-postgres-vault-creds');
    expect(only(objects, 'VaultDynamicSecret').spec.path).toBe('database/creds/ml-tracker-postgres');
    expect(only(objects, 'ExternalSecret').spec.target.template).toBeUndefined();
    expect(d.cluster.host).toBe('tracker-postgres-rw.ml.svc');
  });

  it('options: owner, extensions, instances, storage class, a uri key, sync wave', () => {
    const c = chart();
    FactRegistry.of(c).provideName('StorageClass', 'ceph-block', 'test');
    new AppDatabase(c, 'db', {
      identity: { app: 'chat', namespace: 'ai' },
      cluster: 'pgvector',
      database: 'vectors',
      owner: 'openwebui',
      storageSize: '5Gi',
      storageClass: 'ceph-block',
      instances: 1,
      extensions: ['vector'],
      uri: true,
      syncWave: 4,
    });
    const objects = synthK8s(c);
    const cluster = only(objects, 'Cluster');
    expect(cluster.spec).toMatchObject({ instances: 1, storage: { storageClass: 'ceph-block' } });
    expect(cluster.spec.bootstrap.initdb).toMatchObject({ owner: 'openwebui', postInitApplicationSQL: ['CREATE EXTENSION IF NOT EXISTS "vector"'] });
    expect(cluster.metadata.annotations['argocd.argoproj.io/sync-wave']).toBe('4');
    expect(only(objects, 'ExternalSecret').spec.target.template.data.uri).toBe(
      'postgresql://{{ .username }}:{{ .password }}@pgvector-rw.ai.svc:5432/vectors?sslmode=require',
    );
  });
});
