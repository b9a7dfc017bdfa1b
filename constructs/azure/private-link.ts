import { Construct } from 'constructs';
import { PrivateDnsZone } from '@cdktf/provider-azurerm/lib/private-dns-zone';
import { PrivateDnsZoneVirtualNetworkLink } from '@cdktf/provider-azurerm/lib/private-dns-zone-virtual-network-link';
import { PrivateEndpoint } from '@cdktf/provider-azurerm/lib/private-endpoint';
import { TerraformStack } from '../../lib/core/facade/tf';

export interface PrivateLinkProps {
  /** Name of the service the endpoint reaches, for the endpoint's and the link's names. */
  readonly name: string;
  /** Resource id of the service (registry, Key Vault, database). */
  readonly resourceId: string;
  /** Its private-link subresource, e.g. `registry`, `vault`. */
  readonly subresource: string;
  /** The service's privatelink DNS zone, e.g. `privatelink.vaultcore.azure.net`. */
  readonly dnsZone: string;
  readonly location: string;
  readonly resourceGroupName: string;
  /** Subnet of the private endpoint (the VNet's private-endpoint subnet). */
  readonly subnetId: string;
  /** VNet whose resolver gets the zone, so the service's public name resolves to the endpoint (one zone per stack and name). */
  readonly vnetId: string;
  /** @default {} */
  readonly tags?: Record<string, string>;
}

/**
 * The stack's privatelink zone of that name, linked to the VNet: created once per stack and shared by
 * every endpoint of the service type (two zones of one name in a resource group would collide).
 */
function privateDnsZone(scope: Construct, props: PrivateLinkProps): { zone: PrivateDnsZone; link: PrivateDnsZoneVirtualNetworkLink } {
  const stack = TerraformStack.of(scope);
  const id = `private-dns-${props.dnsZone}`;
  const existing = stack.node.tryFindChild(id) as Construct | undefined;
  if (existing)
    return { zone: existing.node.findChild('zone') as PrivateDnsZone, link: existing.node.findChild('link') as PrivateDnsZoneVirtualNetworkLink };
  const holder = new Construct(stack, id);
  const tags = props.tags ?? {};
  const zone = new PrivateDnsZone(holder, 'zone', { name: props.dnsZone, resourceGroupName: props.resourceGroupName, tags });
  const link = new PrivateDnsZoneVirtualNetworkLink(holder, 'link', {
    name: `${props.dnsZone.replace(/\./g, '-')}-vnet`,
    resourceGroupName: props.resourceGroupName,
    privateDnsZoneName: zone.name,
    virtualNetworkId: props.vnetId,
    registrationEnabled: false,
    tags,
  });
  return { zone, link };
}

/**
 * A service with public network access off, reached from the VNet: a private endpoint in the
 * private-endpoint subnet and the service's privatelink DNS zone linked to the VNet, with the
 * endpoint's A record written into the zone by the endpoint's zone group.
 */
export class PrivateLink extends Construct {
  readonly endpoint: PrivateEndpoint;

  constructor(scope: Construct, id: string, props: PrivateLinkProps) {
    super(scope, id);
    const tags = props.tags ?? {};
    const { zone, link } = privateDnsZone(this, props);
    this.endpoint = new PrivateEndpoint(this, 'endpoint', {
      name: `pe-${props.name}`,
      location: props.location,
      resourceGroupName: props.resourceGroupName,
      subnetId: props.subnetId,
      privateServiceConnection: {
        name: `${props.name}-${props.subresource}`,
        privateConnectionResourceId: props.resourceId,
        subresourceNames: [props.subresource],
        isManualConnection: false,
      },
      privateDnsZoneGroup: { name: props.subresource, privateDnsZoneIds: [zone.id] },
      // The name resolves privately only once the zone is linked to the VNet.
      dependsOn: [link],
      tags,
    });
  }
}
