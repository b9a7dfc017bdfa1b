import { MaasMachine } from '../../../constructs/maas/maas-machine';
import { errorOf, resourcesOf, synthTf, tfStack } from '../helpers';

const props = { hostname: 'worker-01', pxeMacAddress: '24:6e:96:00:20:22', powerType: 'ipmi', powerParameters: '${jsonencode({})}' };

describe('MaasMachine', () => {
  it('defaults: enlisted by PXE MAC with its power driver, amd64/generic, no zone or pool', () => {
    const s = tfStack();
    new MaasMachine(s, 'm', props);
    expect(resourcesOf(synthTf(s), 'maas_machine')[0]).toEqual({
      hostname: 'worker-01',
      pxe_mac_address: '24:6e:96:00:20:22',
      power_type: 'ipmi',
      power_parameters: '${jsonencode({})}',
      architecture: 'amd64/generic',
    });
  });

  it('options: architecture, zone and pool', () => {
    const s = tfStack();
    new MaasMachine(s, 'm', { ...props, architecture: 'arm64/generic', zone: 'rack-a', pool: 'k8s' });
    expect(resourcesOf(synthTf(s), 'maas_machine')[0]).toMatchObject({ architecture: 'arm64/generic', zone: 'rack-a', pool: 'k8s' });
  });

  it('rejects an upper-case MAC and an unknown power driver', () => {
    expect(errorOf(() => new MaasMachine(tfStack(), 'm', { ...props, pxeMacAddress: '24:6E:96:00:20:22' }))).toMatch(
      /^MaasMachine at s\/m: prop "pxeMacAddress"/,
    );
    expect(errorOf(() => new MaasMachine(tfStack(), 'm', { ...props, powerType: 'wol' }))).toMatch(
      /prop "powerType" is "wol"; expected a MAAS power driver/,
    );
  });
});
