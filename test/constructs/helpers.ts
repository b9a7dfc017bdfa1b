import { Chart, ManifestApp } from '../../lib/core/facade/k8s';
import { TerraformApp, TerraformStack, TerraformTesting } from '../../lib/core/facade/tf';

/** A bare Terraform stack named `s`, to build one construct in. */
export function tfStack(): TerraformStack {
  return new TerraformStack(new TerraformApp({ outdir: '/tmp/parity-unused' }), 's');
}

/** The stack's Terraform JSON. */
export function synthTf(stack: TerraformStack): any {
  return JSON.parse(TerraformTesting.synth(stack));
}

/** Every resource (or data source) of a type, in declaration order. */
export function resourcesOf(json: any, type: string, block: 'resource' | 'data' = 'resource'): any[] {
  return Object.values(json[block]?.[type] ?? {});
}

/** A bare cdk8s chart named `test` (with its own fact registry, since it has its own app). */
export function k8sChart(): Chart {
  return new Chart(new ManifestApp({ outdir: '/tmp/parity-unused' }), 'test', { disableResourceNameHashes: true });
}

/** The chart's objects. */
export function synthK8s(chart: Chart): any[] {
  return chart.toJson();
}

/** The one object of a kind (and name), failing when there are none or several. */
export function only(objects: any[], kind: string, name?: string): any {
  const found = objects.filter((o) => o.kind === kind && (!name || o.metadata.name === name));
  if (found.length !== 1) throw new Error(`expected one ${kind} ${name ?? ''}, found ${found.length}`);
  return found[0];
}

export function errorOf(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error('expected an error, none was thrown');
}
