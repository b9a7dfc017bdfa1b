import { PostgresCluster } from '../../../constructs/k8s/postgres-cluster';
import { workloadPeer } from '../../../lib/core/facts/connections';
import { FactRegistry } from '../../../lib/core/facts/registry';
import { errorOf, k8sChart, only, synthK8s } from '../helpers';

function chart() {
  const c = k8sChart();
  FactRegistry.of(c).provideWorkload('cnpg-operator', workloadPeer('cnpg-system', 'operator', { app: 'cnpg' }), 'test');
  FactRegistry.of(c).provideName('CRD group', 'postgresql.cnpg.io', 'test');
  FactRegistry.of(c).provideName('StorageClass', 'ceph-block', 'test');
  return c;
}

describe('PostgresCluster', () => {
  it('defaults: 3 instances, no superuser, a PDB, data checksums, database app owned by app; host and Secret derived; operator and replication connections', () => {
    const c = chart();
    const pg = new PostgresCluster(c, 'pg', { name: 'db', namespace: 'data', storageSize: '10Gi' });
    const cluster = only(synthK8s(c), 'Cluster');
    expect(cluster.spec).toMatchObject({ instances: 3, enableSuperuserAccess: false, enablePDB: true, storage: { size: '10Gi' } });
    expect(cluster.spec.bootstrap.initdb).toMatchObject({ database: 'app', owner: 'app', dataChecksums: true, postInitApplicationSQL: [] });
    expect(pg.host).toBe('db-rw.data.svc');
    expect(pg.appSecret).toBe('db-app');
    expect(
      FactRegistry.of(c)
        .connections()
        .map((x) => x.connection.purpose),
    ).toEqual(['operator manages instances', 'streaming replication', 'instance manager: status, leader election']);
  });

  it('options: instances, database, extensions, image, storage class, resources, sync wave', () => {
    const c = chart();
    new PostgresCluster(c, 'pg', {
      name: 'v',
      namespace: 'ai',
      storageSize: '5Gi',
      storageClass: 'ceph-block',
      instances: 1,
      database: { name: 'vectors', owner: 'webui' },
      extensions: ['vector'],
      imageName: 'ghcr.io/cloudnative-pg/postgresql:16.6-bookworm',
      syncWave: 2,
    });
    const cluster = only(synthK8s(c), 'Cluster');
    expect(cluster.metadata.annotations).toEqual({ 'argocd.argoproj.io/sync-wave': '2' });
    expect(cluster.spec.storage.storageClass).toBe('ceph-block');
    expect(cluster.spec.bootstrap.initdb.postInitApplicationSQL).toEqual(['CREATE EXTENSION IF NOT EXISTS "vector"']);
  });

  it('option: additionalDatabases, created once by initdb and owned by the owner; a name PostgreSQL would refuse is an error', () => {
    const c = chart();
    new PostgresCluster(c, 'pg', {
      name: 'db',
      namespace: 'data',
      storageSize: '10Gi',
      database: { name: 'app', owner: 'app' },
      additionalDatabases: ['app_visibility'],
    });
    expect(only(synthK8s(c), 'Cluster').spec.bootstrap.initdb.postInitSQL).toEqual(['CREATE DATABASE "app_visibility" OWNER "app"']);
    expect(
      errorOf(() => new PostgresCluster(chart(), 'pg', { name: 'db', namespace: 'data', storageSize: '10Gi', additionalDatabases: ['x"; DROP'] })),
    ).toMatch(/prop "additionalDatabases" is "x.*DROP"; expected a PostgreSQL database name \(lower-case letters, digits, _\)$/);
  });

  it('option: ownerSecret, the owner login initdb takes instead of generating one', () => {
    const c = chart();
    const pg = new PostgresCluster(c, 'pg', { name: 'db', namespace: 'data', storageSize: '10Gi', ownerSecret: 'pg-owner' });
    expect(only(synthK8s(c), 'Cluster').spec.bootstrap.initdb.secret).toEqual({ name: 'pg-owner' });
    expect(pg.appSecret).toBe('pg-owner');
  });

  it('needs the CloudNativePG CRDs and its StorageClass to be provided', () => {
    expect(errorOf(() => new PostgresCluster(k8sChart(), 'pg', { name: 'd', namespace: 'n', storageSize: '1Gi' }))).toMatch(
      /^test\/pg \(Cluster\) needs CRD group "postgresql.cnpg.io"/,
    );
    expect(errorOf(() => new PostgresCluster(chart(), 'pg', { name: 'd', namespace: 'n', storageSize: '1Gi', storageClass: 'gp2' }))).toMatch(
      /needs StorageClass "gp2"/,
    );
  });

  it('rejects zero instances and an untagged image', () => {
    expect(errorOf(() => new PostgresCluster(chart(), 'pg', { name: 'd', namespace: 'n', storageSize: '1Gi', instances: 0 }))).toBe(
      'PostgresCluster at test/pg: prop "instances" is 0; expected at least 1',
    );
    expect(errorOf(() => new PostgresCluster(chart(), 'pg', { name: 'd', namespace: 'n', storageSize: '1Gi', imageName: 'postgres' }))).toMatch(
      /prop "imageName"/,
    );
  });
});
