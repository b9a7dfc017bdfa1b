import { MAAS_PROVIDER_VERSION, MaasProvider } from '../../../constructs/maas/maas-provider';
import { errorOf, synthTf, tfStack } from '../helpers';

describe('MaasProvider', () => {
  it('defaults: the canonical/maas provider at the pinned version, API 2.0, no key in the configuration (MAAS_API_KEY)', () => {
    const s = tfStack();
    new MaasProvider(s, 'maas', { apiUrl: 'http://maas.lab:5240/MAAS' });
    const json = synthTf(s);
    expect(json.terraform.required_providers.maas).toEqual({ source: 'canonical/maas', version: MAAS_PROVIDER_VERSION });
    expect(json.provider.maas).toEqual([{ api_url: 'http://maas.lab:5240/MAAS', api_version: '2.0' }]);
  });

  it('option: the API version', () => {
    const s = tfStack();
    new MaasProvider(s, 'maas', { apiUrl: 'http://maas.lab:5240/MAAS', apiVersion: '2.1' });
    expect(synthTf(s).provider.maas[0].api_version).toBe('2.1');
  });

  it('rejects a URL that is not the MAAS API root', () => {
    expect(errorOf(() => new MaasProvider(tfStack(), 'maas', { apiUrl: 'http://maas.lab:5240' }))).toBe(
      'MaasProvider at s/maas: prop "apiUrl" is "http://maas.lab:5240"; expected the MAAS API root, e.g. http://maas.example:5240/MAAS',
    );
  });
});
