import { Construct } from 'constructs';
import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { DefaultSecurityGroup } from '@cdktf/provider-aws/lib/default-security-group';
import { Eip } from '@cdktf/provider-aws/lib/eip';
import { FlowLog } from '@cdktf/provider-aws/lib/flow-log';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { InternetGateway } from '@cdktf/provider-aws/lib/internet-gateway';
import { NatGateway } from '@cdktf/provider-aws/lib/nat-gateway';
import { Route } from '@cdktf/provider-aws/lib/route';
import { RouteTable } from '@cdktf/provider-aws/lib/route-table';
import { RouteTableAssociation } from '@cdktf/provider-aws/lib/route-table-association';
import { Subnet } from '@cdktf/provider-aws/lib/subnet';
import { Vpc } from '@cdktf/provider-aws/lib/vpc';
import { parseCidr, subnet } from '../../lib/core/util/cidr';
import { propError } from '../props';

export interface VpcNetworkProps {
  /** Name prefix for every resource and the `Name` tag. */
  readonly name: string;
  /** VPC range; private subnets take three quarters of it, public subnets a small slice. Must be /16 to /20. */
  readonly cidr: string;
  /** One private and one public subnet per zone. */
  readonly availabilityZones: ReadonlyArray<string>;
  /**
   * `single` shares one NAT gateway (cheaper, one zone's outage cuts egress); `per-az` isolates zones.
   * @default 'per-az'
   */
  readonly natGateways?: 'single' | 'per-az';
  /** EKS cluster name for the `kubernetes.io/cluster/<name>` discovery tag on subnets. */
  readonly clusterName: string;
  /**
   * Days VPC flow logs are kept.
   * @default 365
   */
  readonly flowLogRetentionDays?: number;
}

/**
 * A VPC across several zones: private subnets for nodes and pods (VPC CNI gives pods VPC addresses,
 * hence the large blocks), small public subnets for load balancers and NAT, flow logs on, and the
 * default security group emptied so nothing can rely on it.
 */
export class VpcNetwork extends Construct {
  readonly vpc: Vpc;
  readonly privateSubnets: Subnet[] = [];
  readonly publicSubnets: Subnet[] = [];

  constructor(scope: Construct, id: string, props: VpcNetworkProps) {
    super(scope, id);
    const { prefix } = parseCidr(props.cidr);
    if (prefix < 16 || prefix > 20) throw propError(this, 'cidr', props.cidr, 'a block from /16 to /20');
    const zones = props.availabilityZones;
    if (zones.length < 2 || zones.length > 3) {
      throw propError(this, 'availabilityZones', zones, '2 or 3 zones (one quarter of the VPC each)');
    }
    const name = props.name;
    const tag = (n: string, extra: Record<string, string> = {}) => ({ Name: n, ...extra });

    this.vpc = new Vpc(this, 'vpc', {
      cidrBlock: props.cidr,
      enableDnsHostnames: true,
      enableDnsSupport: true,
      tags: tag(name),
    });
    new DefaultSecurityGroup(this, 'default-sg', { vpcId: this.vpc.id, ingress: [], egress: [], tags: tag(`${name}-default-deny`) });

    const igw = new InternetGateway(this, 'igw', { vpcId: this.vpc.id, tags: tag(name) });
    const publicRoutes = new RouteTable(this, 'public-rt', { vpcId: this.vpc.id, tags: tag(`${name}-public`) });
    new Route(this, 'public-default', { routeTableId: publicRoutes.id, destinationCidrBlock: '0.0.0.0/0', gatewayId: igw.id });

    // Private subnets: quarters 0..n-1 of the VPC; public subnets: /24-equivalents carved from the last quarter.
    const privatePrefix = prefix + 2;
    const lastQuarter = subnet(props.cidr, privatePrefix, 3);
    const clusterTag = { [`kubernetes.io/cluster/${props.clusterName}`]: 'shared' };

    const nats: NatGateway[] = [];
    zones.forEach((zone, i) => {
      const pub = new Subnet(this, `public-${zone}`, {
        vpcId: this.vpc.id,
        availabilityZone: zone,
        cidrBlock: subnet(lastQuarter, privatePrefix + 4, i),
        mapPublicIpOnLaunch: false,
        tags: tag(`${name}-public-${zone}`, { ...clusterTag, 'kubernetes.io/role/elb': '1' }),
      });
      new RouteTableAssociation(this, `public-rta-${zone}`, { subnetId: pub.id, routeTableId: publicRoutes.id });
      this.publicSubnets.push(pub);

      if (props.natGateways !== 'single' || i === 0) {
        const eip = new Eip(this, `nat-eip-${zone}`, { domain: 'vpc', tags: tag(`${name}-nat-${zone}`) });
        nats.push(new NatGateway(this, `nat-${zone}`, { allocationId: eip.id, subnetId: pub.id, tags: tag(`${name}-${zone}`), dependsOn: [igw] }));
      }
    });

    zones.forEach((zone, i) => {
      const priv = new Subnet(this, `private-${zone}`, {
        vpcId: this.vpc.id,
        availabilityZone: zone,
        cidrBlock: subnet(props.cidr, privatePrefix, i),
        tags: tag(`${name}-private-${zone}`, { ...clusterTag, 'kubernetes.io/role/internal-elb': '1' }),
      });
      const rt = new RouteTable(this, `private-rt-${zone}`, { vpcId: this.vpc.id, tags: tag(`${name}-private-${zone}`) });
      new Route(this, `private-default-${zone}`, {
        routeTableId: rt.id,
        destinationCidrBlock: '0.0.0.0/0',
        natGatewayId: nats[Math.min(i, nats.length - 1)].id,
      });
      new RouteTableAssociation(this, `private-rta-${zone}`, { subnetId: priv.id, routeTableId: rt.id });
      this.privateSubnets.push(priv);
    });

    this.addFlowLogs(name, props.flowLogRetentionDays ?? 365);
  }

  private addFlowLogs(name: string, retentionDays: number): void {
    const logGroup = new CloudwatchLogGroup(this, 'flow-logs', {
      name: `/parity/${name}/vpc-flow-logs`,
      retentionInDays: retentionDays,
    });
    const role = new IamRole(this, 'flow-logs-role', {
      name: `${name}-vpc-flow-logs`,
      assumeRolePolicy: JSON.stringify({
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Principal: { Service: 'vpc-flow-logs.amazonaws.com' }, Action: 'sts:AssumeRole' }],
      }),
    });
    // Least privilege: write to this one log group only.
    new IamRolePolicy(this, 'flow-logs-policy', {
      role: role.id,
      policy: JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Action: ['logs:CreateLogStream', 'logs:PutLogEvents', 'logs:DescribeLogStreams'],
            Resource: `${logGroup.arn}:*`,
          },
        ],
      }),
    });
    new FlowLog(this, 'flow-log', {
      vpcId: this.vpc.id,
      trafficType: 'ALL',
      logDestinationType: 'cloud-watch-logs',
      logDestination: logGroup.arn,
      iamRoleArn: role.arn,
    });
  }
}
