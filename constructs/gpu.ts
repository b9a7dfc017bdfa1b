/**
 * What a GPU node pool means on every substrate. Workloads select `accelerator=nvidia` and tolerate the
 * taint; the taint keeps everything else off expensive nodes, which is what lets a pool scale to zero.
 */
export const GPU_LABEL = { key: 'accelerator', value: 'nvidia' } as const;
export const GPU_TAINT = { key: 'nvidia.com/gpu', value: 'true', effect: 'NoSchedule' } as const;
export const GPU_RESOURCE = 'nvidia.com/gpu';

/** `key=value:Effect`, the form kubelet flags and AKS node pools take. */
export function gpuTaintString(): string {
  return `${GPU_TAINT.key}=${GPU_TAINT.value}:${GPU_TAINT.effect}`;
}

/** Kubernetes node labels of a pool: its own, the pool name, and the GPU label when it has GPUs. */
export function nodePoolLabels(pool: { name: string; gpu: boolean; labels: Record<string, string> }): Record<string, string> {
  return {
    ...pool.labels,
    'parity.dev/node-pool': pool.name,
    ...(pool.gpu ? { [GPU_LABEL.key]: GPU_LABEL.value } : {}),
  };
}
