import { SecretKeyVault } from '../../../constructs/azure/secret-key-vault';
import { errorOf, resourcesOf, synthTf, tfStack } from '../helpers';

const props = {
  name: 'kv-app-prod',
  location: 'westeurope',
  resourceGroupName: 'rg',
  tenantId: 't',
  privateEndpointSubnetId: 'subnet-pe',
  vnetId: 'vnet',
  readerPrincipalIds: ['reader-principal'],
};

describe('SecretKeyVault', () => {
  it('private, RBAC, purge-protected; readers get Secrets User, the deployer Secrets Officer, on this vault only', () => {
    const s = tfStack();
    new SecretKeyVault(s, 'k', props);
    const json = synthTf(s);
    expect(resourcesOf(json, 'azurerm_key_vault')[0]).toMatchObject({
      name: 'kv-app-prod',
      enable_rbac_authorization: true,
      public_network_access_enabled: false,
      purge_protection_enabled: true,
      tags: {},
    });
    const roles = resourcesOf(json, 'azurerm_role_assignment');
    expect(roles.map((r) => r.role_definition_name).sort()).toEqual(['Key Vault Secrets Officer', 'Key Vault Secrets User']);
    expect(roles.find((r) => r.role_definition_name === 'Key Vault Secrets User').principal_id).toBe('reader-principal');
    expect(roles.find((r) => r.role_definition_name === 'Key Vault Secrets Officer').principal_id).toMatch(/data\.azurerm_client_config\./);
    for (const r of roles) expect(r.scope).toMatch(/azurerm_key_vault\.k_key-vault_[0-9A-F]+\.id/);
    expect(resourcesOf(json, 'azurerm_private_endpoint')[0].private_service_connection.subresource_names).toEqual(['vault']);
  });

  it('rejects a name Key Vault does not accept', () => {
    expect(errorOf(() => new SecretKeyVault(tfStack(), 'k', { ...props, name: 'kv_bad' }))).toMatch(
      /prop "name" is "kv_bad"; expected a Key Vault name/,
    );
  });
});
