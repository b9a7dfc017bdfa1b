/** What add-ons and apps may know of the platform under them, whatever the substrate. */
import type { Environment } from '../lib/core/model/schema';

/** The environment's ingress entries, each behind its own LoadBalancer Service. */
export type IngressEntry = 'gateway' | 'ingress';

/** An entry's address from the substrate's pools: what its Service carries. */
export interface EntryAddress {
  readonly labels: Readonly<Record<string, string>>;
  readonly annotations: Readonly<Record<string, string>>;
  /**
   * The address the world reaches the entry at, where it is not the Service's own (a public address
   * the site's edge translates): what the entry reports in its routes' status, so external-dns
   * publishes it instead of the private one. @default the Service's address
   */
  readonly published?: string;
}

/**
 * What the manifest layer needs to know about the substrate, and nothing more: code above this
 * interface reads these traits instead of asking which substrate it runs on.
 */
export interface PlatformTraits {
  readonly defaultStorageClass: string;
  readonly ingressClass: string;
  /** Annotations on the ingress controller's LoadBalancer Service. */
  readonly loadBalancerAnnotations: Readonly<Record<string, string>>;
  /** Added when the ingress must only get a private address (no public exposure). */
  readonly internalLoadBalancerAnnotations: Readonly<Record<string, string>>;
  /**
   * The load-balancer implementation (`spec.loadBalancerClass`) that gives the ingress its private
   * address, where it is not the default one. @default none (the default implementation)
   */
  readonly internalLoadBalancerClass?: string;
  /**
   * Where the substrate gives an ingress entry (the Gateway, the ingress controller) an address from a
   * pool the environment declares (bare metal: Cilium LB-IPAM): the labels that select the pool and the
   * annotations that request the address the site's edge forwards to. Undefined for an entry, or no
   * such method: the annotations and class above apply. @default none
   */
  readonly entryAddress?: (env: Environment, entry: IngressEntry, internal: boolean) => EntryAddress | undefined;
  /** How GPUs are exposed to the scheduler: the device plugin alone, or the full GPU operator (driver on bare metal). */
  readonly gpuEnablement: 'nvidia-device-plugin' | 'gpu-operator';
  /** Add-ons the substrate already runs as managed components (a second copy would fight the first). */
  readonly managedAddOns: ReadonlyArray<string>;
  /**
   * Where pods with a cloud identity fetch their credentials, when that is a network call the
   * namespace's NetworkPolicies must open (EKS Pod Identity's agent on a link-local address).
   * @default none (the credentials come through a projected token file)
   */
  readonly cloudCredentialsEndpoint?: { readonly name: string; readonly cidr: string; readonly port: number };
}

/**
 * Where Velero keeps backups on this substrate: its object-store provider, the plugin that speaks to
 * it (Velero's chart ships none), the bucket and the provider's location settings.
 */
export interface BackupStorage {
  readonly provider: 'aws' | 'azure';
  readonly plugin: { readonly name: string; readonly image: string };
  readonly bucket: string;
  readonly config: Readonly<Record<string, string>>;
  /**
   * How Velero authenticates: as its own pods' cloud identity, which the cluster stack creates with the
   * bucket and grants exactly that bucket (`workload-identity`); with a credentials file the Vault stack
   * writes from the cluster stack's output (`stack`: a storage key); or with one a person writes to Vault
   * (`person`: a site's object store that issues keys).
   */
  readonly credentials: 'workload-identity' | 'stack' | 'person';
}

/** The ServiceAccount Velero's server and node agent run as (the chart's, named explicitly). */
export const VELERO_SERVICE_ACCOUNT = { namespace: 'velero', name: 'velero' } as const;

/**
 * How Vault unseals on this substrate: a `seal` stanza for the server configuration (empty for Shamir
 * key shares) and what the Vault pods need to reach the key (workload identity labels/annotations).
 */
export interface VaultSeal {
  readonly hcl: string;
  readonly serviceAccountAnnotations: Record<string, string>;
  /**
   * The workload identity Vault's ServiceAccount names, by an annotation whose value (the client ID) is
   * known only after the cluster stack applies: the bootstrap stack then writes the ServiceAccount.
   * @default none
   */
  readonly serviceAccountIdentity?: { readonly identity: string; readonly annotation: string };
  readonly podLabels: Record<string, string>;
  /** One line for the environment README. */
  readonly description: string;
}

/**
 * Where Vault's servers run and keep their Raft data and audit log. By default on the substrate's
 * default StorageClass, anywhere; a substrate whose shared storage runs on the cluster itself (Ceph on
 * bare metal) pins them to local volumes, so an outage of that storage cannot lock the secrets away.
 */
export interface VaultPlacement {
  readonly storageClass: string;
  /** @default {} */
  readonly nodeSelector?: Readonly<Record<string, string>>;
  /** @default [] */
  readonly tolerations?: ReadonlyArray<{ readonly key: string; readonly operator: 'Exists'; readonly effect: 'NoSchedule' }>;
  /** One line for the environment README. */
  readonly description: string;
}

/**
 * The ServiceAccount of GitHub's Actions Runner Controller (add-on `actions-runner-controller`), named
 * explicitly: each runner scale set's chart binds it to its namespace and cannot look it up at render time.
 */
export const ARC_CONTROLLER_SERVICE_ACCOUNT = { namespace: 'arc-systems', name: 'arc-controller' } as const;

/**
 * Where buckets the substrate creates for workloads (WorkloadIdentityRequest.bucket) are reached, as
 * S3 clients configure them: what the workload's store settings and NetworkPolicies name.
 */
export interface WorkloadBucketAccess {
  readonly region: string;
  /** The S3 API host of the region. */
  readonly endpoint: string;
  /** The host that exchanges a ServiceAccount token for the identity's credentials. */
  readonly tokenEndpoint: string;
}
