import { PostgresServer } from '../../../constructs/azure/postgres-server';
import { TerraformOutput } from '../../../lib/core/facade/tf';
import { synthesizeAll } from '../../../lib/pipeline/synth/pipeline';
import { examples, fixture, resources, terraform } from '../../helpers';
import { errorOf, resourcesOf, synthTf, tfStack } from '../helpers';

const props = {
  name: 'example-pg',
  location: 'westeurope',
  resourceGroupName: 'rg',
  version: '16' as const,
  sku: 'GP_Standard_D2ds_v5',
  storageGb: 128,
  databases: ['app'],
  privateEndpointSubnetId: 'pe-subnet',
  vnetId: 'vnet',
};

describe('PostgresServer', () => {
  it('defaults: public access off, a generated password, the databases, a private endpoint with its privatelink zone, no standby', () => {
    const s = tfStack();
    new PostgresServer(s, 'pg', props);
    const json = synthTf(s);
    const server = resourcesOf(json, 'azurerm_postgresql_flexible_server')[0];
    expect(server).toMatchObject({
      name: 'example-pg',
      version: '16',
      sku_name: 'GP_Standard_D2ds_v5',
      storage_mb: 131072,
      public_network_access_enabled: false,
      backup_retention_days: 14,
      administrator_login: 'parity_admin',
      administrator_password: expect.stringMatching(/^\$\{random_password\.[^.]+\.result\}$/),
    });
    expect(server.high_availability).toBeUndefined();
    expect(server.delegated_subnet_id).toBeUndefined();
    expect(resourcesOf(json, 'random_password')[0]).toMatchObject({ length: 40, special: false });
    expect(resourcesOf(json, 'azurerm_postgresql_flexible_server_database').map((d) => d.name)).toEqual(['app']);
    expect(resourcesOf(json, 'azurerm_private_dns_zone')[0].name).toBe('privatelink.postgres.database.azure.com');
    const pe = resourcesOf(json, 'azurerm_private_endpoint')[0];
    expect(pe.subnet_id).toBe('pe-subnet');
    expect(pe.private_service_connection.subresource_names).toEqual(['postgresqlServer']);
    expect(Object.keys(json.provider)).toEqual(['random']);
  });

  it('option: highAvailability adds a zone-redundant standby whose zone a failover may swap', () => {
    const s = tfStack();
    new PostgresServer(s, 'pg', { ...props, highAvailability: true, backupRetentionDays: 35 });
    const server = resourcesOf(synthTf(s), 'azurerm_postgresql_flexible_server')[0];
    expect(server.high_availability).toEqual({ mode: 'ZoneRedundant', standby_availability_zone: '2' });
    expect(server.lifecycle.ignore_changes).toEqual(['zone', 'high_availability[0].standby_availability_zone']);
    expect(server.backup_retention_days).toBe(35);
  });

  it('connectionUrl: TLS required, the database by reference, the password from the generator', () => {
    const s = tfStack();
    const pg = new PostgresServer(s, 'pg', props);
    new TerraformOutput(s, 'url', { value: pg.connectionUrl('app'), sensitive: true });
    const url = synthTf(s).output.url.value;
    expect(url).toMatch(/^\$\{format\("postgresql:\/\/%s:%s@%s:5432\/%s\?sslmode=require", "parity_admin", random_password\.[^.]+\.result, /);
    expect(url).toMatch(/azurerm_postgresql_flexible_server\.[^.]+\.fqdn, azurerm_postgresql_flexible_server_database\.[^.]+\.name\)\}$/);
    expect(errorOf(() => pg.connectionUrl('other'))).toBe(
      'PostgresServer at s/pg: prop "databases" is ["app"]; expected to include "other", which a consumer asked a URL for',
    );
  });

  it('rejects a name Azure would refuse and a server without databases', () => {
    expect(errorOf(() => new PostgresServer(tfStack(), 'pg', { ...props, name: 'Example_PG' }))).toBe(
      'PostgresServer at s/pg: prop "name" is "Example_PG"; expected 3 to 63 lower-case letters, digits and hyphens',
    );
    expect(errorOf(() => new PostgresServer(tfStack(), 'pg', { ...props, databases: [] }))).toBe(
      'PostgresServer at s/pg: prop "databases" is []; expected at least one database',
    );
  });
});

describe("prod's managed PostgreSQL (Arbitex on AKS)", () => {
  it('the cluster stack writes DATABASE-URL into the app Key Vault, through its private endpoint once the write role is enforced', () => {
    const tf = terraform(examples(), 'prod', 'cluster');
    expect(resources(tf, 'azurerm_postgresql_flexible_server')[0]).toMatchObject({ name: 'arbitex-prod-pg', public_network_access_enabled: false });
    const secret = resources(tf, 'azurerm_key_vault_secret').find((r) => r.name === 'DATABASE-URL');
    expect(secret.key_vault_id).toMatch(/^\$\{azurerm_key_vault\.key-vault-arbitex-platform-key-vault_[^.]+\.id\}$/);
    expect(secret.value).toContain('azurerm_postgresql_flexible_server_database.');
    expect(secret.depends_on).toEqual([
      expect.stringMatching(/^time_sleep\./),
      expect.stringMatching(/^azurerm_private_endpoint\.key-vault-arbitex/),
    ]);
  });

  it('a database the server does not have, or a service that is not declared, is a config error naming the field', () => {
    expect(() => synthesizeAll({ environmentsDir: fixture('prod', (e) => (e.apps[0].database.name = 'other')) })).toThrow(
      /apps\[0\]\.database\.name: found "other"; expected a database of managed service arbitex-prod-pg \(arbitex\)/,
    );
    expect(() => synthesizeAll({ environmentsDir: fixture('prod', (e) => (e.apps[0].database.service = 'nope')) })).toThrow(
      /apps\[0\]\.database\.service: found "nope"; expected a postgres service under managedServices \(arbitex-prod-pg\)/,
    );
  });

  it('only a substrate that provisions them accepts managed services', () => {
    expect(() =>
      synthesizeAll({
        environmentsDir: fixture('onprem', (e) => (e.managedServices = [{ kind: 'redis', name: 'cache' }])),
      }),
    ).toThrow(/managedServices\[0\]: found "redis"; expected no managed services on .*: run the data service in the cluster/);
  });
});
