import { VAULT_UNSEAL_KEY_NAME, VaultUnsealKeyVault, vaultUnsealKeyVaultName } from '../../../constructs/azure/vault-unseal-key';
import { resourcesOf, synthTf, tfStack } from '../helpers';

const props = {
  clusterName: 'arbitex-prod',
  location: 'westeurope',
  resourceGroupName: 'rg',
  tenantId: 't',
  oidcIssuerUrl: 'https://issuer.example/',
  privateEndpointSubnetId: 'subnet-pe',
  vnetId: 'vnet',
};

describe('VaultUnsealKeyVault', () => {
  it('defaults: a private, purge-protected RBAC Key Vault with an HSM key, and a federated identity for vault/vault with Crypto User on that vault only', () => {
    const s = tfStack();
    new VaultUnsealKeyVault(s, 'v', props);
    const json = synthTf(s);
    expect(resourcesOf(json, 'azurerm_key_vault')[0]).toMatchObject({
      name: vaultUnsealKeyVaultName('arbitex-prod'),
      enable_rbac_authorization: true,
      purge_protection_enabled: true,
      public_network_access_enabled: false,
      tags: {},
    });
    expect(resourcesOf(json, 'azurerm_key_vault_key')[0]).toMatchObject({
      name: VAULT_UNSEAL_KEY_NAME,
      key_type: 'RSA-HSM',
      key_opts: ['wrapKey', 'unwrapKey'],
    });
    expect(resourcesOf(json, 'azurerm_federated_identity_credential')[0]).toMatchObject({
      subject: 'system:serviceaccount:vault:vault',
      issuer: props.oidcIssuerUrl,
    });
    const role = resourcesOf(json, 'azurerm_role_assignment').find((r) => r.role_definition_name === 'Key Vault Crypto User');
    expect(role.scope).toMatch(/azurerm_key_vault\.v_key-vault_[0-9A-F]+\.id/);
    expect(role.principal_id).toMatch(/azurerm_user_assigned_identity\.v_identity_[0-9A-F]+\.principal_id/);
  });

  it('reachable with public access off: a private endpoint for the vault subresource, its privatelink zone linked to the VNet', () => {
    const s = tfStack();
    new VaultUnsealKeyVault(s, 'v', props);
    const json = synthTf(s);
    const pe = resourcesOf(json, 'azurerm_private_endpoint')[0];
    expect(pe).toMatchObject({ subnet_id: 'subnet-pe', private_service_connection: { subresource_names: ['vault'], is_manual_connection: false } });
    expect(pe.private_service_connection.private_connection_resource_id).toMatch(/azurerm_key_vault\.v_key-vault_[0-9A-F]+\.id/);
    expect(resourcesOf(json, 'azurerm_private_dns_zone')[0].name).toBe('privatelink.vaultcore.azure.net');
    expect(resourcesOf(json, 'azurerm_private_dns_zone_virtual_network_link')[0].virtual_network_id).toBe('vnet');
  });

  it('the deploying principal may create the key: Crypto Officer on this vault, and the key waits for it and for the endpoint', () => {
    const s = tfStack();
    new VaultUnsealKeyVault(s, 'v', props);
    const json = synthTf(s);
    const officer = Object.entries<any>(json.resource.azurerm_role_assignment).find(
      ([, r]) => r.role_definition_name === 'Key Vault Crypto Officer',
    )!;
    expect(officer[1].principal_id).toMatch(/data\.azurerm_client_config\.v_deployer_[0-9A-F]+\.object_id/);
    const key = resourcesOf(json, 'azurerm_key_vault_key')[0];
    // The key waits until Azure enforces the role (it propagates for minutes), and for the endpoint.
    const wait = Object.entries<any>(json.resource.time_sleep)[0];
    expect(wait[1].depends_on).toEqual([`azurerm_role_assignment.${officer[0]}`]);
    expect(key.depends_on).toEqual(expect.arrayContaining([`time_sleep.${wait[0]}`, expect.stringMatching(/^azurerm_private_endpoint\./)]));
  });

  it('option: tags; the vault name fits Key Vault’s 24 characters', () => {
    const s = tfStack();
    new VaultUnsealKeyVault(s, 'v', { ...props, tags: { env: 'prod' } });
    expect(resourcesOf(synthTf(s), 'azurerm_key_vault')[0].tags).toEqual({ env: 'prod' });
    expect(vaultUnsealKeyVaultName('a-very-long-cluster-name-indeed').length).toBeLessThanOrEqual(24);
  });
});
