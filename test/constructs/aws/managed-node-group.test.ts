import { ManagedNodeGroup } from '../../../constructs/aws/managed-node-group';
import { errorOf, resourcesOf, synthTf, tfStack } from '../helpers';

const props = {
  clusterName: 'c1',
  name: 'general',
  instanceType: 'm6i.xlarge',
  nodeRoleArn: 'arn:aws:iam::1:role/n',
  subnetIds: ['a', 'b'],
  min: 2,
  max: 5,
};

describe('ManagedNodeGroup', () => {
  it('defaults: IMDSv2 with hop limit 1, an encrypted 100 GiB gp3 root, desired = min, no taint, the pool label', () => {
    const s = tfStack();
    new ManagedNodeGroup(s, 'g', props);
    const json = synthTf(s);
    const lt = resourcesOf(json, 'aws_launch_template')[0];
    expect(lt.metadata_options).toMatchObject({ http_tokens: 'required', http_put_response_hop_limit: 1 });
    expect(lt.block_device_mappings[0].ebs).toMatchObject({ volume_size: 100, volume_type: 'gp3', encrypted: 'true' });
    const ng = resourcesOf(json, 'aws_eks_node_group')[0];
    expect(ng.scaling_config).toEqual({ min_size: 2, max_size: 5, desired_size: 2 });
    expect(ng.ami_type).toBe('AL2023_x86_64_STANDARD');
    expect(ng.taint).toBeUndefined();
    expect(ng.labels).toEqual({ 'parity.dev/node-pool': 'general' });
    expect(ng.lifecycle.ignore_changes).toEqual(['scaling_config[0].desired_size']);
  });

  it('options: a GPU pool gets the NVIDIA AMI, the GPU label and taint; labels, disk size and desired size', () => {
    const s = tfStack();
    new ManagedNodeGroup(s, 'g', {
      ...props,
      name: 'gpu',
      instanceType: 'g5.2xlarge',
      gpu: true,
      min: 0,
      max: 3,
      desired: 1,
      labels: { team: 'ml' },
      diskSizeGb: 200,
    });
    const json = synthTf(s);
    const ng = resourcesOf(json, 'aws_eks_node_group')[0];
    expect(ng.ami_type).toBe('AL2023_x86_64_NVIDIA');
    expect(ng.taint).toEqual([{ key: 'nvidia.com/gpu', value: 'true', effect: 'NO_SCHEDULE' }]);
    expect(ng.labels).toEqual({ team: 'ml', 'parity.dev/node-pool': 'gpu', accelerator: 'nvidia' });
    expect(ng.scaling_config.desired_size).toBe(1);
    expect(resourcesOf(json, 'aws_launch_template')[0].block_device_mappings[0].ebs.volume_size).toBe(200);
  });

  it('rejects bounds out of order and a GPU pool on a CPU type', () => {
    expect(errorOf(() => new ManagedNodeGroup(tfStack(), 'g', { ...props, min: 6 }))).toBe(
      'ManagedNodeGroup at s/g: prop "min" is 6; expected ≤ max (5)',
    );
    expect(errorOf(() => new ManagedNodeGroup(tfStack(), 'g', { ...props, desired: 9 }))).toMatch(
      /prop "desired" is 9; expected between min \(2\) and max \(5\)/,
    );
    expect(errorOf(() => new ManagedNodeGroup(tfStack(), 'g', { ...props, gpu: true }))).toMatch(
      /prop "instanceType" is "m6i.xlarge"; expected a GPU instance type/,
    );
  });
});
