import { Construct } from 'constructs';
import { vaultDatabaseLoginSecret } from '../vault/vault-platform-config';
import { Cluster, ClusterSpecManagedRolesEnsure, ClusterSpecPrimaryUpdateStrategy, ClusterSpecResourcesLimits, ClusterSpecResourcesRequests } from '../../imports/postgresql.cnpg.io';
import { parseImageRef } from '../image';
import { propError } from '../props';

export interface PostgresClusterProps {
  readonly name: string;
  readonly namespace: string;
  /** Size of each instance's volume, e.g. "20Gi". */
  readonly storageSize: string;
  /** @default the cluster's default StorageClass */
  readonly storageClass?: string;
  /** @default 3 (one primary, two replicas) */
  readonly instances?: number;
  /** Application database and its owner. @default { database: 'app', owner: 'app' } */
  readonly database?: { readonly name: string; readonly owner: string };
  /** Extensions created in the application database, e.g. ["vector"]. @default [] */
  readonly extensions?: ReadonlyArray<string>;
  /** CloudNativePG operand image, pinned. @default ghcr.io/cloudnative-pg/postgresql:16.6 */
  readonly imageName?: string;
  /** @default 500m / 1Gi requests, 2 / 4Gi limits */
  readonly resources?: { readonly requests: { cpu: string; memory: string }; readonly limits: { cpu: string; memory: string } };
  /** @default 0 */
  readonly syncWave?: number;
}

/**
 * PostgreSQL through the CloudNativePG operator (seed 000: "operators where mature ones exist"): the
 * operator handles replication, failover and its own PDB. Superuser access stays off; applications get
 * the owner's credentials from the operator-generated `<name>-app` Secret, and Vault's database engine
 * logs in as the managed role `vault` to issue short-lived users (seed 000: "Vault generates").
 */
export class PostgresCluster extends Construct {
  /** Read-write service of the primary. */
  readonly host: string;
  /** Secret with `username`, `password`, `uri` of the application owner. */
  readonly appSecret: string;

  constructor(scope: Construct, id: string, props: PostgresClusterProps) {
    super(scope, id);
    const instances = props.instances ?? 3;
    if (instances < 1) throw propError('PostgresCluster', 'instances', instances, 'at least 1');
    const image = props.imageName ?? 'ghcr.io/cloudnative-pg/postgresql:16.6';
    parseImageRef(image, 'PostgresCluster', 'imageName');
    const db = props.database ?? { name: 'app', owner: 'app' };
    const res = props.resources ?? { requests: { cpu: '500m', memory: '1Gi' }, limits: { cpu: '2', memory: '4Gi' } };
    this.host = `${props.name}-rw.${props.namespace}.svc`;
    this.appSecret = `${props.name}-app`;
    new Cluster(this, 'cluster', {
      metadata: {
        name: props.name,
        namespace: props.namespace,
        annotations: props.syncWave !== undefined ? { 'argocd.argoproj.io/sync-wave': String(props.syncWave) } : undefined,
      },
      spec: {
        instances,
        imageName: image,
        enableSuperuserAccess: false,
        enablePdb: true,
        primaryUpdateStrategy: ClusterSpecPrimaryUpdateStrategy.UNSUPERVISED,
        storage: { size: props.storageSize, storageClass: props.storageClass },
        bootstrap: {
          initdb: {
            database: db.name,
            owner: db.owner,
            dataChecksums: true,
            postInitApplicationSql: (props.extensions ?? []).map((e) => `CREATE EXTENSION IF NOT EXISTS "${e}"`),
          },
        },
        resources: {
          requests: { cpu: ClusterSpecResourcesRequests.fromString(res.requests.cpu), memory: ClusterSpecResourcesRequests.fromString(res.requests.memory) },
          limits: { cpu: ClusterSpecResourcesLimits.fromString(res.limits.cpu), memory: ClusterSpecResourcesLimits.fromString(res.limits.memory) },
        },
        monitoring: { enablePodMonitor: true },
        // The login of Vault's database engine, which issues short-lived users in the owner's role.
        managed: {
          roles: [
            {
              name: 'vault',
              ensure: ClusterSpecManagedRolesEnsure.PRESENT,
              login: true,
              createrole: true,
              inRoles: [db.owner],
              passwordSecret: { name: vaultDatabaseLoginSecret(props.name) },
            },
          ],
        },
      },
    });
  }
}
