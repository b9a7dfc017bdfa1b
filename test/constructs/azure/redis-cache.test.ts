import { RedisCache } from '../../../constructs/azure/redis-cache';
import { TerraformOutput } from '../../../lib/core/facade/tf';
import { examples, resources, terraform } from '../../helpers';
import { errorOf, resourcesOf, synthTf, tfStack } from '../helpers';

const props = {
  name: 'example-cache',
  location: 'westeurope',
  resourceGroupName: 'rg',
  sku: 'Standard' as const,
  capacity: 1,
  privateEndpointSubnetId: 'pe-subnet',
  vnetId: 'vnet',
};

describe('RedisCache', () => {
  it('defaults: TLS 1.2 only, public access off, a private endpoint with its privatelink zone', () => {
    const s = tfStack();
    new RedisCache(s, 'cache', props);
    const json = synthTf(s);
    expect(resourcesOf(json, 'azurerm_redis_cache')[0]).toMatchObject({
      name: 'example-cache',
      sku_name: 'Standard',
      family: 'C',
      capacity: 1,
      minimum_tls_version: '1.2',
      non_ssl_port_enabled: false,
      public_network_access_enabled: false,
    });
    expect(resourcesOf(json, 'azurerm_private_dns_zone')[0].name).toBe('privatelink.redis.cache.windows.net');
    expect(resourcesOf(json, 'azurerm_private_endpoint')[0].private_service_connection.subresource_names).toEqual(['redisCache']);
  });

  it('option: Premium is the P family', () => {
    const s = tfStack();
    new RedisCache(s, 'cache', { ...props, sku: 'Premium', capacity: 2 });
    expect(resourcesOf(synthTf(s), 'azurerm_redis_cache')[0]).toMatchObject({ sku_name: 'Premium', family: 'P', capacity: 2 });
  });

  it('connectionUrl: rediss on the TLS port, the access key URL-encoded', () => {
    const s = tfStack();
    const cache = new RedisCache(s, 'cache', props);
    new TerraformOutput(s, 'url', { value: cache.connectionUrl(), sensitive: true });
    expect(synthTf(s).output.url.value).toMatch(
      /^\$\{format\("rediss:\/\/:%s@%s:6380\/0", urlencode\(azurerm_redis_cache\.[^.]+\.primary_access_key\), azurerm_redis_cache\.[^.]+\.hostname\)\}$/,
    );
  });

  it('rejects a name or a size Azure would refuse', () => {
    expect(errorOf(() => new RedisCache(tfStack(), 'cache', { ...props, name: 'Cache_1' }))).toBe(
      'RedisCache at s/cache: prop "name" is "Cache_1"; expected 1 to 63 lower-case letters, digits and hyphens',
    );
    expect(errorOf(() => new RedisCache(tfStack(), 'cache', { ...props, sku: 'Premium', capacity: 0 }))).toBe(
      'RedisCache at s/cache: prop "capacity" is 0; expected 1 to 5 for the Premium SKU',
    );
  });
});

describe("prod's managed Redis (Arbitex on AKS)", () => {
  it('REDIS-URL is written into the app Key Vault by the cluster stack, not asked of a person', () => {
    const tf = terraform(examples(), 'prod', 'cluster');
    expect(resources(tf, 'azurerm_redis_cache')[0]).toMatchObject({ name: 'arbitex-prod-redis', sku_name: 'Premium' });
    expect(resources(tf, 'azurerm_key_vault_secret').find((r) => r.name === 'REDIS-URL').value).toContain('azurerm_redis_cache.');
  });
});
