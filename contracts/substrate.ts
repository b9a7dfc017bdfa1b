import type { PlatformAddOn } from './addon';
import type { WorkloadIdentityRequest } from './identity';
import { BackupStorage, PlatformTraits, VaultPlacement, VaultSeal, WorkloadBucketAccess } from './platform';

export type { BackupStorage, PlatformTraits, VaultPlacement, VaultSeal } from './platform';
import { PinnedChart } from '../constructs/k8s/helm-application';
import { ParityStack } from '../constructs/terraform/parity-stack';
import { ConfigIssue } from '../lib/core/model/issues';
import { Environment, ManagedServiceConfig, SubstrateKind } from '../lib/core/model/schema';

/** A node pool as every substrate sees it, sizes resolved. */
export interface NodePoolSummary {
  readonly name: string;
  readonly machineType: string;
  readonly min: number;
  readonly desired: number;
  readonly max: number;
  readonly gpu: boolean;
  readonly role: string;
  /** Where the numbers came from, for the environment README ("autoscaling", "3 hosts"). */
  readonly scaling: string;
}

/** A taint as the Node object carries it. */
export interface NodeTaint {
  readonly key: string;
  readonly value?: string;
  readonly effect: 'NoSchedule' | 'PreferNoSchedule' | 'NoExecute';
}

/**
 * A node the cluster has when the first sync runs, as the scheduler sees it: the labels the kubelet
 * and the substrate put on it, its taints, and what it offers. Autoscaled pools count their maximum:
 * the autoscaler adds nodes up to it for pending pods.
 */
export interface ClusterNode {
  readonly name: string;
  readonly pool?: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly taints: ReadonlyArray<NodeTaint>;
  /** Undefined when Parity's machine catalogue does not know the machine type. */
  readonly capacity: { readonly cpus: number; readonly memory: string; readonly gpus: number; readonly maxPods: number } | undefined;
  /** Machine type or hardware, for messages. */
  readonly machineType: string;
}

/** A named address range of the environment, with the config path it came from. */
export interface NetworkRange {
  /**
   * `storage`: a network of the storage system alone (Ceph's public and cluster VLANs on bare metal).
   * `site`: a network of the site no pod has business with (the PXE network, the edge router's public
   * ingress and VPN networks): "anywhere outside the cluster" excludes it like the cluster's own ranges.
   */
  readonly name: 'node' | 'pod' | 'service' | 'storage' | 'site';
  readonly cidr: string;
  readonly path: string;
}

/** A Helm release the cluster needs before Argo CD can run (e.g. the CNI on bare metal). */
export interface BootstrapChart {
  readonly name: string;
  readonly namespace: string;
  readonly chart: PinnedChart;
  readonly values: object;
}

/** Files for review that are not Terraform or manifests (inventories, kubeadm configs). */
export type ReviewFiles = Record<string, string>;

export interface InfrastructureContext {
  readonly env: Environment;
  /** Workload identities the environment's add-ons and apps need. */
  readonly workloadIdentities: ReadonlyArray<WorkloadIdentityRequest>;
  /** With a registry mirror: the origin registries of every image the environment pulls (hosts resolve them through the mirror). */
  readonly mirroredRegistries: ReadonlyArray<string>;
  /** Creates a Terraform stack with the environment's provider-independent settings (backend, naming). */
  newStack(stackId: string, description: string, options?: { fromNetwork?: boolean; checks?: ReadonlyArray<string> }): ParityStack;
}

/**
 * How Terraform reaches the cluster's API (Helm/Kubernetes provider `kubernetes` block). Values may be
 * references to another stack's resources; cdktf wires them through remote state.
 */
export interface ClusterConnection {
  readonly host: string;
  readonly clusterCaCertificate?: string;
  /** Kubeconfig file on the machine running Terraform. @default none */
  readonly configPath?: string;
  /** A client certificate and key (PEM) the cluster trusts (bare metal: issued by the cluster stack). @default none */
  readonly clientCertificate?: string;
  readonly clientKey?: string;
  /** Short-lived credentials from a CLI instead of a stored token. */
  readonly exec?: { readonly apiVersion: string; readonly command: string; readonly args: string[] };
}

/** What a substrate's infrastructure exposes to the layers above it. */
export interface InfrastructureOutputs {
  /** Stacks in dependency order (deploy order). */
  readonly stacks: ReadonlyArray<ParityStack>;
  /** The stack the cluster lives in; the bootstrap stack comes after it. */
  readonly clusterStack: ParityStack;
  readonly connection: ClusterConnection;
  /** Velero's credentials file, where the substrate's backup storage authenticates with a key its stack creates (reference, sensitive). @default none */
  readonly backupCredentials?: string;
  /** Client IDs of the workload identities the cluster stack created, by id (references into it). @default none */
  readonly workloadIdentityClientIds?: Readonly<Record<string, string>>;
}

/** A synthesized Terraform stack, as the rehearsal reads it. */
export interface StackJson {
  readonly stackId: string;
  readonly json: any; // eslint-disable-line @typescript-eslint/no-explicit-any -- Terraform JSON has no static type
}

