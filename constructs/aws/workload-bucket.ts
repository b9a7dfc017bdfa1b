import { Construct } from 'constructs';
import { DataAwsIamPolicyDocument } from '@cdktf/provider-aws/lib/data-aws-iam-policy-document';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket';
import { privateBucket } from './private-bucket';
import { Fn } from '../../lib/core/facade/tf';
import { propError } from '../props';

/** The audience AWS STS expects of a web identity token (what the projected ServiceAccount token carries). */
export const STS_AUDIENCE = 'sts.amazonaws.com';

export interface WorkloadBucketProps {
  /** Globally unique bucket name, 3-63 lower-case letters, digits, dots and hyphens. */
  readonly bucket: string;
  /** IAM role name. */
  readonly roleName: string;
  /** The cluster's OIDC issuer URL (a reference to the cluster's `identity[0].oidc[0].issuer`). */
  readonly issuerUrl: string;
  /** ARN of the IAM OIDC provider registered for that issuer (a reference). */
  readonly oidcProviderArn: string;
  readonly namespace: string;
  /** ServiceAccounts whose pods may assume the role. */
  readonly serviceAccounts: ReadonlyArray<string>;
}

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/**
 * A bucket a workload keeps its data in, and the role its pods assume by web identity (their projected
 * ServiceAccount token exchanged at STS: what clients such as Loki's operator configure, where EKS Pod
 * Identity is not an option). The bucket is private, owner-enforced and encrypted with KMS; the role
 * trusts exactly the named ServiceAccounts of the cluster's issuer and may list the bucket and read,
 * write and delete its objects, nothing else.
 */
export class WorkloadBucket extends Construct {
  readonly bucket: S3Bucket;
  readonly role: IamRole;

  constructor(scope: Construct, id: string, props: WorkloadBucketProps) {
    super(scope, id);
    if (!props.serviceAccounts.length) throw propError(this, 'serviceAccounts', props.serviceAccounts, 'at least one ServiceAccount');
    for (const [i, sa] of props.serviceAccounts.entries())
      if (!DNS_LABEL.test(sa)) throw propError(this, `serviceAccounts[${i}]`, sa, 'a ServiceAccount name');
    this.bucket = privateBucket(this, props.bucket);
    // Condition keys are named after the issuer host, known once the cluster exists.
    const issuer = Fn.replace(props.issuerUrl, 'https://', '');
    const trust = new DataAwsIamPolicyDocument(this, 'trust', {
      statement: [
        {
          effect: 'Allow',
          actions: ['sts:AssumeRoleWithWebIdentity'],
          principals: [{ type: 'Federated', identifiers: [props.oidcProviderArn] }],
          condition: [
            { test: 'StringEquals', variable: `${issuer}:aud`, values: [STS_AUDIENCE] },
            {
              test: 'StringEquals',
              variable: `${issuer}:sub`,
              values: props.serviceAccounts.map((sa) => `system:serviceaccount:${props.namespace}:${sa}`),
            },
          ],
        },
      ],
    });
    this.role = new IamRole(this, 'role', { name: props.roleName, assumeRolePolicy: trust.json });
    new IamRolePolicy(this, 'policy', {
      role: this.role.id,
      policy: JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          { Effect: 'Allow', Action: ['s3:ListBucket'], Resource: this.bucket.arn },
          { Effect: 'Allow', Action: ['s3:GetObject', 's3:PutObject', 's3:DeleteObject'], Resource: `${this.bucket.arn}/*` },
        ],
      }),
    });
  }
}
