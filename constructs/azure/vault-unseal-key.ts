import { Construct } from 'constructs';
import { FederatedIdentityCredential } from '@cdktf/provider-azurerm/lib/federated-identity-credential';
import { KeyVault } from '@cdktf/provider-azurerm/lib/key-vault';
import { KeyVaultKey } from '@cdktf/provider-azurerm/lib/key-vault-key';
import { RoleAssignment } from '@cdktf/provider-azurerm/lib/role-assignment';
import { UserAssignedIdentity } from '@cdktf/provider-azurerm/lib/user-assigned-identity';

export interface VaultUnsealKeyVaultProps {
  readonly clusterName: string;
  readonly location: string;
  readonly resourceGroupName: string;
  readonly tenantId: string;
  /** OIDC issuer of the AKS cluster (workload identity federation). */
  readonly oidcIssuerUrl: string;
  /** @default {} */
  readonly tags?: Record<string, string>;
}

/** Key Vault name for the unseal key: 3-24 characters, derived so the manifests need no output. */
export function vaultUnsealKeyVaultName(clusterName: string): string {
  return `kv-${clusterName.replace(/[^a-z0-9]/g, '')}-unseal`.slice(0, 24);
}

export const VAULT_UNSEAL_KEY_NAME = 'vault-unseal';

/**
 * Azure Key Vault key for Vault's auto-unseal, reachable only by a managed identity federated with the
 * `vault/vault` ServiceAccount of this cluster (workload identity): no client secret exists.
 */
export class VaultUnsealKeyVault extends Construct {
  readonly identity: UserAssignedIdentity;

  constructor(scope: Construct, id: string, props: VaultUnsealKeyVaultProps) {
    super(scope, id);
    const tags = props.tags ?? {};
    const vault = new KeyVault(this, 'key-vault', {
      name: vaultUnsealKeyVaultName(props.clusterName),
      location: props.location,
      resourceGroupName: props.resourceGroupName,
      tenantId: props.tenantId,
      skuName: 'premium',
      enableRbacAuthorization: true,
      purgeProtectionEnabled: true,
      softDeleteRetentionDays: 90,
      publicNetworkAccessEnabled: false,
      tags,
    });
    new KeyVaultKey(this, 'key', {
      name: VAULT_UNSEAL_KEY_NAME,
      keyVaultId: vault.id,
      keyType: 'RSA-HSM',
      keySize: 2048,
      keyOpts: ['wrapKey', 'unwrapKey'],
    });
    this.identity = new UserAssignedIdentity(this, 'identity', {
      name: `id-${props.clusterName}-vault-unseal`,
      location: props.location,
      resourceGroupName: props.resourceGroupName,
      tags,
    });
    new FederatedIdentityCredential(this, 'federation', {
      name: 'vault-server',
      resourceGroupName: props.resourceGroupName,
      parentId: this.identity.id,
      issuer: props.oidcIssuerUrl,
      subject: 'system:serviceaccount:vault:vault',
      audience: ['api://AzureADTokenExchange'],
    });
    new RoleAssignment(this, 'crypto-user', { scope: vault.id, roleDefinitionName: 'Key Vault Crypto User', principalId: this.identity.principalId });
  }
}
