import { VaultUnsealKey, vaultUnsealKeyAlias } from '../../../constructs/aws/vault-unseal-key';
import { resourcesOf, synthTf, tfStack } from '../helpers';

describe('VaultUnsealKey (AWS)', () => {
  it('defaults: a rotating KMS key, its alias, and encrypt/decrypt on that key only for vault/vault through Pod Identity', () => {
    const s = tfStack();
    new VaultUnsealKey(s, 'v', { clusterName: 'c1', clusterNameRef: '${aws_eks_cluster.c1.name}' });
    const json = synthTf(s);
    expect(resourcesOf(json, 'aws_kms_key')[0]).toMatchObject({ enable_key_rotation: true, deletion_window_in_days: 30 });
    expect(resourcesOf(json, 'aws_kms_alias')[0].name).toBe(vaultUnsealKeyAlias('c1'));
    const policy = JSON.parse(resourcesOf(json, 'aws_iam_role_policy')[0].policy);
    expect(policy.Statement).toEqual([
      {
        Effect: 'Allow',
        Action: ['kms:Encrypt', 'kms:Decrypt', 'kms:DescribeKey'],
        Resource: expect.stringMatching(/^\$\{aws_kms_key\.v_key_[0-9A-F]+\.arn\}$/),
      },
    ]);
    expect(resourcesOf(json, 'aws_eks_pod_identity_association')[0]).toMatchObject({
      // A reference to the cluster, so the association waits for it.
      cluster_name: '${aws_eks_cluster.c1.name}',
      namespace: 'vault',
      service_account: 'vault',
    });
  });

  it('option: the Vault service account', () => {
    const s = tfStack();
    new VaultUnsealKey(s, 'v', {
      clusterName: 'c1',
      clusterNameRef: '${aws_eks_cluster.c1.name}',
      serviceAccount: { namespace: 'secrets', name: 'vault-server' },
    });
    expect(resourcesOf(synthTf(s), 'aws_eks_pod_identity_association')[0]).toMatchObject({ namespace: 'secrets', service_account: 'vault-server' });
  });
});
