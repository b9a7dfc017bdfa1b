import { PoolScheduling, nodePoolLabels, nodePoolTaints } from '../constructs/gpu';
import { Environment } from '../lib/core/model/schema';
import { machineCapacity } from '../lib/core/model/machine-types';
import { ClusterNode } from '../contracts/substrate';

/** How an environment's pool is labelled and tainted: a `dedicated` pool is dedicated to its role. */
export function poolScheduling(pool: Environment['cluster']['nodePools'][number]): PoolScheduling {
  return { name: pool.name, gpu: pool.gpu, labels: pool.labels ?? {}, dedicatedTo: pool.dedicated ? pool.role : undefined };
}

/** Labels every kubelet sets on its Node, whatever the substrate. */
export function kubeletLabels(name: string): Record<string, string> {
  return { 'kubernetes.io/hostname': name, 'kubernetes.io/os': 'linux', 'kubernetes.io/arch': 'amd64' };
}

/**
 * Nodes of autoscaled cloud pools: as many as the pool's maximum, because the autoscaler (cluster
 * autoscaler, Karpenter) adds nodes up to it for pods that are Pending; spread over the zones in order.
 * `extraLabels` adds what the cloud's node agent sets (node group, agent pool).
 */
export function cloudNodes(
  env: Environment,
  zones: ReadonlyArray<string>,
  region: string,
  extraLabels: (pool: Environment['cluster']['nodePools'][number]) => Record<string, string>,
): ClusterNode[] {
  return env.cluster.nodePools.flatMap((pool) => {
    const count = Math.max(pool.max ?? pool.desired ?? pool.min ?? 0, 1);
    const type = pool.instanceType ?? '';
    const cap = machineCapacity(type);
    return Array.from({ length: count }, (_, i) => {
      const name = `${pool.name}-${i}`;
      return {
        name,
        pool: pool.name,
        machineType: type,
        labels: {
          ...kubeletLabels(name),
          'node.kubernetes.io/instance-type': type,
          'topology.kubernetes.io/region': region,
          'topology.kubernetes.io/zone': zones[i % zones.length],
          ...extraLabels(pool),
          ...nodePoolLabels(poolScheduling(pool)),
        },
        taints: nodePoolTaints(poolScheduling(pool)),
        capacity: cap && { cpus: cap.cpus, memory: `${cap.memoryGi}Gi`, gpus: cap.gpus, maxPods: cap.maxPods },
      };
    });
  });
}
