import { GPU_TAINT, dedicatedPoolPlacement, nodePoolLabels, nodePoolTaints } from '../../constructs/gpu';
import { poolScheduling } from '../../substrates/cluster-nodes';
import { examples, terraform, resources } from '../helpers';

describe('node pool conventions', () => {
  it('every substrate labels GPU pools accelerator=nvidia and taints them nvidia.com/gpu=true:NoSchedule', () => {
    expect(nodePoolLabels({ name: 'gpu', gpu: true, labels: { team: 'ml' } })).toEqual({
      team: 'ml',
      'parity.dev/node-pool': 'gpu',
      accelerator: 'nvidia',
    });
    expect(nodePoolLabels({ name: 'general', gpu: false, labels: {} })).toEqual({ 'parity.dev/node-pool': 'general' });
    expect(nodePoolTaints({ name: 'gpu', gpu: true, labels: {} })).toEqual([{ ...GPU_TAINT }]);
    expect(nodePoolTaints({ name: 'general', gpu: false, labels: {} })).toEqual([]);
  });

  it('a dedicated pool carries its role as label and NoSchedule taint, and the placement of its workloads matches both', () => {
    const pool = poolScheduling({ name: 'compute', role: 'compute', dedicated: true, gpu: false, labels: {}, diskSizeGb: 100 });
    expect(nodePoolLabels(pool)).toEqual({ 'parity.dev/node-pool': 'compute', 'parity.dev/dedicated': 'compute' });
    expect(nodePoolTaints(pool)).toEqual([{ key: 'parity.dev/dedicated', value: 'compute', effect: 'NoSchedule' }]);
    const placement = dedicatedPoolPlacement('compute');
    expect(placement.nodeSelector).toEqual({ 'parity.dev/dedicated': 'compute' });
    expect(placement.tolerations).toEqual([{ key: 'parity.dev/dedicated', operator: 'Equal', value: 'compute', effect: 'NoSchedule' }]);
  });

  it('EKS managed node groups of dev: the compute pool is dedicated, the GPU pool tainted, the general pool open', () => {
    const groups = resources(terraform(examples(), 'dev', 'cluster'), 'aws_eks_node_group');
    const byName = (n: string) => groups.find((g) => g.node_group_name === n);
    expect(byName('compute').taint).toEqual([{ key: 'parity.dev/dedicated', value: 'compute', effect: 'NO_SCHEDULE' }]);
    expect(byName('compute').labels['parity.dev/dedicated']).toBe('compute');
    expect(byName('gpu').taint).toEqual([{ key: 'nvidia.com/gpu', value: 'true', effect: 'NO_SCHEDULE' }]);
    expect(byName('general').taint).toBeUndefined();
  });
});
