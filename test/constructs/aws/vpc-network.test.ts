import { VpcNetwork } from '../../../constructs/aws/vpc-network';
import { errorOf, resourcesOf, synthTf, tfStack } from '../helpers';

const props = { name: 'n', cidr: '10.10.0.0/16', availabilityZones: ['eu-west-1a', 'eu-west-1b', 'eu-west-1c'], clusterName: 'c1' };

describe('VpcNetwork', () => {
  it('defaults: a private quarter of the VPC per zone, public subnets from the last quarter, one NAT per zone, a deny-all default SG, flow logs for a year', () => {
    const s = tfStack();
    const net = new VpcNetwork(s, 'v', props);
    const json = synthTf(s);
    const subnets = resourcesOf(json, 'aws_subnet');
    const cidrs = (role: string) =>
      subnets
        .filter((x) => x.tags[`kubernetes.io/role/${role}`])
        .map((x) => x.cidr_block)
        .sort();
    expect(cidrs('internal-elb')).toEqual(['10.10.0.0/18', '10.10.128.0/18', '10.10.64.0/18']);
    expect(cidrs('elb')).toEqual(['10.10.192.0/22', '10.10.196.0/22', '10.10.200.0/22']);
    expect(subnets.every((x) => x.map_public_ip_on_launch !== true)).toBe(true);
    expect(resourcesOf(json, 'aws_nat_gateway')).toHaveLength(3);
    expect(resourcesOf(json, 'aws_default_security_group')[0]).toMatchObject({ ingress: [], egress: [] });
    expect(resourcesOf(json, 'aws_cloudwatch_log_group')[0].retention_in_days).toBe(365);
    expect(net.privateSubnets).toHaveLength(3);
  });

  it('options: a single NAT gateway and the flow-log retention', () => {
    const s = tfStack();
    new VpcNetwork(s, 'v', { ...props, natGateways: 'single', flowLogRetentionDays: 30 });
    const json = synthTf(s);
    expect(resourcesOf(json, 'aws_nat_gateway')).toHaveLength(1);
    expect(resourcesOf(json, 'aws_cloudwatch_log_group')[0].retention_in_days).toBe(30);
  });

  it('rejects a block outside /16–/20 and a zone count other than 2 or 3', () => {
    expect(errorOf(() => new VpcNetwork(tfStack(), 'v', { ...props, cidr: '10.0.0.0/24' }))).toBe(
      'VpcNetwork at s/v: prop "cidr" is "10.0.0.0/24"; expected a block from /16 to /20',
    );
    expect(errorOf(() => new VpcNetwork(tfStack(), 'v', { ...props, availabilityZones: ['eu-west-1a'] }))).toMatch(/prop "availabilityZones"/);
  });
});
