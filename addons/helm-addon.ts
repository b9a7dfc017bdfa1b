import { Chart } from '../lib/facade/k8s';
import { HelmApplication, PinnedChart } from '../constructs/k8s/helm-application';
import { AddOnContext, PlatformAddOn } from './addon';

export interface HelmAddOnSpec<V extends object> {
  readonly id: string;
  readonly description: string;
  readonly namespace: string;
  readonly syncWave: number;
  readonly requires?: ReadonlyArray<string>;
  /** Chosen from the platform traits, never from the substrate's name. */
  chart(ctx: AddOnContext): PinnedChart;
  values(ctx: AddOnContext): V;
  /** Objects next to the release (e.g. a ClusterIssuer), synced after it. */
  extras?(chart: Chart, ctx: AddOnContext): void;
  /** Argo CD sync options, e.g. ServerSideApply=true for charts with large CRDs. */
  readonly syncOptions?: ReadonlyArray<string>;
}

/** An add-on that is one pinned Helm release delivered as an Argo CD Application. */
export class HelmAddOn<V extends object> implements PlatformAddOn {
  readonly id: string;
  readonly description: string;
  readonly namespace: string;
  readonly syncWave: number;
  readonly requires?: ReadonlyArray<string>;

  constructor(private readonly spec: HelmAddOnSpec<V>) {
    this.id = spec.id;
    this.description = spec.description;
    this.namespace = spec.namespace;
    this.syncWave = spec.syncWave;
    this.requires = spec.requires;
  }

  install(chart: Chart, ctx: AddOnContext): void {
    new HelmApplication(chart, this.id, {
      name: this.id,
      chart: this.spec.chart(ctx),
      destinationNamespace: this.namespace,
      values: this.spec.values(ctx),
      argoNamespace: ctx.argoNamespace,
      syncWave: this.syncWave,
      syncOptions: this.spec.syncOptions,
    });
    this.spec.extras?.(chart, ctx);
  }
}
