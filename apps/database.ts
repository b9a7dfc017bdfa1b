import { AppDatabase } from '../constructs/k8s/app-database';
import { Chart } from '../lib/core/facade/k8s';
import type { AppContext } from '../contracts/app';

/**
 * An app's own PostgreSQL (`database:` of its config, see appDatabaseSchema) on the environment's default
 * StorageClass, its logins leased from Vault: the cluster every database-backed app of the platform runs.
 * @param db the cluster's and the database's names, and its owner role where the app's differs
 * @param options `uri`: also a connection URI Secret, for apps configured by one URL
 */
export function ownDatabase(
  chart: Chart,
  cfg: { readonly app: string; readonly namespace: string; readonly database: { readonly storage: string; readonly instances: number } },
  ctx: AppContext,
  db: { readonly cluster: string; readonly name: string; readonly owner?: string },
  options: { readonly uri?: boolean } = {},
): AppDatabase {
  return new AppDatabase(chart, 'database', {
    identity: { app: cfg.app, namespace: cfg.namespace },
    cluster: db.cluster,
    database: db.name,
    owner: db.owner,
    storageSize: cfg.database.storage,
    storageClass: ctx.traits.defaultStorageClass,
    instances: cfg.database.instances,
    ...options,
  });
}
