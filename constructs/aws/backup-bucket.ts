import { Construct } from 'constructs';
import { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket';
import { privateBucket } from './private-bucket';
import { S3BucketVersioningA as S3BucketVersioning } from '@cdktf/provider-aws/lib/s3-bucket-versioning';
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

/**
 * Where Velero keeps backups on EKS: a private, versioned, encrypted S3 bucket, and an IAM role that only
 * Velero's pods assume (EKS Pod Identity) with exactly the object and listing rights its AWS plugin
 * uses on that bucket. No access key exists anywhere.
 */
export class BackupBucket extends Construct {
  readonly bucket: S3Bucket;

  constructor(scope: Construct, id: string, props: BackupBucketProps) {
    super(scope, id);
    this.bucket = privateBucket(this, props.bucket);
    new S3BucketVersioning(this, 'versioning', { bucket: this.bucket.id, versioningConfiguration: { status: 'Enabled' } });
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
