import { MaasInstance } from '../../../constructs/maas/maas-instance';
import { errorOf, resourcesOf, synthTf, tfStack } from '../helpers';

const props = { systemId: 'abc123', distroSeries: 'noble', userData: '#cloud-config\n{}' };

describe('MaasInstance', () => {
  it('defaults: allocates the machine and deploys the series with the user data, DHCP addressing, the default kernel', () => {
    const s = tfStack();
    new MaasInstance(s, 'i', props);
    const i = resourcesOf(synthTf(s), 'maas_instance')[0];
    expect(i.allocate_params).toEqual([{ system_id: 'abc123' }]);
    expect(i.deploy_params).toEqual([{ distro_series: 'noble', user_data: '#cloud-config\n{}' }]);
    expect(i.network_interfaces).toBeUndefined();
  });

  it('options: a static address on an interface and an HWE kernel', () => {
    const s = tfStack();
    new MaasInstance(s, 'i', {
      ...props,
      staticIp: { interface: 'eno1', subnetCidr: '10.0.20.0/24', address: '10.0.20.22' },
      hweKernel: 'hwe-24.04',
    });
    const i = resourcesOf(synthTf(s), 'maas_instance')[0];
    expect(i.network_interfaces).toEqual([{ name: 'eno1', subnet_cidr: '10.0.20.0/24', ip_address: '10.0.20.22' }]);
    expect(i.deploy_params[0].hwe_kernel).toBe('hwe-24.04');
  });

  it('rejects a series that is not a name and user data that is not cloud-config', () => {
    expect(errorOf(() => new MaasInstance(tfStack(), 'i', { ...props, distroSeries: '24.04' }))).toMatch(
      /^MaasInstance at s\/i: prop "distroSeries" is "24.04"/,
    );
    expect(errorOf(() => new MaasInstance(tfStack(), 'i', { ...props, userData: '#!/bin/sh' }))).toMatch(/prop "userData"/);
  });
});
