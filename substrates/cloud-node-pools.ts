import { ConfigIssue, show } from '../lib/core/model/issues';
import { Environment } from '../lib/core/model/schema';
import { NodePoolSummary } from '../contracts/substrate';

export interface CloudMachineCatalogue {
  /** What the provider calls a machine type, for messages ("EC2 instance type"). */
  readonly label: string;
  readonly pattern: RegExp;
  readonly example: string;
  isGpu(machineType: string): boolean;
}

/** Autoscaled pools: type and bounds are required, and a GPU pool must be on a GPU machine type. */
export function validateCloudNodePools(env: Environment, catalogue: CloudMachineCatalogue): ConfigIssue[] {
  const out: ConfigIssue[] = [];
  const add = (path: string, found: unknown, expected: string) => out.push({ environment: env.name, path, found: show(found), expected });
  env.cluster.nodePools.forEach((p, i) => {
    const at = `cluster.nodePools[${i}]`;
    if (p.instanceType === undefined) add(`${at}.instanceType`, undefined, `an ${catalogue.label} such as ${catalogue.example}`);
    else if (!catalogue.pattern.test(p.instanceType)) add(`${at}.instanceType`, p.instanceType, `an ${catalogue.label} such as ${catalogue.example}`);
    else if (p.gpu && !catalogue.isGpu(p.instanceType)) {
      add(`${at}.instanceType`, p.instanceType, `an ${catalogue.label} with an NVIDIA GPU, because the pool has gpu: true`);
    }
    if (p.min === undefined) add(`${at}.min`, undefined, 'the autoscaling minimum (0 allowed for GPU pools)');
    if (p.max === undefined) add(`${at}.max`, undefined, 'the autoscaling maximum');
  });
  return out;
}

export function cloudNodePoolSummaries(env: Environment): NodePoolSummary[] {
  return env.cluster.nodePools.map((p) => ({
    name: p.name,
    machineType: p.instanceType ?? '',
    min: p.min ?? 0,
    desired: p.desired ?? p.min ?? 0,
    max: p.max ?? 0,
    gpu: p.gpu,
    role: p.gpu ? 'gpu' : p.role,
    scaling: 'autoscaling',
  }));
}
