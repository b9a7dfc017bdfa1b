import { Construct } from 'constructs';
import { KeyVault } from '@cdktf/provider-azurerm/lib/key-vault';
import { PrivateEndpoint } from '@cdktf/provider-azurerm/lib/private-endpoint';
import { privateKeyVault } from './private-key-vault';
import { RoleAssignment } from '@cdktf/provider-azurerm/lib/role-assignment';
import type { ITerraformDependable } from '../../lib/core/facade/tf';
import { propError } from '../props';

export interface SecretKeyVaultProps {
  /** 3-24 letters, digits and hyphens (Azure Key Vault names are global). */
  readonly name: string;
  readonly location: string;
  readonly resourceGroupName: string;
  readonly tenantId: string;
  /** Subnet of the private endpoint (public network access is off). */
  readonly privateEndpointSubnetId: string;
  readonly vnetId: string;
  /** Principal ids that read secrets (Key Vault Secrets User). */
  readonly readerPrincipalIds: ReadonlyArray<string>;
  /** @default {} */
  readonly tags?: Record<string, string>;
}

const NAME = /^[a-zA-Z][a-zA-Z0-9-]{1,22}[a-zA-Z0-9]$/;

/**
 * An application's Azure Key Vault for secrets: RBAC authorization, purge protection, public network
 * access off and a private endpoint in the VNet. Its readers get Key Vault Secrets User on this vault
 * only; the principal running Terraform gets Key Vault Secrets Officer, to write the secrets a stack
 * produces (connection strings) and the ones a person provides.
 */
export class SecretKeyVault extends Construct {
  readonly vault: KeyVault;
  /** The deployer's write access, once Azure enforces it: secrets written by Terraform depend on this. */
  readonly writerAccess: ITerraformDependable;
  /** The vault's private endpoint: what the stack writes waits for it too. */
  readonly endpoint: PrivateEndpoint;

  constructor(scope: Construct, id: string, props: SecretKeyVaultProps) {
    super(scope, id);
    if (!NAME.test(props.name))
      throw propError(this, 'name', props.name, 'a Key Vault name: 3-24 letters, digits and hyphens, starting with a letter');
    const tags = props.tags ?? {};
    const { vault, endpoint, deployerAccess } = privateKeyVault(this, {
      name: props.name,
      location: props.location,
      resourceGroupName: props.resourceGroupName,
      tenantId: props.tenantId,
      sku: 'standard',
      deployerRole: 'Key Vault Secrets Officer',
      privateEndpointSubnetId: props.privateEndpointSubnetId,
      vnetId: props.vnetId,
      tags,
    });
    this.vault = vault;
    this.endpoint = endpoint;
    this.writerAccess = deployerAccess;
    props.readerPrincipalIds.forEach((principalId, i) => {
      new RoleAssignment(this, `reader-${i}`, { scope: this.vault.id, roleDefinitionName: 'Key Vault Secrets User', principalId });
    });
  }
}
