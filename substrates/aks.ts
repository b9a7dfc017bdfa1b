import { AzurermProvider } from '@cdktf/provider-azurerm/lib/provider';
import { VnetNetwork } from '../constructs/azure/vnet-network';
import { TerraformOutput } from '../lib/facade/tf';
import { ConfigIssue, show } from '../lib/model/issues';
import { ConfigFor, Environment } from '../lib/model/schema';
import { parseCidr } from '../lib/util/cidr';
import { cloudNodePoolSummaries, validateCloudNodePools } from './cloud-node-pools';
import { AZURE_VM_SIZE, isAzureGpuVmSize } from './machine-types';
import { InfrastructureContext, InfrastructureOutputs, NetworkRange, NodePoolSummary, PlatformTraits, ReviewFiles, Substrate } from './substrate';

type AksConfig = ConfigFor<'aks'>;

function aksConfig(env: Environment): AksConfig {
  if (env.substrate.kind !== 'aks') throw new Error(`environment ${env.name} is not an AKS environment`);
  return env.substrate;
}

/** Azure Kubernetes Service with Azure CNI overlay: nodes in the VNet, pods in their own range. */
export class AksSubstrate implements Substrate {
  readonly kind = 'aks' as const;
  readonly title = 'Azure Kubernetes Service';
  readonly traits: PlatformTraits = {
    defaultStorageClass: 'managed-csi-premium',
    ingressClass: 'nginx',
    loadBalancerAnnotations: {
      'service.beta.kubernetes.io/azure-load-balancer-health-probe-request-path': '/healthz',
    },
    gpuEnablement: 'nvidia-device-plugin',
  };

  validate(env: Environment): ConfigIssue[] {
    const cfg = aksConfig(env);
    const out: ConfigIssue[] = [];
    const add = (path: string, found: unknown, expected: string) => out.push({ environment: env.name, path, found: show(found), expected });
    const { prefix } = parseCidr(cfg.vnetCidr);
    if (prefix < 16 || prefix > 20) add('substrate.vnetCidr', cfg.vnetCidr, 'a VNet block from /16 to /20');
    cfg.publicAccessCidrs.forEach((c, i) => {
      if (parseCidr(c).prefix === 0) add(`substrate.publicAccessCidrs[${i}]`, c, 'a specific allowlist; 0.0.0.0/0 opens the API server to the internet');
    });
    const system = env.cluster.nodePools.filter((p) => p.role === 'system');
    if (system.length !== 1) {
      add('cluster.nodePools', system.map((p) => p.name), 'exactly one pool with role: system (AKS runs its system pods there)');
    }
    env.cluster.nodePools.forEach((p, i) => {
      if (p.role === 'system' && (p.min ?? 0) < 1) add(`cluster.nodePools[${i}].min`, p.min, 'at least 1 node in the system pool');
    });
    out.push(...validateCloudNodePools(env, { label: 'Azure VM size', pattern: AZURE_VM_SIZE, example: 'Standard_D4s_v5', isGpu: isAzureGpuVmSize }));
    return out;
  }

  networks(env: Environment): NetworkRange[] {
    const cfg = aksConfig(env);
    return [
      { name: 'node', cidr: cfg.vnetCidr, path: 'substrate.vnetCidr' },
      { name: 'pod', cidr: cfg.podCidr, path: 'substrate.podCidr' },
      { name: 'service', cidr: env.cluster.serviceCidr, path: 'cluster.serviceCidr' },
    ];
  }

  nodePools(env: Environment): NodePoolSummary[] {
    return cloudNodePoolSummaries(env);
  }

  buildInfrastructure(ctx: InfrastructureContext): InfrastructureOutputs {
    const cfg = aksConfig(ctx.env);
    const network = ctx.newStack('network', `Resource group and VNet ${cfg.vnetCidr} in ${cfg.location}`);
    new AzurermProvider(network, 'azurerm', { features: [{}] });
    const net = new VnetNetwork(network, 'network', {
      name: ctx.env.cluster.name,
      location: cfg.location,
      cidr: cfg.vnetCidr,
      tags: network.defaultTags,
    });
    new TerraformOutput(network, 'resource_group_name', { value: net.resourceGroup.name });
    new TerraformOutput(network, 'vnet_id', { value: net.vnet.id });
    new TerraformOutput(network, 'node_subnet_id', { value: net.nodeSubnet.id });
    return { stacks: [network] };
  }

  reviewFiles(): ReviewFiles {
    return {};
  }
}
