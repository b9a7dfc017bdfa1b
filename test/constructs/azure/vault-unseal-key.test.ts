import { VAULT_UNSEAL_KEY_NAME, VaultUnsealKeyVault, vaultUnsealKeyVaultName } from '../../../constructs/azure/vault-unseal-key';
import { resourcesOf, synthTf, tfStack } from '../helpers';

const props = {
  clusterName: 'arbitex-prod',
  location: 'westeurope',
  resourceGroupName: 'rg',
  tenantId: 't',
  oidcIssuerUrl: 'https://issuer.example/',
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
    const role = resourcesOf(json, 'azurerm_role_assignment')[0];
    expect(role.role_definition_name).toBe('Key Vault Crypto User');
    expect(role.scope).toMatch(/azurerm_key_vault\.v_key-vault_[0-9A-F]+\.id/);
  });

  it('option: tags; the vault name fits Key Vault’s 24 characters', () => {
    const s = tfStack();
    new VaultUnsealKeyVault(s, 'v', { ...props, tags: { env: 'prod' } });
    expect(resourcesOf(synthTf(s), 'azurerm_key_vault')[0].tags).toEqual({ env: 'prod' });
    expect(vaultUnsealKeyVaultName('a-very-long-cluster-name-indeed').length).toBeLessThanOrEqual(24);
  });
});
