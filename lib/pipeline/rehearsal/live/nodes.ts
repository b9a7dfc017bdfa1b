import { ClusterNode } from '../../../../contracts/substrate';
import { inParallel } from '../../../core/util/parallel';
import { Kubectl } from './kubectl';

const GPU = 'nvidia.com/gpu';
const NOT_READY = 'node.kubernetes.io/not-ready';

/** The Node object of a fake node: labels and taints as the substrate registers them. */
export function nodeObject(node: ClusterNode): object {
  return { apiVersion: 'v1', kind: 'Node', metadata: { name: node.name, labels: node.labels }, spec: { taints: node.taints } };
}

/** Status of a Ready kubelet with the node's capacity (fixed times: the rehearsal is reproducible). */
export function nodeStatus(node: ClusterNode): object {
  const cap = node.capacity!;
  const resources = {
    cpu: String(cap.cpus),
    memory: cap.memory,
    pods: String(cap.maxPods),
    'ephemeral-storage': '100Gi',
    ...(cap.gpus ? { [GPU]: String(cap.gpus) } : {}),
  };
  const at = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
  const condition = (type: string, status: string, reason: string) => ({ type, status, reason, lastHeartbeatTime: at, lastTransitionTime: at });
  return {
    status: {
      capacity: resources,
      allocatable: resources,
      conditions: [
        condition('Ready', 'True', 'KubeletReady'),
        condition('MemoryPressure', 'False', 'KubeletHasSufficientMemory'),
        condition('DiskPressure', 'False', 'KubeletHasNoDiskPressure'),
        condition('PIDPressure', 'False', 'KubeletHasSufficientPID'),
      ],
      addresses: [{ type: 'Hostname', address: node.name }],
      nodeInfo: {
        architecture: 'amd64',
        operatingSystem: 'linux',
        kubeletVersion: 'v1.32.13',
        kubeProxyVersion: '',
        containerRuntimeVersion: 'fake://0',
        kernelVersion: 'fake',
        osImage: 'fake',
        machineID: node.name,
        systemUUID: node.name,
        bootID: node.name,
      },
    },
  };
}

/**
 * Registers the environment's nodes as a kubelet would, without one: the Node, then Ready status.
 * Node admission adds the not-ready taint, which only the (disabled) node lifecycle controller removes.
 */
export async function registerNodes(kubectl: Kubectl, nodes: ReadonlyArray<ClusterNode>): Promise<void> {
  await inParallel(nodes, 4, async (node) => {
    const steps: string[][] = [
      ['apply', '--server-side', '--field-manager=kubelet', '-f', '-'],
      ['taint', 'node', node.name, `${NOT_READY}:NoSchedule-`],
      ['patch', 'node', node.name, '--subresource=status', '--type=merge', '-p', JSON.stringify(nodeStatus(node))],
    ];
    for (const [i, args] of steps.entries()) {
      const r = await kubectl.run(args, i === 0 ? JSON.stringify(nodeObject(node)) : undefined);
      if (r.code !== 0) throw new Error(`registering node ${node.name}: kubectl ${args[0]}: ${r.stderr.trim()}`);
    }
  });
}
