import { Construct } from 'constructs';
import { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket';
import { S3BucketOwnershipControls } from '@cdktf/provider-aws/lib/s3-bucket-ownership-controls';
import { S3BucketPublicAccessBlock } from '@cdktf/provider-aws/lib/s3-bucket-public-access-block';
import { S3BucketServerSideEncryptionConfigurationA as S3BucketServerSideEncryptionConfiguration } from '@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration';
import { propError } from '../props';

const BUCKET = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

/**
 * An S3 bucket nothing public can reach: every public access path blocked, ACLs off (the owner owns
 * every object), encrypted with KMS by default (bucket keys on). `scope` is the construct that owns it
 * and the one a bad name is reported against.
 */
export function privateBucket(scope: Construct, bucket: string): S3Bucket {
  if (!BUCKET.test(bucket)) throw propError(scope, 'bucket', bucket, '3-63 lower-case letters, digits, dots and hyphens');
  const b = new S3Bucket(scope, 'bucket', { bucket });
  new S3BucketPublicAccessBlock(scope, 'public-access', {
    bucket: b.id,
    blockPublicAcls: true,
    blockPublicPolicy: true,
    ignorePublicAcls: true,
    restrictPublicBuckets: true,
  });
  new S3BucketOwnershipControls(scope, 'ownership', { bucket: b.id, rule: { objectOwnership: 'BucketOwnerEnforced' } });
  new S3BucketServerSideEncryptionConfiguration(scope, 'encryption', {
    bucket: b.id,
    rule: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: 'aws:kms' }, bucketKeyEnabled: true }],
  });
  return b;
}
