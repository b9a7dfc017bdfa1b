import { Construct } from 'constructs';
import { ServiceEndpoint, WorkloadPeer, serviceHost, workloadPeer } from '../../lib/core/facts/connections';
import { FactRegistry } from '../../lib/core/facts/registry';
import { vaultDatabaseLoginSecret } from '../vault/vault-platform-config';
import {
  Cluster,
  ClusterSpecManagedRolesEnsure,
  ClusterSpecPrimaryUpdateStrategy,
  ClusterSpecResourcesLimits,
  ClusterSpecResourcesRequests,
} from '../../imports/postgresql.cnpg.io';
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
  /**
   * A `kubernetes.io/basic-auth` Secret with the owner's `username` and `password` (e.g. synced from Vault)
   * that initdb uses instead of generating one, for clients that must be given the password elsewhere.
   * @default none (CloudNativePG generates `<name>-app`)
   */
  readonly ownerSecret?: string;
  /** More databases owned by the same owner, created once at bootstrap (e.g. Temporal's visibility store). @default [] */
  readonly additionalDatabases?: ReadonlyArray<string>;
  /** CloudNativePG operand image, pinned. @default ghcr.io/cloudnative-pg/postgresql:16.6 */
  readonly imageName?: string;
  /** @default 500m / 1Gi requests, 2 / 4Gi limits */
  readonly resources?: { readonly requests: { cpu: string; memory: string }; readonly limits: { cpu: string; memory: string } };
  /** @default 0 */
  readonly syncWave?: number;
}

/**
 * PostgreSQL through the CloudNativePG operator (the Axiom design uses operators where mature ones exist): the
 * operator handles replication, failover and its own PDB. Superuser access stays off; applications get
 * the owner's credentials from the operator-generated `<name>-app` Secret, and Vault's database engine
 * logs in as the managed role `vault` to issue short-lived users (in the Axiom design, Vault generates credentials).
 */
export class PostgresCluster extends Construct {
  /**
   * What a CloudNativePG cluster needs on the network: the operator calls each instance manager
   * (8000), instances replicate from each other (5432) and talk to the API server (leader election,
   * status), Prometheus scrapes the exporter (9187).
   */
  private declareConnections(): void {
    const facts = FactRegistry.of(this);
    const by = this.node.path;
    facts.connect(
      { from: facts.workload('cnpg-operator', by), to: this.peer, ports: [{ port: 8000 }, { port: 5432 }], purpose: 'operator manages instances' },
      by,
    );
    facts.connect({ from: this.peer, to: this.peer, ports: [{ port: 5432 }, { port: 8000 }], purpose: 'streaming replication' }, by);
    facts.connect({ from: this.peer, to: { kind: 'api-server' }, ports: [], purpose: 'instance manager: status, leader election' }, by);
    facts.scrape(this.peer, 9187, by);
  }

  /** The Cluster's name (its Services, Secrets and Vault database role derive from it). */
  readonly name: string;
  /** Read-write service of the primary. */
  readonly host: string;
  /** Secret with `username`, `password`, `uri` of the application owner. */
  readonly appSecret: string;
  /** The primary's read-write Service, for clients' connections. */
  readonly endpoint: ServiceEndpoint;
  /** Every instance pod of the cluster. */
  readonly peer: WorkloadPeer;

  constructor(scope: Construct, id: string, props: PostgresClusterProps) {
    super(scope, id);
    this.name = props.name;
    const instances = props.instances ?? 3;
    if (instances < 1) throw propError(this, 'instances', instances, 'at least 1');
    for (const name of props.additionalDatabases ?? [])
      if (!/^[a-z_][a-z0-9_]{0,62}$/.test(name))
        throw propError(this, 'additionalDatabases', name, 'a PostgreSQL database name (lower-case letters, digits, _)');
    const image = props.imageName ?? 'ghcr.io/cloudnative-pg/postgresql:16.6';
    parseImageRef(image, this, 'imageName');
    const db = props.database ?? { name: 'app', owner: 'app' };
    const res = props.resources ?? { requests: { cpu: '500m', memory: '1Gi' }, limits: { cpu: '2', memory: '4Gi' } };
    this.peer = workloadPeer(props.namespace, props.name, { 'cnpg.io/cluster': props.name });
    this.endpoint = { namespace: props.namespace, service: `${props.name}-rw`, port: 5432, targetPort: 5432, workload: this.peer };
    this.host = serviceHost(this.endpoint);
    this.appSecret = props.ownerSecret ?? `${props.name}-app`;
    const facts = FactRegistry.of(this);
    facts.name('CRD group', 'postgresql.cnpg.io', `${this.node.path} (Cluster)`);
    if (props.storageClass) facts.name('StorageClass', props.storageClass, `${this.node.path} (storage)`);
    this.declareConnections();
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
            ...(props.ownerSecret ? { secret: { name: props.ownerSecret } } : {}),
            ...(props.additionalDatabases?.length
              ? { postInitSql: props.additionalDatabases.map((name) => `CREATE DATABASE "${name}" OWNER "${db.owner}"`) }
              : {}),
            dataChecksums: true,
            postInitApplicationSql: (props.extensions ?? []).map((e) => `CREATE EXTENSION IF NOT EXISTS "${e}"`),
          },
        },
        resources: {
          requests: {
            cpu: ClusterSpecResourcesRequests.fromString(res.requests.cpu),
            memory: ClusterSpecResourcesRequests.fromString(res.requests.memory),
          },
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
