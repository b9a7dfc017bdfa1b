import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { VpcNetwork } from '../constructs/aws/vpc-network';
import { TerraformOutput } from '../lib/facade/tf';
import { ConfigIssue, show } from '../lib/model/issues';
import { ConfigFor, Environment } from '../lib/model/schema';
import { parseCidr } from '../lib/util/cidr';
import { cloudNodePoolSummaries, validateCloudNodePools } from './cloud-node-pools';
import { AWS_INSTANCE_TYPE, isAwsGpuInstanceType } from './machine-types';
import { InfrastructureContext, InfrastructureOutputs, NetworkRange, NodePoolSummary, PlatformTraits, ReviewFiles, Substrate } from './substrate';

type EksConfig = ConfigFor<'eks'>;

function eksConfig(env: Environment): EksConfig {
  if (env.substrate.kind !== 'eks') throw new Error(`environment ${env.name} is not an EKS environment`);
  return env.substrate;
}

/** Amazon EKS in one region: VPC across zones, then (cluster issue) the cluster and its node groups. */
export class EksSubstrate implements Substrate {
  readonly kind = 'eks' as const;
  readonly title = 'Amazon EKS';
  readonly traits: PlatformTraits = {
    defaultStorageClass: 'gp3',
    ingressClass: 'nginx',
    loadBalancerAnnotations: {
      'service.beta.kubernetes.io/aws-load-balancer-type': 'external',
      'service.beta.kubernetes.io/aws-load-balancer-nlb-target-type': 'ip',
    },
    gpuEnablement: 'nvidia-device-plugin',
  };

  validate(env: Environment): ConfigIssue[] {
    const cfg = eksConfig(env);
    const out: ConfigIssue[] = [];
    const add = (path: string, found: unknown, expected: string) => out.push({ environment: env.name, path, found: show(found), expected });
    const { prefix } = parseCidr(cfg.vpcCidr);
    if (prefix < 16 || prefix > 20) add('substrate.vpcCidr', cfg.vpcCidr, 'a VPC block from /16 to /20');
    if (cfg.availabilityZones.length > 3) add('substrate.availabilityZones', cfg.availabilityZones, '2 or 3 availability zones');
    cfg.availabilityZones.forEach((zone, i) => {
      if (!zone.startsWith(cfg.region) || !/^[a-z]$/.test(zone.slice(cfg.region.length))) {
        add(`substrate.availabilityZones[${i}]`, zone, `a zone of ${cfg.region} such as ${cfg.region}a`);
      }
      if (cfg.availabilityZones.indexOf(zone) !== i) add(`substrate.availabilityZones[${i}]`, zone, 'each zone listed once');
    });
    cfg.publicAccessCidrs.forEach((c, i) => {
      if (parseCidr(c).prefix === 0) add(`substrate.publicAccessCidrs[${i}]`, c, 'a specific allowlist; 0.0.0.0/0 opens the API server to the internet');
    });
    out.push(
      ...validateCloudNodePools(env, { label: 'EC2 instance type', pattern: AWS_INSTANCE_TYPE, example: 'm6i.xlarge', isGpu: isAwsGpuInstanceType }),
    );
    return out;
  }

  networks(env: Environment): NetworkRange[] {
    // VPC CNI: pods take VPC addresses, so the VPC is both the node and the pod range.
    return [
      { name: 'node', cidr: eksConfig(env).vpcCidr, path: 'substrate.vpcCidr' },
      { name: 'service', cidr: env.cluster.serviceCidr, path: 'cluster.serviceCidr' },
    ];
  }

  nodePools(env: Environment): NodePoolSummary[] {
    return cloudNodePoolSummaries(env);
  }

  buildInfrastructure(ctx: InfrastructureContext): InfrastructureOutputs {
    const cfg = eksConfig(ctx.env);
    const network = ctx.newStack('network', `VPC ${cfg.vpcCidr} over ${cfg.availabilityZones.length} zones in ${cfg.region}`);
    new AwsProvider(network, 'aws', { region: cfg.region, defaultTags: [{ tags: network.defaultTags }] });
    const vpc = new VpcNetwork(network, 'network', {
      name: ctx.env.cluster.name,
      cidr: cfg.vpcCidr,
      availabilityZones: cfg.availabilityZones,
      natGateways: cfg.natGateways,
      clusterName: ctx.env.cluster.name,
    });
    new TerraformOutput(network, 'vpc_id', { value: vpc.vpc.id });
    new TerraformOutput(network, 'private_subnet_ids', { value: vpc.privateSubnets.map((s) => s.id) });
    new TerraformOutput(network, 'public_subnet_ids', { value: vpc.publicSubnets.map((s) => s.id) });
    return { stacks: [network] };
  }

  reviewFiles(): ReviewFiles {
    return {};
  }
}
