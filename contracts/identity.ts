/**
 * A workload that authenticates to the cloud as itself (workload identity federation): the substrate
 * creates the identity, federates it with the ServiceAccounts and grants it what it reads, in the
 * cluster stack. Its client ID is known only after apply, so objects that carry it are
 * `InfrastructureBoundObject`s.
 */
export interface WorkloadIdentityRequest {
  /** Name of the identity, unique in the environment, e.g. `arbitex-platform-key-vault`. */
  readonly id: string;
  readonly namespace: string;
  /** ServiceAccounts whose pods act as the identity. */
  readonly serviceAccounts: ReadonlyArray<string>;
  /** A secret store (an Azure Key Vault) the workload reads: created private, with read access for this identity only. @default none */
  readonly secretStore?: {
    readonly name: string;
    readonly tenantId: string;
    /** Secrets in the store that a person writes (DEPLOY.md lists them with the command). @default [] */
    readonly personSecrets?: ReadonlyArray<string>;
    /** Secrets the cluster stack writes: connection URLs of the environment's managed services. @default [] */
    readonly stackSecrets?: ReadonlyArray<StackSecret>;
  };
  /**
   * Image repositories the workload pushes to (CI runners publishing the organization's images): the
   * identity may push and pull exactly these, and fetch the registry's login token. @default none
   */
  readonly registryPush?: {
    /** Repository references as image slots spell them (`<registry>/<path>`, no tag). */
    readonly repositories: ReadonlyArray<string>;
    /** Field of the app's config the repositories come from, relative to the app (e.g. `pushes`), for errors. */
    readonly configPath: string;
  };
  /**
   * A bucket created for the workload, which it reads and writes by exchanging its ServiceAccount's
   * token for the identity (web identity federation: how Loki's operator signs its pods in). The
   * identity's client ID is then what the workload's store settings name (a role ARN). @default none
   */
  readonly bucket?: {
    /** Globally unique bucket name. */
    readonly name: string;
  };
  /** Who asked, for error messages (e.g. "app arbitex-platform"). */
  readonly requestedBy: string;
}

/** A secret a stack writes into a secret store: the connection URL of a managed service (`managedServices`). */
export interface StackSecret {
  /** Name of the secret in the store, e.g. `DATABASE-URL`. */
  readonly name: string;
  /** The managed service, by its name in the environment. */
  readonly service: string;
  /** For a PostgreSQL server: the database the URL opens. */
  readonly database?: string;
  /** The kind of service the URL is for. */
  readonly kind: 'postgres' | 'redis';
  /** Field of the app's config that asks for it (with `service` and, for a database, `name`), for errors: e.g. `database`. */
  readonly configPath: string;
}

/**
 * A Kubernetes object with fields known only once the cluster stack has applied (an identity's client
 * ID). The bootstrap stack writes it from the cluster stack's outputs before Argo CD syncs, so Git
 * never holds a value copied from Terraform's state.
 */
export interface InfrastructureBoundObject {
  readonly manifest: {
    readonly apiVersion: string;
    readonly kind: string;
    readonly metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the rest of any Kubernetes object
    readonly [k: string]: any;
  };
  /** Where in the manifest a workload identity's client ID goes, e.g. ['spec', 'parameters', 'clientID'] <- `arbitex-platform-key-vault`. */
  readonly clientIds: ReadonlyArray<{ readonly path: ReadonlyArray<string>; readonly identity: string }>;
  readonly requestedBy: string;
}