/**
 * What a fresh cluster of this substrate has before Git adds anything, and how its network treats
 * pods: the deploy rehearsal's ground truth. Facts that depend on Terraform are read from the stacks.
 */
export interface ClusterFacts {
  /** StorageClasses that exist on a new cluster, with their provisioner. */
  readonly storageClasses: ReadonlyArray<{ readonly name: string; readonly provisioner: string }>;
  /** Where pods reach the API server after the `kubernetes` Service's DNAT: addresses and port. */
  readonly apiServer: { readonly cidrs: ReadonlyArray<string>; readonly port: number };
  /** Node addresses (kubelets, host-network pods). */
  readonly nodeCidrs: ReadonlyArray<string>;
  /** CSI provisioners running before Git (built in, or managed add-ons in the stacks). */
  provisioners(stacks: ReadonlyArray<StackJson>): string[];
  /** CRDs installed outside Git (managed add-ons of the cluster stack), by group and kinds. */
  crds(stacks: ReadonlyArray<StackJson>): Array<{ group: string; kinds: string[] }>;
  /** Why NetworkPolicies would not be enforced, or undefined when the CNI enforces them. */
  networkPolicyGap(stacks: ReadonlyArray<StackJson>): string | undefined;
}

/** Where pods reach a managed data service of the environment (`managedServices`). */
export interface ManagedServiceEndpoint {
  readonly kind: ManagedServiceConfig['kind'];
  /** The name clients connect to (it resolves to the private endpoint inside the network). */
  readonly host: string;
  readonly port: number;
  /** Addresses the service answers on (the private-endpoint subnet): what NetworkPolicies open. */
  readonly cidr: string;
}

/**
 * One implementation per place a cluster can run. Everything substrate-specific (cloud resources,
 * host inventories, storage and ingress classes) is behind this interface.
 */
export interface Substrate {
  readonly kind: SubstrateKind;
  /** Human name, e.g. "Amazon EKS". */
  readonly title: string;
  /**
   * Whether Parity writes its nodes' container runtime configuration (bare metal: cloud-init), so the
   * nodes can pull through a registry cache of the environment's (an app's `nodeMirror`). @default false
   */
  readonly configuresNodeRegistries?: boolean;
  /** Rules that only make sense for this substrate; schema and cross-field rules are checked before. */
  validate(env: Environment): ConfigIssue[];
  /**
   * What of a workload identity request this substrate cannot create, as (path under the requesting app,
   * found, expected); nothing when it can create all of it.
   */
  workloadIdentityProblems(env: Environment, request: WorkloadIdentityRequest): Array<{ path: string; found: unknown; expected: string }>;
  /** Node, pod and service ranges, for overlap checks and later for private routing. */
  networks(env: Environment): NetworkRange[];
  nodePools(env: Environment): NodePoolSummary[];
  /** The nodes of the first deploy, one per node of each pool, for the live rehearsal's scheduler. */
  nodes(env: Environment): ClusterNode[];
  readonly traits: PlatformTraits;
  /** Adds this substrate's Terraform stacks. */
  buildInfrastructure(ctx: InfrastructureContext): InfrastructureOutputs;
  /** @param mirroredRegistries origin registries of every image a mirrored environment pulls */
  reviewFiles(env: Environment, mirroredRegistries?: ReadonlyArray<string>): ReviewFiles;
  /** Releases installed by the bootstrap stack before Argo CD, in order. */
  bootstrapCharts(env: Environment): BootstrapChart[];
  /** Where Velero writes backups. */
  backupStorage(env: Environment): BackupStorage;
  /** Where buckets created for workloads are reached; undefined where the substrate creates none. @default none */
  workloadBuckets?(env: Environment): WorkloadBucketAccess;
  /** What must exist on the site before the first stack, that no stack can create (DEPLOY.md). @default none */
  prerequisites?(env: Environment): string[];
  /** Where a runner that reaches the cluster's private endpoints sits (DEPLOY.md), and why there. */
  networkRunner(env: Environment): string;
  /** Images the hosts pull before Argo CD runs (control-plane static pods, CoreDNS, pause), as origin references. @default none (managed control plane) */
  hostImages?(env: Environment): string[];
  /** The nodes' OS as driver images name it (`ubuntu24.04`), where the platform runs its own GPU driver; undefined on managed node images. */
  hostOs?(env: Environment): string | undefined;
  /** Vault's seal; the cloud substrates create the key and identity in their cluster stack. */
  vaultSeal(env: Environment): VaultSeal;
  /** Where Vault runs and stores (see VaultPlacement). @default the default StorageClass, any node */
  vaultPlacement?(env: Environment): VaultPlacement;
  clusterFacts(env: Environment): ClusterFacts;
  /** A managed data service it provisions in its cluster stack; undefined where the substrate has none (validation refuses `managedServices` there). */
  managedServiceEndpoint?(env: Environment, service: ManagedServiceConfig): ManagedServiceEndpoint;
  /** Add-ons only this substrate has (e.g. Karpenter on EKS), installed next to the environment's own. */
  platformAddOns(env: Environment): PlatformAddOn[];
}
