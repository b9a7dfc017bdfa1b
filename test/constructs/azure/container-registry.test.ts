import { ContainerRegistry } from '../../../constructs/azure/container-registry';
import { synthesizeAll } from '../../../lib/pipeline/synth/pipeline';
import { examples, fixture, resources, terraform } from '../../helpers';
import { errorOf, resourcesOf, synthTf, tfStack } from '../helpers';

const props = {
  name: 'examplecr',
  location: 'westeurope',
  resourceGroupName: 'rg',
  privateEndpointSubnetId: 'pe-subnet',
  vnetId: 'vnet',
  pullPrincipalId: 'kubelet',
};

describe('ContainerRegistry', () => {
  it('defaults: Premium, no admin user, no public access; a private endpoint with the privatelink zone linked to the VNet; AcrPull for the puller only', () => {
    const s = tfStack();
    new ContainerRegistry(s, 'acr', props);
    const json = synthTf(s);
    expect(resourcesOf(json, 'azurerm_container_registry')[0]).toMatchObject({
      name: 'examplecr',
      sku: 'Premium',
      admin_enabled: false,
      public_network_access_enabled: false,
      tags: {},
    });
    expect(resourcesOf(json, 'azurerm_private_dns_zone')[0].name).toBe('privatelink.azurecr.io');
    expect(resourcesOf(json, 'azurerm_private_dns_zone_virtual_network_link')[0]).toMatchObject({
      virtual_network_id: 'vnet',
      registration_enabled: false,
    });
    const pe = resourcesOf(json, 'azurerm_private_endpoint')[0];
    expect(pe.subnet_id).toBe('pe-subnet');
    expect(pe.private_service_connection.subresource_names).toEqual(['registry']);
    expect(resourcesOf(json, 'azurerm_role_assignment')).toEqual([
      expect.objectContaining({
        role_definition_name: 'AcrPull',
        principal_id: 'kubelet',
        scope: expect.stringMatching(/azurerm_container_registry\./),
      }),
    ]);
  });

  it('option: tags on every resource that takes them', () => {
    const s = tfStack();
    new ContainerRegistry(s, 'acr', { ...props, tags: { env: 'prod' } });
    const json = synthTf(s);
    for (const type of ['azurerm_container_registry', 'azurerm_private_dns_zone', 'azurerm_private_endpoint'])
      expect(resourcesOf(json, type)[0].tags).toEqual({ env: 'prod' });
  });

  it('rejects a name Azure would refuse', () => {
    expect(errorOf(() => new ContainerRegistry(tfStack(), 'acr', { ...props, name: 'Example-CR' }))).toBe(
      'ContainerRegistry at s/acr: prop "name" is "Example-CR"; expected 5 to 50 lower-case letters and digits (Azure registry names)',
    );
  });
});

describe('the prod registry (Arbitex on AKS)', () => {
  it('is created in the cluster stack and pulled from by the kubelet identity', () => {
    const tf = terraform(examples(), 'prod', 'cluster');
    expect(resources(tf, 'azurerm_container_registry')[0].name).toBe('arbitexacr');
    expect(resources(tf, 'azurerm_role_assignment').find((r) => r.role_definition_name === 'AcrPull').principal_id).toMatch(
      /^\$\{azurerm_kubernetes_cluster\.[^.]+\.kubelet_identity\[0\]\.object_id\}$/,
    );
  });

  it('an app image from another Azure registry is refused', () => {
    expect(() => synthesizeAll({ environmentsDir: fixture('prod', (e) => delete e.substrate.containerRegistry) })).toThrow(
      /substrate\.containerRegistry: found nothing; expected \{ name: arbitexacr \}: the apps pull from arbitexacr\.azurecr\.io/,
    );
  });
});
