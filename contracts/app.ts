import { Chart } from '../lib/core/facade/k8s';
import { FactRegistry } from '../lib/core/facts/registry';
import { Environment } from '../lib/core/model/schema';
import { PlatformTraits } from './platform';
import type { InfrastructureBoundObject, WorkloadIdentityRequest } from './identity';
import type { ChartSecretMount } from '../lib/core/chart-secret-values';
import type { ChartFacts } from '../lib/core/facts/chart-facts';

/**
 * A Kubernetes Secret an app consumes whose values live in Vault (KV v2 at `kv/<namespace>/<app>/<name>`).
 * `generated` secrets are created once by Vault with the platform password policy; the others are
 * written to Vault by their owners (external credentials) and only read from there.
 */
export interface VaultSecretSpec {
  readonly name: string;
  readonly keys: ReadonlyArray<string>;
  readonly generated: boolean;
  /** Keys of a generated secret with a fixed value instead (a login's user name). @default {} */
  readonly fixed?: Readonly<Record<string, string>>;
  /**
   * Whether External Secrets syncs it into the app's namespace; false for the values only a vendor chart's
   * plugin reads (they reach Argo CD's namespace through `chartSecrets`, and nowhere else). @default true
   */
  readonly sync?: boolean;
  /** Kubernetes Secret type. @default 'Opaque' */
  readonly type?: string;
  /** More keys computed from the Vault keys by External Secrets' template engine (see VaultAppSecrets). @default none */
  readonly templates?: Readonly<Record<string, string>>;
}

export interface AppContext {
  readonly env: Environment;
  readonly traits: PlatformTraits;
  /** Endpoints the add-ons published (OTLP, Prometheus, ...) and the connection graph. */
  readonly facts: FactRegistry;
  /** Ingress class that serves this environment's hosts (the internal gateway on tailnet environments). */
  readonly routeClass: string;
}

/**
 * An application chart, chosen per environment in its `apps:` list with a typed config (the list is a
 * union tagged by `app`). Like add-ons, an app writes into its own chart and reads substrate
 * differences only through traits.
 */
export interface PlatformApp<C extends { app: string; namespace: string }> {
  readonly id: C['app'];
  readonly description: string;
  /** Whether the app schedules GPU workloads (its environment then needs a GPU pool). */
  usesGpu(config: C): boolean;
  /** Add-ons the app depends on (operators, CRDs). */
  requiresAddOns(config: C): string[];
  /** The node pool role whose dedicated pool the app's workloads run on (CI runners: compute). @default none */
  dedicatedPool?(config: C): string | undefined;
  install(chart: Chart, config: C, ctx: AppContext): void;
  /** Secrets this app reads that External Secrets must produce from Vault. */
  vaultSecrets(config: C): VaultSecretSpec[];
  /** CloudNativePG clusters of the app (Vault's database engine gets a connection to each). */
  databases(config: C): Array<{ cluster: string; database: string; owner?: string }>;
  /** Cloud identities of the app's workloads, created by the substrate's cluster stack (`env`: other apps' image slots). @default none */
  workloadIdentities?(config: C, env: Environment): WorkloadIdentityRequest[];
  /** Objects the bootstrap stack writes with values from the cluster stack's outputs. @default none */
  infrastructureBound?(config: C): InfrastructureBoundObject[];
  /** What the app's vendor charts deploy, by Application name (their images, for the mirror and the rehearsal). @default none */
  chartFacts?(config: C, env: Environment): Array<{ application: string; facts: ChartFacts }>;
  /** Secrets (in Argo CD's namespace) that Argo CD's secret-values plugin mounts to render the app's vendor chart. @default none */
  chartSecrets?(config: C): ChartSecretMount[];
}

/**
 * TLS of a routed host: a certificate from the environment's ClusterIssuer on ingress environments; on
 * tailnet environments the internal gateway's default wildcard certificate covers every host.
 */
export function routeTls(ctx: Pick<AppContext, 'env'>, host: string): { secretName: string; clusterIssuer?: string } | undefined {
  if (ctx.env.access.kind !== 'ingress') return undefined;
  return { secretName: `${host.split('.')[0]}-tls`, clusterIssuer: ctx.env.access.tls.clusterIssuer };
}
