import { Construct } from 'constructs';
import { DataAzurermClientConfig } from '@cdktf/provider-azurerm/lib/data-azurerm-client-config';
import { KeyVault } from '@cdktf/provider-azurerm/lib/key-vault';
import { PrivateEndpoint } from '@cdktf/provider-azurerm/lib/private-endpoint';
import { RoleAssignment } from '@cdktf/provider-azurerm/lib/role-assignment';
import type { ITerraformDependable } from '../../lib/core/facade/tf';
import { PrivateLink } from './private-link';
import { afterRolePropagation } from './role-propagation';

export interface PrivateKeyVaultProps {
  readonly name: string;
  readonly location: string;
  readonly resourceGroupName: string;
  readonly tenantId: string;
  /** `premium` for HSM-backed keys. */
  readonly sku: 'standard' | 'premium';
  /** The data-plane role the principal running Terraform needs to write what the stack puts in the vault. */
  readonly deployerRole: 'Key Vault Crypto Officer' | 'Key Vault Secrets Officer';
  readonly privateEndpointSubnetId: string;
  readonly vnetId: string;
  readonly tags: Record<string, string>;
}

/**
 * A Key Vault with RBAC authorization, purge protection and public network access off, reached through
 * a private endpoint in the VNet, and the deployer's data-plane role on it. Created in `scope`; what the
 * stack writes into the vault depends on `deployerAccess` (the role, once Azure enforces it) and on
 * `endpoint` (the vault's name resolving privately).
 */
export function privateKeyVault(
  scope: Construct,
  props: PrivateKeyVaultProps,
): { readonly vault: KeyVault; readonly endpoint: PrivateEndpoint; readonly deployerAccess: ITerraformDependable } {
  const vault = new KeyVault(scope, 'key-vault', {
    name: props.name,
    location: props.location,
    resourceGroupName: props.resourceGroupName,
    tenantId: props.tenantId,
    skuName: props.sku,
    enableRbacAuthorization: true,
    purgeProtectionEnabled: true,
    softDeleteRetentionDays: 90,
    publicNetworkAccessEnabled: false,
    tags: props.tags,
  });
  const link = new PrivateLink(scope, 'private-link', {
    name: props.name,
    resourceId: vault.id,
    subresource: 'vault',
    dnsZone: 'privatelink.vaultcore.azure.net',
    location: props.location,
    resourceGroupName: props.resourceGroupName,
    subnetId: props.privateEndpointSubnetId,
    vnetId: props.vnetId,
    tags: props.tags,
  });
  const deployer = new DataAzurermClientConfig(scope, 'deployer');
  const role = new RoleAssignment(
    scope,
    `deployer-${props.deployerRole
      .replace(/^Key Vault /, '')
      .toLowerCase()
      .replace(/ /g, '-')}`,
    {
      scope: vault.id,
      roleDefinitionName: props.deployerRole,
      principalId: deployer.objectId,
    },
  );
  return { vault, endpoint: link.endpoint, deployerAccess: afterRolePropagation(scope, 'officer-propagation', [role]) };
}
