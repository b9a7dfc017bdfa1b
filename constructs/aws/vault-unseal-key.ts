import { Construct } from 'constructs';
import { EksPodIdentityAssociation } from '@cdktf/provider-aws/lib/eks-pod-identity-association';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { KmsAlias } from '@cdktf/provider-aws/lib/kms-alias';
import { KmsKey } from '@cdktf/provider-aws/lib/kms-key';

export interface VaultUnsealKeyProps {
  readonly clusterName: string;
  /**
   * The cluster resource's `name` attribute (a reference, not the literal): the Pod Identity association
   * then depends on the cluster, instead of racing it on a fresh account.
   */
  readonly clusterNameRef: string;
  /** @default { namespace: 'vault', serviceAccount: 'vault' } */
  readonly serviceAccount?: { readonly namespace: string; readonly name: string };
}

/** Alias Vault's seal stanza names, so the manifests need no Terraform output. */
export function vaultUnsealKeyAlias(clusterName: string): string {
  return `alias/${clusterName}-vault-unseal`;
}

/**
 * A rotating KMS key that only Vault's pods may use (through EKS Pod Identity) to wrap its root key:
 * Vault unseals itself after a restart and no unseal key exists on paper or in a pipeline.
 */
export class VaultUnsealKey extends Construct {
  readonly key: KmsKey;

  constructor(scope: Construct, id: string, props: VaultUnsealKeyProps) {
    super(scope, id);
    const sa = props.serviceAccount ?? { namespace: 'vault', name: 'vault' };
    this.key = new KmsKey(this, 'key', {
      description: `Vault auto-unseal for ${props.clusterName}`,
      enableKeyRotation: true,
      deletionWindowInDays: 30,
    });
    new KmsAlias(this, 'alias', { name: vaultUnsealKeyAlias(props.clusterName), targetKeyId: this.key.keyId });
    const role = new IamRole(this, 'role', {
      name: `${props.clusterName}-vault-unseal`,
      assumeRolePolicy: JSON.stringify({
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Principal: { Service: 'pods.eks.amazonaws.com' }, Action: ['sts:AssumeRole', 'sts:TagSession'] }],
      }),
    });
    new IamRolePolicy(this, 'policy', {
      role: role.id,
      policy: JSON.stringify({
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Action: ['kms:Encrypt', 'kms:Decrypt', 'kms:DescribeKey'], Resource: this.key.arn }],
      }),
    });
    new EksPodIdentityAssociation(this, 'association', {
      clusterName: props.clusterNameRef,
      namespace: sa.namespace,
      serviceAccount: sa.name,
      roleArn: role.arn,
    });
  }
}
