import { Construct } from 'constructs';
import { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket';
import { S3BucketOwnershipControls } from '@cdktf/provider-aws/lib/s3-bucket-ownership-controls';
import { S3BucketPublicAccessBlock } from '@cdktf/provider-aws/lib/s3-bucket-public-access-block';
import { S3BucketServerSideEncryptionConfigurationA as S3BucketServerSideEncryptionConfiguration } from '@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration';
import { S3BucketVersioningA as S3BucketVersioning } from '@cdktf/provider-aws/lib/s3-bucket-versioning';
import { propError } from '../props';
import { podIdentityRole } from './iam';

export interface BackupBucketProps {
  /** Globally unique bucket name, 3-63 lower-case letters, digits, dots and hyphens. */
  readonly bucket: string;
  readonly clusterName: string;
  /** The cluster resource's `name` attribute (a reference), so the association waits for the cluster. */
  readonly clusterNameRef: string;
  /** ServiceAccount the backup controller runs as. */
  readonly serviceAccount: { readonly namespace: string; readonly name: string };
}

const BUCKET = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

/**
 * Where Velero keeps backups on EKS: a private, versioned, encrypted S3 bucket, and an IAM role that only
 * Velero's pods assume (EKS Pod Identity) with exactly the object and listing rights its AWS plugin
 * uses on that bucket. No access key exists anywhere.
 */
export class BackupBucket extends Construct {
  readonly bucket: S3Bucket;

  constructor(scope: Construct, id: string, props: BackupBucketProps) {
    super(scope, id);
    if (!BUCKET.test(props.bucket)) throw propError(this, 'bucket', props.bucket, '3-63 lower-case letters, digits, dots and hyphens');
    this.bucket = new S3Bucket(this, 'bucket', { bucket: props.bucket });
    new S3BucketPublicAccessBlock(this, 'public-access', {
      bucket: this.bucket.id,
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
    });
    new S3BucketOwnershipControls(this, 'ownership', { bucket: this.bucket.id, rule: { objectOwnership: 'BucketOwnerEnforced' } });
    new S3BucketVersioning(this, 'versioning', { bucket: this.bucket.id, versioningConfiguration: { status: 'Enabled' } });
    new S3BucketServerSideEncryptionConfiguration(this, 'encryption', {
      bucket: this.bucket.id,
      rule: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: 'aws:kms' }, bucketKeyEnabled: true }],
    });
    podIdentityRole(this, {
      name: `${props.clusterName}-velero`,
      clusterNameRef: props.clusterNameRef,
      serviceAccount: props.serviceAccount,
      statements: [
        {
          Effect: 'Allow',
          Action: ['s3:GetObject', 's3:DeleteObject', 's3:PutObject', 's3:AbortMultipartUpload', 's3:ListMultipartUploadParts'],
          Resource: `${this.bucket.arn}/*`,
        },
        { Effect: 'Allow', Action: ['s3:ListBucket'], Resource: this.bucket.arn },
      ],
    });
  }
}
