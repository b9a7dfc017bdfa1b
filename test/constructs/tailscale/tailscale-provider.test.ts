import { TAILSCALE_PROVIDER_VERSION, TailscaleProvider } from '../../../constructs/tailscale/tailscale-provider';
import { errorOf, synthTf, tfStack } from '../helpers';

describe('TailscaleProvider', () => {
  it('the tailscale/tailscale provider at the pinned version for one tailnet; OAuth credentials come from the environment', () => {
    const s = tfStack();
    new TailscaleProvider(s, 't', { tailnet: 'example.org' });
    const json = synthTf(s);
    expect(json.terraform.required_providers.tailscale).toEqual({ source: 'tailscale/tailscale', version: TAILSCALE_PROVIDER_VERSION });
    expect(json.provider.tailscale).toEqual([{ tailnet: 'example.org' }]);
  });

  it('rejects an empty tailnet', () => {
    expect(errorOf(() => new TailscaleProvider(tfStack(), 't', { tailnet: ' ' }))).toBe(
      'TailscaleProvider at s/t: prop "tailnet" is " "; expected the tailnet name',
    );
  });
});
