import { Construct } from 'constructs';
import { ContainerRegistry as AcrResource } from '@cdktf/provider-azurerm/lib/container-registry';
import { PrivateLink } from './private-link';
import { RoleAssignment } from '@cdktf/provider-azurerm/lib/role-assignment';
import { propError } from '../props';

export interface ContainerRegistryProps {
  /** Registry name: 5–50 lower-case letters and digits; images are `<name>.azurecr.io/...`. */
  readonly name: string;
  readonly location: string;
  readonly resourceGroupName: string;
  /** Subnet of the private endpoint (the VNet's private-endpoint subnet). */
  readonly privateEndpointSubnetId: string;
  /** VNet the private DNS zone is linked to, so nodes resolve the registry to its private address. */
  readonly vnetId: string;
  /** Object id of the identity that pulls (the AKS kubelet identity): it gets AcrPull on this registry only. */
  readonly pullPrincipalId: string;
  /** @default {} */
  readonly tags?: Record<string, string>;
}

const NAME = /^[a-z0-9]{5,50}$/;

/**
 * A private Azure Container Registry: Premium (the tier with private endpoints), no admin user, no public
 * network access, reached through a private endpoint whose address the `privatelink.azurecr.io` zone
 * gives the VNet, and AcrPull for the cluster's kubelet identity, nothing more.
 */
export class ContainerRegistry extends Construct {
  readonly registry: AcrResource;
  readonly loginServer: string;

  constructor(scope: Construct, id: string, props: ContainerRegistryProps) {
    super(scope, id);
    if (!NAME.test(props.name)) throw propError(this, 'name', props.name, '5 to 50 lower-case letters and digits (Azure registry names)');
    const tags = props.tags ?? {};
    this.registry = new AcrResource(this, 'registry', {
      name: props.name,
      location: props.location,
      resourceGroupName: props.resourceGroupName,
      sku: 'Premium',
      adminEnabled: false,
      publicNetworkAccessEnabled: false,
      tags,
    });
    this.loginServer = `${props.name}.azurecr.io`;
    new PrivateLink(this, 'private-link', {
      name: props.name,
      resourceId: this.registry.id,
      subresource: 'registry',
      dnsZone: 'privatelink.azurecr.io',
      location: props.location,
      resourceGroupName: props.resourceGroupName,
      subnetId: props.privateEndpointSubnetId,
      vnetId: props.vnetId,
      tags,
    });
    new RoleAssignment(this, 'acr-pull', { scope: this.registry.id, roleDefinitionName: 'AcrPull', principalId: props.pullPrincipalId });
  }
}
