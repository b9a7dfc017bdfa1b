import type { VaultAppAccess } from '../constructs/vault/vault-platform-config';
import { Chart } from '../lib/core/facade/k8s';
import { Environment } from '../lib/core/model/schema';
import { HelmApplication, PinnedChart, pinnedChartImages } from '../constructs/k8s/helm-application';
import { ChartFacts } from '../lib/core/facts/chart-facts';
import { FactRegistry } from '../lib/core/facts/registry';
import { AddOnContext, AddOnUserInterface, PlatformAddOn } from '../contracts/addon';
import type { BackupStorage } from '../contracts/platform';
import type { InfrastructureBoundObject } from '../contracts/identity';

export interface HelmAddOnSpec<V extends object> {
  readonly id: string;
  readonly description: string;
  readonly namespace: string;
  readonly syncWave: number;
  readonly requires?: ReadonlyArray<string>;
  /** Its web UI (see PlatformAddOn). @default none */
  readonly userInterface?: AddOnUserInterface;
  /** Chosen from the platform traits, never from the substrate's name. */
  chart(ctx: AddOnContext): PinnedChart;
  values(ctx: AddOnContext): V;
  /** Objects next to the release (e.g. a ClusterIssuer), synced after it. */
  extras?(chart: Chart, ctx: AddOnContext): void;
  /** Argo CD sync options, e.g. ServerSideApply=true for charts with large CRDs. */
  readonly syncOptions?: ReadonlyArray<string>;
  /**
   * Images the values add outside the chart's image slots (an init container with a plugin), as origin
   * references; the add-on points them at the mirror itself. @default none
   */
  extraImages?(ctx: AddOnContext): ReadonlyArray<string>;
  /** What the chart deploys with these values. @default none */
  facts?(ctx: AddOnContext): ChartFacts;
  /** Endpoints and workloads for others. @default none */
  publish?(facts: FactRegistry, ctx: AddOnContext): void;
  /** What the add-on reads from Vault. @default nothing */
  vaultAccess?(env: Environment, substrate: { readonly backupStorage: BackupStorage }): VaultAppAccess[];
  /** Objects the bootstrap stack writes with values from the cluster stack's outputs. @default none */
  infrastructureBound?(ctx: AddOnContext): InfrastructureBoundObject[];
  /** Connections beyond those in `facts` (ones that look up another module). @default none */
  connect?(facts: FactRegistry, ctx: AddOnContext): void;
}

/** An add-on that is one pinned Helm release delivered as an Argo CD Application. */
export class HelmAddOn<V extends object> implements PlatformAddOn {
  readonly id: string;
  readonly description: string;
  readonly namespace: string;
  readonly syncWave: number;
  readonly requires?: ReadonlyArray<string>;
  readonly userInterface?: AddOnUserInterface;

  constructor(private readonly spec: HelmAddOnSpec<V>) {
    this.id = spec.id;
    this.description = spec.description;
    this.namespace = spec.namespace;
    this.syncWave = spec.syncWave;
    this.requires = spec.requires;
    this.userInterface = spec.userInterface;
  }

  /** What the chart deploys, with the images it pulls derived from the vendored chart and these values. */
  chartFacts(ctx: AddOnContext): ChartFacts {
    const { images } = pinnedChartImages(`add-on ${this.id}`, this.spec.chart(ctx), this.spec.values(ctx));
    return { ...this.spec.facts?.(ctx), images: [...images.map((i) => i.image), ...(this.spec.extraImages?.(ctx) ?? [])] };
  }

  publish(facts: FactRegistry, ctx: AddOnContext): void {
    this.spec.publish?.(facts, ctx);
  }

  connect(facts: FactRegistry, ctx: AddOnContext): void {
    for (const c of this.spec.facts?.(ctx).connections ?? []) facts.connect(c, `add-on ${this.id}`);
    this.spec.connect?.(facts, ctx);
  }

  vaultAccess(env: Environment, substrate: { readonly backupStorage: BackupStorage }): VaultAppAccess[] {
    return this.spec.vaultAccess?.(env, substrate) ?? [];
  }

  infrastructureBound(ctx: AddOnContext): InfrastructureBoundObject[] {
    return this.spec.infrastructureBound?.(ctx) ?? [];
  }

  install(chart: Chart, ctx: AddOnContext): void {
    new HelmApplication(chart, this.id, {
      name: this.id,
      chart: this.spec.chart(ctx),
      destinationNamespace: this.namespace,
      values: this.spec.values(ctx),
      registryMirror: ctx.env.registryMirror,
      argoNamespace: ctx.argoNamespace,
      syncWave: this.syncWave,
      syncOptions: this.spec.syncOptions,
    });
    this.spec.extras?.(chart, ctx);
  }
}
