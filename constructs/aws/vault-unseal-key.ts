import { Construct } from 'constructs';
import { KmsAlias } from '@cdktf/provider-aws/lib/kms-alias';
import { KmsKey } from '@cdktf/provider-aws/lib/kms-key';
import { podIdentityRole } from './iam';

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
    podIdentityRole(this, {
      name: `${props.clusterName}-vault-unseal`,
      clusterNameRef: props.clusterNameRef,
      serviceAccount: sa,
      statements: [{ Effect: 'Allow', Action: ['kms:Encrypt', 'kms:Decrypt', 'kms:DescribeKey'], Resource: this.key.arn }],
    });
  }
}
