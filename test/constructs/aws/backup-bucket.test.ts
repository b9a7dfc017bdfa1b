import { BackupBucket } from '../../../constructs/aws/backup-bucket';
import { errorOf, resourcesOf, synthTf, tfStack } from '../helpers';

const props = {
  bucket: 'axiom-dev-velero',
  clusterName: 'axiom-dev',
  clusterNameRef: '${aws_eks_cluster.c.name}',
  serviceAccount: { namespace: 'velero', name: 'velero' },
};

describe('BackupBucket', () => {
  it('a private, versioned, KMS-encrypted bucket and a Pod Identity role with exactly Velero’s object rights on it', () => {
    const s = tfStack();
    new BackupBucket(s, 'b', props);
    const json = synthTf(s);
    expect(resourcesOf(json, 'aws_s3_bucket')[0].bucket).toBe('axiom-dev-velero');
    expect(resourcesOf(json, 'aws_s3_bucket_public_access_block')[0]).toMatchObject({
      block_public_acls: true,
      block_public_policy: true,
      ignore_public_acls: true,
      restrict_public_buckets: true,
    });
    expect(resourcesOf(json, 'aws_s3_bucket_versioning')[0].versioning_configuration.status).toBe('Enabled');
    expect(
      resourcesOf(json, 'aws_s3_bucket_server_side_encryption_configuration')[0].rule[0].apply_server_side_encryption_by_default.sse_algorithm,
    ).toBe('aws:kms');
    const policy = JSON.parse(resourcesOf(json, 'aws_iam_role_policy')[0].policy);
    expect(policy.Statement.map((s: any) => s.Action)).toEqual([
      ['s3:GetObject', 's3:DeleteObject', 's3:PutObject', 's3:AbortMultipartUpload', 's3:ListMultipartUploadParts'],
      ['s3:ListBucket'],
    ]);
    expect(policy.Statement[1].Resource).toMatch(/aws_s3_bucket\.b_bucket_[0-9A-F]+\.arn/);
    expect(JSON.parse(resourcesOf(json, 'aws_iam_role')[0].assume_role_policy).Statement[0].Principal).toEqual({ Service: 'pods.eks.amazonaws.com' });
    expect(resourcesOf(json, 'aws_eks_pod_identity_association')[0]).toMatchObject({
      cluster_name: props.clusterNameRef,
      namespace: 'velero',
      service_account: 'velero',
    });
  });

  it('rejects a bucket name S3 does not accept', () => {
    expect(errorOf(() => new BackupBucket(tfStack(), 'b', { ...props, bucket: 'Axiom_Backups' }))).toMatch(/prop "bucket" is "Axiom_Backups"/);
  });
});
