import type { ChartSecretMount } from '../lib/core/chart-secret-values';
import type { VaultAppAccess } from '../constructs/vault/vault-platform-config';
import { Chart } from '../lib/core/facade/k8s';
import { ChartFacts } from '../lib/core/facts/chart-facts';
import { FactRegistry } from '../lib/core/facts/registry';
import type { WorkloadPeer } from '../lib/core/facts/connections';
import { Environment } from '../lib/core/model/schema';
import { BackupStorage, PlatformTraits, VaultPlacement, VaultSeal, WorkloadBucketAccess } from './platform';
import type { InfrastructureBoundObject, WorkloadIdentityRequest } from './identity';

export interface AddOnContext {
  readonly env: Environment;
  readonly traits: PlatformTraits;
  /** Namespace where Argo CD runs and Application objects live. */
  readonly argoNamespace: string;
  /** How Vault unseals on this substrate. */
  readonly vaultSeal: VaultSeal;
  /** Where Vault runs and stores. @default the default StorageClass, any node */
  readonly vaultPlacement?: VaultPlacement;
  /** Where backups go on this substrate. */
  readonly backupStorage: BackupStorage;
  /** Where buckets the substrate creates for workloads are reached. @default none (the substrate creates none) */
  readonly workloadBuckets?: WorkloadBucketAccess;
  /** The nodes' OS as NVIDIA's driver images name it (`ubuntu24.04`) where the platform runs its own GPU driver. @default none */
  readonly hostOs?: string;
  /** Endpoints, workloads and connections of the environment (every add-on has published before any installs). */
  readonly facts: FactRegistry;
  /** Secrets Argo CD's secret-values plugin mounts, one per app Application rendered by it (the apps ask). @default [] */
  readonly chartSecrets?: ReadonlyArray<ChartSecretMount>;
}

/** A web UI of an add-on that engineers use (Argo CD, Grafana). */
export interface AddOnUserInterface {
  /** First label of its host under the environment's domain: `argocd` serves at argocd.<domain>. */
  readonly hostLabel: string;
  /** The chart's Service in front of it. */
  readonly service: { readonly name: string; readonly port: number };
  /** The pods behind the Service and their port. */
  readonly target: { readonly workload: WorkloadPeer; readonly port: number };
  /** The UI serves TLS itself. @default 'HTTP' */
  readonly backendProtocol?: 'HTTP' | 'HTTPS';
}

/**
 * A pluggable platform component (cf. cdk-eks-blueprints add-ons): an environment lists add-on ids,
 * and each add-on writes its objects into its own chart. Substrate differences arrive as traits.
 */
export interface PlatformAddOn {
  /** Stable id used in environment files, e.g. "metrics-server". */
  readonly id: string;
  readonly description: string;
  /** Namespace the component runs in (one per concern). */
  readonly namespace: string;
  /** Argo CD sync wave: lower waves are healthy before higher ones start. */
  readonly syncWave: number;
  /** Ids of add-ons that must be present too (e.g. a ClusterIssuer needs cert-manager). */
  readonly requires?: ReadonlyArray<string>;
  /** Ids of add-ons that provide the same thing another way: at most one of them. @default none */
  readonly conflictsWith?: ReadonlyArray<string>;
  /** Its web UI, routed where the environment's hosts are private (tailnet, internal ingress). @default none */
  readonly userInterface?: AddOnUserInterface;
  /** What its chart deploys (CRDs, pods, Services, classes), for the deploy rehearsal. @default none */
  chartFacts?(ctx: AddOnContext): ChartFacts;
  /** Publishes the endpoints and workloads others look up; every add-on publishes before any connects. */
  publish?(facts: FactRegistry, ctx: AddOnContext): void;
  /** Declares its connections (may look up what others published); runs before any add-on installs. */
  connect?(facts: FactRegistry, ctx: AddOnContext): void;
  /** Cloud identities its pods sign in as, created by the substrate's cluster stack. @default none */
  workloadIdentities?(env: Environment): WorkloadIdentityRequest[];
  /** Objects the bootstrap stack writes with values from the cluster stack's outputs. @default none */
  infrastructureBound?(ctx: AddOnContext): InfrastructureBoundObject[];
  /** What the add-on reads from Vault (the Vault stack grants exactly this). @default nothing */
  vaultAccess?(env: Environment, substrate: { readonly backupStorage: BackupStorage }): VaultAppAccess[];
  install(chart: Chart, ctx: AddOnContext): void;
}
