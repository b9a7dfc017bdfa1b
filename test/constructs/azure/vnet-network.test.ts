import { VnetNetwork } from '../../../constructs/azure/vnet-network';
import { errorOf, resourcesOf, synthTf, tfStack } from '../helpers';

describe('VnetNetwork', () => {
  it('defaults: nodes in the first half, a delegated /28 for the API server, a private-endpoint subnet, one NSG per subnet', () => {
    const s = tfStack();
    new VnetNetwork(s, 'n', { name: 'p', location: 'westeurope', cidr: '10.20.0.0/16' });
    const json = synthTf(s);
    const subnets = Object.fromEntries(resourcesOf(json, 'azurerm_subnet').map((x) => [x.name, x]));
    expect(subnets['snet-nodes'].address_prefixes).toEqual(['10.20.0.0/17']);
    expect(subnets['snet-apiserver'].address_prefixes).toEqual(['10.20.128.0/28']);
    expect(subnets['snet-apiserver'].delegation[0].service_delegation.name).toBe('Microsoft.ContainerService/managedClusters');
    expect(subnets['snet-private-endpoints'].address_prefixes).toEqual(['10.20.136.0/21']);
    expect(resourcesOf(json, 'azurerm_network_security_group')).toHaveLength(3);
    expect(resourcesOf(json, 'azurerm_subnet_network_security_group_association')).toHaveLength(3);
    expect(resourcesOf(json, 'azurerm_resource_group')[0]).toMatchObject({ name: 'rg-p', tags: {} });
  });

  it('option: public ingress ports open from the internet on the node subnet only; by default nothing is', () => {
    const s = tfStack();
    new VnetNetwork(s, 'n', { name: 'p', location: 'westeurope', cidr: '10.20.0.0/16', publicIngressPorts: [80, 443] });
    const nsgs = Object.fromEntries(resourcesOf(synthTf(s), 'azurerm_network_security_group').map((x) => [x.name, x]));
    expect(nsgs['nsg-p-nodes'].security_rule).toEqual([
      expect.objectContaining({
        access: 'Allow',
        direction: 'Inbound',
        source_address_prefix: 'Internet',
        destination_port_ranges: ['80', '443'],
        protocol: 'Tcp',
      }),
    ]);
    expect(nsgs['nsg-p-apiserver'].security_rule).toBeUndefined();
    const d = tfStack();
    new VnetNetwork(d, 'n', { name: 'p', location: 'westeurope', cidr: '10.20.0.0/16' });
    for (const nsg of resourcesOf(synthTf(d), 'azurerm_network_security_group')) expect(nsg.security_rule).toBeUndefined();
  });

  it('option: tags on every taggable resource', () => {
    const s = tfStack();
    new VnetNetwork(s, 'n', { name: 'p', location: 'westeurope', cidr: '10.20.0.0/16', tags: { env: 'prod' } });
    const json = synthTf(s);
    for (const type of ['azurerm_resource_group', 'azurerm_virtual_network', 'azurerm_network_security_group']) {
      for (const r of resourcesOf(json, type)) expect(r.tags).toEqual({ env: 'prod' });
    }
  });

  it('rejects a range outside /16–/20', () => {
    expect(errorOf(() => new VnetNetwork(tfStack(), 'n', { name: 'p', location: 'westeurope', cidr: '10.0.0.0/8' }))).toBe(
      'VnetNetwork at s/n: prop "cidr" is "10.0.0.0/8"; expected a block from /16 to /20',
    );
  });
});
