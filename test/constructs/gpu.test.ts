import { GPU_TAINT, gpuTaintString, nodePoolLabels } from '../../constructs/gpu';

describe('GPU pool conventions', () => {
  it('every substrate labels GPU pools accelerator=nvidia and taints them nvidia.com/gpu=true:NoSchedule', () => {
    expect(nodePoolLabels({ name: 'gpu', gpu: true, labels: { team: 'ml' } })).toEqual({
      team: 'ml',
      'parity.dev/node-pool': 'gpu',
      accelerator: 'nvidia',
    });
    expect(nodePoolLabels({ name: 'general', gpu: false, labels: {} })).toEqual({ 'parity.dev/node-pool': 'general' });
    expect(gpuTaintString()).toBe(`${GPU_TAINT.key}=${GPU_TAINT.value}:${GPU_TAINT.effect}`);
  });
});
