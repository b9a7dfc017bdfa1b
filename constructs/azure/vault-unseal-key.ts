import { Construct } from 'constructs';
import { FederatedIdentityCredential } from '@cdktf/provider-azurerm/lib/federated-identity-credential';
import { KeyVaultKey } from '@cdktf/provider-azurerm/lib/key-vault-key';
import { RoleAssignment } from '@cdktf/provider-azurerm/lib/role-assignment';
import { UserAssignedIdentity } from '@cdktf/provider-azurerm/lib/user-assigned-identity';
import { privateKeyVault } from './private-key-vault';

export interface VaultUnsealKeyVaultProps {
  readonly clusterName: string;
  readonly location: string;
  readonly resourceGroupName: string;
  readonly tenantId: string;
  /** OIDC issuer of the AKS cluster (workload identity federation). */
  readonly oidcIssuerUrl: string;
  /** Subnet of the Key Vault's private endpoint (public network access is off). */
  readonly privateEndpointSubnetId: string;
  /** VNet the privatelink zone is linked to: Vault's pods and the deploying runner resolve the vault there. */
  readonly vnetId: string;
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
 * `vault/vault` ServiceAccount of this cluster (workload identity): no client secret exists. The vault
 * has public network access off, so it is reached through a private endpoint in the VNet; the
 * principal running Terraform gets Key Vault Crypto Officer on it to create the key (RBAC mode grants
 * nothing by default), from a runner inside the VNet (DEPLOY.md).
 */
export class VaultUnsealKeyVault extends Construct {
  readonly identity: UserAssignedIdentity;

  constructor(scope: Construct, id: string, props: VaultUnsealKeyVaultProps) {
    super(scope, id);
    const tags = props.tags ?? {};
    const { vault, endpoint, deployerAccess } = privateKeyVault(this, {
      name: vaultUnsealKeyVaultName(props.clusterName),
      location: props.location,
      resourceGroupName: props.resourceGroupName,
      tenantId: props.tenantId,
      sku: 'premium',
      deployerRole: 'Key Vault Crypto Officer',
      privateEndpointSubnetId: props.privateEndpointSubnetId,
      vnetId: props.vnetId,
      tags,
    });
    // The key is written through the data plane: only once the deployer holds the role and the vault's
    // name resolves to the private endpoint.
    new KeyVaultKey(this, 'key', {
      name: VAULT_UNSEAL_KEY_NAME,
      keyVaultId: vault.id,
      keyType: 'RSA-HSM',
      keySize: 2048,
      keyOpts: ['wrapKey', 'unwrapKey'],
      dependsOn: [deployerAccess, endpoint],
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
