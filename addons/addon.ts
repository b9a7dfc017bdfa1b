import { Chart } from '../lib/facade/k8s';
import { Environment } from '../lib/model/schema';
import { PlatformTraits, VaultSeal } from '../substrates/substrate';

export interface AddOnContext {
  readonly env: Environment;
  readonly traits: PlatformTraits;
  /** Namespace where Argo CD runs and Application objects live. */
  readonly argoNamespace: string;
  /** How Vault unseals on this substrate. */
  readonly vaultSeal: VaultSeal;
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
  install(chart: Chart, ctx: AddOnContext): void;
}
