import { Construct } from 'constructs';
import { NetworkSecurityGroup } from '@cdktf/provider-azurerm/lib/network-security-group';
import { ResourceGroup } from '@cdktf/provider-azurerm/lib/resource-group';
import { Subnet } from '@cdktf/provider-azurerm/lib/subnet';
import { SubnetNetworkSecurityGroupAssociation } from '@cdktf/provider-azurerm/lib/subnet-network-security-group-association';
import { VirtualNetwork } from '@cdktf/provider-azurerm/lib/virtual-network';
import { parseCidr, subnet } from '../../lib/core/util/cidr';
import { propError } from '../props';

export interface VnetNetworkProps {
  readonly name: string;
  readonly location: string;
  /** VNet range, /16 to /20. With Azure CNI overlay only nodes take VNet addresses. */
  readonly cidr: string;
  /**
   * TCP ports the node subnet accepts from the internet, for a public LoadBalancer (the ingress
   * controller). The subnet NSG filters before AKS's own NSG; without the rule public ingress never arrives.
   * @default [] (nothing from the internet)
   */
  readonly publicIngressPorts?: ReadonlyArray<number>;
  /** @default {} */
  readonly tags?: Record<string, string>;
}

/** The VNet's slices: nodes = first half; API server = a /28 and endpoints = a 1/32 block from the second half. */
export function vnetLayout(cidr: string): { readonly nodes: string; readonly apiServer: string; readonly privateEndpoints: string } {
  const { prefix } = parseCidr(cidr);
  const secondHalf = subnet(cidr, prefix + 1, 1);
  return { nodes: subnet(cidr, prefix + 1, 0), apiServer: subnet(secondHalf, 28, 0), privateEndpoints: subnet(secondHalf, prefix + 5, 1) };
}

/**
 * Resource group and VNet for an AKS cluster: a node subnet (half the VNet), a subnet for the API
 * server VNet integration and one for private endpoints. Each subnet has its own NSG so rules can be
 * tightened per tier without touching the others.
 */
export class VnetNetwork extends Construct {
  readonly resourceGroup: ResourceGroup;
  readonly vnet: VirtualNetwork;
  readonly nodeSubnet: Subnet;
  readonly apiServerSubnet: Subnet;
  readonly privateEndpointSubnet: Subnet;

  constructor(scope: Construct, id: string, props: VnetNetworkProps) {
    super(scope, id);
    const { prefix } = parseCidr(props.cidr);
    if (prefix < 16 || prefix > 20) throw propError(this, 'cidr', props.cidr, 'a block from /16 to /20');
    const tags = props.tags ?? {};

    this.resourceGroup = new ResourceGroup(this, 'rg', { name: `rg-${props.name}`, location: props.location, tags });
    this.vnet = new VirtualNetwork(this, 'vnet', {
      name: `vnet-${props.name}`,
      location: props.location,
      resourceGroupName: this.resourceGroup.name,
      addressSpace: [props.cidr],
      tags,
    });
    const layout = vnetLayout(props.cidr);
    this.nodeSubnet = this.subnet('nodes', layout.nodes, tags, props, undefined, props.publicIngressPorts ?? []);
    this.apiServerSubnet = this.subnet('apiserver', layout.apiServer, tags, props, 'Microsoft.ContainerService/managedClusters');
    this.privateEndpointSubnet = this.subnet('private-endpoints', layout.privateEndpoints, tags, props);
  }

  private subnet(
    tier: string,
    cidr: string,
    tags: Record<string, string>,
    props: VnetNetworkProps,
    delegateTo?: string,
    publicPorts: ReadonlyArray<number> = [],
  ): Subnet {
    const sn = new Subnet(this, `subnet-${tier}`, {
      name: `snet-${tier}`,
      resourceGroupName: this.resourceGroup.name,
      virtualNetworkName: this.vnet.name,
      addressPrefixes: [cidr],
      privateEndpointNetworkPolicies: 'Enabled',
      delegation: delegateTo
        ? [{ name: 'aks-apiserver', serviceDelegation: { name: delegateTo, actions: ['Microsoft.Network/virtualNetworks/subnets/join/action'] } }]
        : undefined,
    });
    const nsg = new NetworkSecurityGroup(this, `nsg-${tier}`, {
      name: `nsg-${props.name}-${tier}`,
      location: props.location,
      resourceGroupName: this.resourceGroup.name,
      securityRule: publicPorts.length
        ? [
            {
              name: 'allow-public-ingress',
              priority: 100,
              direction: 'Inbound',
              access: 'Allow',
              protocol: 'Tcp',
              sourceAddressPrefix: 'Internet',
              sourcePortRange: '*',
              // The load balancer keeps the public frontend address (floating IP), so the destination is not a subnet address.
              destinationAddressPrefix: '*',
              destinationPortRanges: publicPorts.map(String),
              description: 'public ingress through the cluster load balancer',
            },
          ]
        : undefined,
      tags,
    });
    new SubnetNetworkSecurityGroupAssociation(this, `nsg-assoc-${tier}`, { subnetId: sn.id, networkSecurityGroupId: nsg.id });
    return sn;
  }
}
