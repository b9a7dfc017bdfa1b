import { Chart } from '../lib/facade/k8s';
import { Environment } from '../lib/model/schema';
import { PlatformTraits } from '../substrates/substrate';

export interface AppContext {
  readonly env: Environment;
  readonly traits: PlatformTraits;
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
  install(chart: Chart, config: C, ctx: AppContext): void;
}
