import { PrivateLink } from '../../../constructs/azure/private-link';
import { resourcesOf, synthTf, tfStack } from '../helpers';

describe('PrivateLink', () => {
  it('a private endpoint in the given subnet with its zone group, the privatelink zone linked to the VNet first', () => {
    const s = tfStack();
    new PrivateLink(s, 'p', {
      name: 'kv-x',
      resourceId: 'kv-id',
      subresource: 'vault',
      dnsZone: 'privatelink.vaultcore.azure.net',
      location: 'westeurope',
      resourceGroupName: 'rg',
      subnetId: 'subnet',
      vnetId: 'vnet',
    });
    const json = synthTf(s);
    const pe = resourcesOf(json, 'azurerm_private_endpoint')[0];
    expect(pe).toMatchObject({
      name: 'pe-kv-x',
      subnet_id: 'subnet',
      private_service_connection: {
        name: 'kv-x-vault',
        private_connection_resource_id: 'kv-id',
        subresource_names: ['vault'],
        is_manual_connection: false,
      },
      private_dns_zone_group: { name: 'vault' },
      tags: {},
    });
    expect(pe.depends_on).toEqual([expect.stringMatching(/^azurerm_private_dns_zone_virtual_network_link\./)]);
    expect(resourcesOf(json, 'azurerm_private_dns_zone_virtual_network_link')[0]).toMatchObject({
      name: 'privatelink-vaultcore-azure-net-vnet',
      virtual_network_id: 'vnet',
      registration_enabled: false,
    });
  });

  it('two endpoints of one service type in a stack share its privatelink zone and VNet link', () => {
    const s = tfStack();
    const props = {
      resourceId: 'id',
      subresource: 'vault',
      dnsZone: 'privatelink.vaultcore.azure.net',
      location: 'westeurope',
      resourceGroupName: 'rg',
      subnetId: 'subnet',
      vnetId: 'vnet',
    };
    new PrivateLink(s, 'a', { ...props, name: 'kv-a' });
    new PrivateLink(s, 'b', { ...props, name: 'kv-b' });
    const json = synthTf(s);
    expect(resourcesOf(json, 'azurerm_private_dns_zone')).toHaveLength(1);
    expect(resourcesOf(json, 'azurerm_private_dns_zone_virtual_network_link')).toHaveLength(1);
    expect(resourcesOf(json, 'azurerm_private_endpoint').map((p) => p.name)).toEqual(['pe-kv-a', 'pe-kv-b']);
  });
});
