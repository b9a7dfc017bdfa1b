import { Construct } from 'constructs';
import { WAVES } from '../../lib/core/facts/waves';
import { AppIdentity } from '../../lib/core/vault-naming';
import { PostgresCluster } from './postgres-cluster';
import { VaultDatabaseCredentials } from './vault-database-credentials';

export interface AppDatabaseProps {
  /** The app whose Vault role issues the logins (its `databases` names this cluster). */
  readonly identity: AppIdentity;
  /** Name of the CloudNativePG cluster, in the app's namespace. */
  readonly cluster: string;
  readonly database: string;
  /** @default the database's name */
  readonly owner?: string;
  /** Size of each instance's volume, e.g. "20Gi". */
  readonly storageSize: string;
  /** @default the cluster's default StorageClass */
  readonly storageClass?: string;
  /** @default 3 */
  readonly instances?: number;
  /** Extensions created in the database, e.g. ["vector"]. @default [] */
  readonly extensions?: ReadonlyArray<string>;
  /** Also a `uri` key in the login Secret (clients that take one URL). @default false */
  readonly uri?: boolean;
  /** @default WAVES.appData */
  readonly syncWave?: number;
}

/**
 * An app's PostgreSQL as the platform runs every one: a CloudNativePG cluster, and its logins issued by
 * Vault's database engine per lease (`login`: the Secret with `username`, `password`, and `uri` when
 * asked), never the owner's static password.
 */
export class AppDatabase extends Construct {
  readonly cluster: PostgresCluster;
  /** The Secret of the current Vault-issued login. */
  readonly login: string;

  constructor(scope: Construct, id: string, props: AppDatabaseProps) {
    super(scope, id);
    this.cluster = new PostgresCluster(this, 'cluster', {
      name: props.cluster,
      namespace: props.identity.namespace,
      storageSize: props.storageSize,
      storageClass: props.storageClass,
      instances: props.instances,
      database: { name: props.database, owner: props.owner ?? props.database },
      extensions: props.extensions,
      syncWave: props.syncWave ?? WAVES.appData,
    });
    this.login = new VaultDatabaseCredentials(this, 'credentials', {
      identity: props.identity,
      cluster: props.cluster,
      uri: props.uri ? { host: this.cluster.host, database: props.database } : undefined,
    }).secret;
  }
}
