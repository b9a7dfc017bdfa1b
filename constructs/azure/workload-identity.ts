import { Construct } from 'constructs';
import { FederatedIdentityCredential } from '@cdktf/provider-azurerm/lib/federated-identity-credential';
import { UserAssignedIdentity } from '@cdktf/provider-azurerm/lib/user-assigned-identity';
import { propError } from '../props';

export interface WorkloadIdentityProps {
  /** Managed identity name, e.g. `id-arbitex-prod-arbitex-platform-key-vault`. */
  readonly name: string;
  readonly location: string;
  readonly resourceGroupName: string;
  /** OIDC issuer of the AKS cluster. */
  readonly oidcIssuerUrl: string;
  readonly namespace: string;
  /** ServiceAccounts whose pods act as this identity: one federated credential each. */
  readonly serviceAccounts: ReadonlyArray<string>;
  /** @default {} */
  readonly tags?: Record<string, string>;
}

/**
 * A user-assigned managed identity that pods of the given ServiceAccounts become through workload
 * identity federation (no secret anywhere). Roles are granted by whoever owns what it reads.
 */
export class WorkloadIdentity extends Construct {
  readonly identity: UserAssignedIdentity;

  constructor(scope: Construct, id: string, props: WorkloadIdentityProps) {
    super(scope, id);
    // An identity holds at most 20 federated credentials.
    if (props.serviceAccounts.length === 0 || props.serviceAccounts.length > 20)
      throw propError(this, 'serviceAccounts', props.serviceAccounts, '1 to 20 ServiceAccount names');
    this.identity = new UserAssignedIdentity(this, 'identity', {
      name: props.name,
      location: props.location,
      resourceGroupName: props.resourceGroupName,
      tags: props.tags ?? {},
    });
    for (const sa of props.serviceAccounts) {
      new FederatedIdentityCredential(this, `federation-${sa}`, {
        name: `${props.namespace}-${sa}`,
        resourceGroupName: props.resourceGroupName,
        parentId: this.identity.id,
        issuer: props.oidcIssuerUrl,
        subject: `system:serviceaccount:${props.namespace}:${sa}`,
        audience: ['api://AzureADTokenExchange'],
      });
    }
  }
}
