import { RouterOsProvider } from '../../../constructs/routeros/routeros-provider';
import { errorOf, synthTf, tfStack } from '../helpers';

describe('RouterOsProvider', () => {
  it('names the REST API only: credentials and the CA come from the environment, certificate checks stay on', () => {
    const s = tfStack();
    new RouterOsProvider(s, 'p', { hostUrl: 'https://router.lab.internal' });
    const json = synthTf(s);
    expect(json.provider.routeros[0]).toEqual({ hosturl: 'https://router.lab.internal' });
    expect(json.terraform.required_providers.routeros).toEqual({ source: 'terraform-routeros/routeros', version: '~> 1.99' });
  });

  it('rejects plain http (the password would cross in clear) and a URL with a path', () => {
    expect(errorOf(() => new RouterOsProvider(tfStack(), 'p', { hostUrl: 'http://router.lab.internal' }))).toMatch(
      /^RouterOsProvider at s\/p: prop "hostUrl" is "http:\/\/router.lab.internal"; expected the REST API over TLS/,
    );
    expect(errorOf(() => new RouterOsProvider(tfStack(), 'p', { hostUrl: 'https://router/rest' }))).toContain('prop "hostUrl"');
  });
});
