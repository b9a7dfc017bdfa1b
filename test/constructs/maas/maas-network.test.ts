import { MaasNetworkInterfaceVlan, MaasSubnet, MaasVlan } from '../../../constructs/maas/maas-network';
import { errorOf, resourcesOf, synthTf, tfStack } from '../helpers';

describe('MaasVlan, MaasSubnet and MaasNetworkInterfaceVlan', () => {
  it('a VLAN without DHCP, its subnet by reference, and a tagged interface of a machine', () => {
    const s = tfStack();
    const vlan = new MaasVlan(s, 'v', { fabric: 'fabric-0', vid: 30, name: 'ceph-public' });
    new MaasSubnet(s, 'n', { cidr: '10.0.30.0/24', fabric: 'fabric-0', vlan: vlan.id });
    new MaasNetworkInterfaceVlan(s, 'i', { machine: '${maas_machine.m.id}', parent: 'eno1', fabric: 'fabric-0', vlan: vlan.id });
    const json = synthTf(s);
    expect(resourcesOf(json, 'maas_vlan')[0]).toEqual({ fabric: 'fabric-0', vid: 30, name: 'ceph-public', dhcp_on: false });
    expect(resourcesOf(json, 'maas_subnet')[0]).toEqual({
      cidr: '10.0.30.0/24',
      fabric: 'fabric-0',
      vlan: '${maas_vlan.v.id}',
      name: '10.0.30.0/24',
    });
    expect(resourcesOf(json, 'maas_network_interface_vlan')[0]).toEqual({
      machine: '${maas_machine.m.id}',
      parent: 'eno1',
      fabric: 'fabric-0',
      vlan: '${maas_vlan.v.id}',
    });
  });

  it('options: DHCP on a VLAN, a gateway and a name on a subnet', () => {
    const s = tfStack();
    new MaasVlan(s, 'v', { fabric: '2', vid: 40, dhcpOn: true });
    new MaasSubnet(s, 'n', { cidr: '10.0.40.0/24', fabric: '2', vlan: '40', name: 'provisioning', gatewayIp: '10.0.40.1' });
    const json = synthTf(s);
    expect(resourcesOf(json, 'maas_vlan')[0]).toMatchObject({ dhcp_on: true });
    expect(resourcesOf(json, 'maas_subnet')[0]).toMatchObject({ name: 'provisioning', gateway_ip: '10.0.40.1' });
  });

  it('rejects a VLAN ID outside 802.1Q, a CIDR with host bits, an interface name Linux would not have', () => {
    expect(errorOf(() => new MaasVlan(tfStack(), 'v', { fabric: 'fabric-0', vid: 4095 }))).toMatch(
      /^MaasVlan at s\/v: prop "vid" is 4095; expected an 802.1Q VLAN ID from 1 to 4094/,
    );
    expect(errorOf(() => new MaasSubnet(tfStack(), 'n', { cidr: '10.0.30.1/24', fabric: 'f', vlan: '30' }))).toContain(
      'prop "cidr" is "10.0.30.1/24"',
    );
    expect(errorOf(() => new MaasNetworkInterfaceVlan(tfStack(), 'i', { machine: 'm', parent: 'Eno 1', fabric: 'f', vlan: '1' }))).toContain(
      'prop "parent" is "Eno 1"',
    );
  });
});
