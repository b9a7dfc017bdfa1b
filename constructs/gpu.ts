/**
 * What a GPU node pool means on every substrate. Workloads select `accelerator=nvidia` and tolerate the
 * taint; the taint keeps everything else off expensive nodes, which is what lets a pool scale to zero.
 */
export const GPU_LABEL = { key: 'accelerator', value: 'nvidia' } as const;
export const GPU_TAINT = { key: 'nvidia.com/gpu', value: 'true', effect: 'NoSchedule' } as const;
export const GPU_RESOURCE = 'nvidia.com/gpu';

/**
 * A pool dedicated to one role (CI runners on `compute`): its nodes carry `parity.dev/dedicated=<role>`
 * as a label and as a NoSchedule taint, so only workloads that select and tolerate it run there.
 */
export const DEDICATED_KEY = 'parity.dev/dedicated';

/** What the substrates need to know of a pool to label and taint its nodes. */
export interface PoolScheduling {
  readonly name: string;
  readonly gpu: boolean;
  readonly labels: Record<string, string>;
  /** The role the pool is dedicated to. @default none: any workload may run there */
  readonly dedicatedTo?: string;
}

/** Kubernetes node labels of a pool: its own, the pool name, the GPU label, the dedicated role. */
export function nodePoolLabels(pool: PoolScheduling): Record<string, string> {
  return {
    ...pool.labels,
    'parity.dev/node-pool': pool.name,
    ...(pool.gpu ? { [GPU_LABEL.key]: GPU_LABEL.value } : {}),
    ...(pool.dedicatedTo ? { [DEDICATED_KEY]: pool.dedicatedTo } : {}),
  };
}

/** NoSchedule taints of a pool's nodes: the GPU taint, the dedicated role's. */
export function nodePoolTaints(pool: PoolScheduling): Array<{ key: string; value: string; effect: 'NoSchedule' }> {
  return [
    ...(pool.gpu ? [{ key: GPU_TAINT.key, value: GPU_TAINT.value, effect: GPU_TAINT.effect }] : []),
    ...(pool.dedicatedTo ? [{ key: DEDICATED_KEY, value: pool.dedicatedTo, effect: 'NoSchedule' as const }] : []),
  ];
}

/** How a workload runs on the pool dedicated to `role`: its node selector and toleration. */
export function dedicatedPoolPlacement(role: string): {
  nodeSelector: Record<string, string>;
  tolerations: Array<{ key: string; operator: 'Equal'; value: string; effect: 'NoSchedule' }>;
} {
  return { nodeSelector: { [DEDICATED_KEY]: role }, tolerations: [{ key: DEDICATED_KEY, operator: 'Equal', value: role, effect: 'NoSchedule' }] };
}
