import { WorkloadBucket } from '../../../constructs/aws/workload-bucket';
import { TerraformVariable } from '../../../lib/core/facade/tf';
import { errorOf, resourcesOf, synthTf, tfStack } from '../helpers';

const props = {
  bucket: 'axiom-dev-logs',
  roleName: 'axiom-dev-loki-logs',
  issuerUrl: '${aws_eks_cluster.c.identity[0].oidc[0].issuer}',
  oidcProviderArn: '${aws_iam_openid_connect_provider.p.arn}',
  namespace: 'monitoring',
  serviceAccounts: ['logs'],
};

describe('WorkloadBucket', () => {
  it('a role only the named ServiceAccounts of the cluster’s issuer assume, by web identity with the STS audience', () => {
    const s = tfStack();
    // The issuer is an attribute of the cluster, known after apply: a reference, as in the cluster stack.
    const issuerUrl = new TerraformVariable(s, 'issuer', { type: 'string' }).stringValue;
    new WorkloadBucket(s, 'logs', { ...props, issuerUrl });
    const json = synthTf(s);
    const [trust] = resourcesOf(json, 'aws_iam_policy_document', 'data');
    const statement = trust.statement[0];
    expect(statement.actions).toEqual(['sts:AssumeRoleWithWebIdentity']);
    expect(statement.principals).toEqual([{ type: 'Federated', identifiers: [props.oidcProviderArn] }]);
    const issuerHost = '${replace(var.issuer, "https://", "")}';
    expect(statement.condition).toEqual([
      { test: 'StringEquals', variable: `${issuerHost}:aud`, values: ['sts.amazonaws.com'] },
      { test: 'StringEquals', variable: `${issuerHost}:sub`, values: ['system:serviceaccount:monitoring:logs'] },
    ]);
    const [role] = resourcesOf(json, 'aws_iam_role');
    expect(role.name).toBe('axiom-dev-loki-logs');
    expect(role.assume_role_policy).toMatch(/^\$\{data\.aws_iam_policy_document\.logs_trust_[0-9A-F]+\.json\}$/);
  });

  it('may list its bucket and read, write and delete its objects, nothing else; the bucket is private and KMS-encrypted', () => {
    const s = tfStack();
    new WorkloadBucket(s, 'logs', props);
    const json = synthTf(s);
    const policy = JSON.parse(resourcesOf(json, 'aws_iam_role_policy')[0].policy);
    const bucketArn = expect.stringMatching(/^\$\{aws_s3_bucket\.logs_bucket_[0-9A-F]+\.arn\}$/);
    expect(policy.Statement).toEqual([
      { Effect: 'Allow', Action: ['s3:ListBucket'], Resource: bucketArn },
      { Effect: 'Allow', Action: ['s3:GetObject', 's3:PutObject', 's3:DeleteObject'], Resource: expect.stringMatching(/\.arn\}\/\*$/) },
    ]);
    expect(resourcesOf(json, 'aws_s3_bucket')[0].bucket).toBe('axiom-dev-logs');
    expect(resourcesOf(json, 'aws_s3_bucket_public_access_block')[0]).toMatchObject({
      block_public_acls: true,
      block_public_policy: true,
      ignore_public_acls: true,
      restrict_public_buckets: true,
    });
    expect(resourcesOf(json, 'aws_s3_bucket_server_side_encryption_configuration')[0].rule[0].apply_server_side_encryption_by_default).toEqual({
      sse_algorithm: 'aws:kms',
    });
    expect(resourcesOf(json, 'aws_s3_bucket_ownership_controls')[0].rule.object_ownership).toBe('BucketOwnerEnforced');
  });

  it('rejects a bucket name S3 would refuse and a role nobody may assume', () => {
    expect(errorOf(() => new WorkloadBucket(tfStack(), 'b', { ...props, bucket: 'Axiom_Logs' }))).toContain(
      'prop "bucket" is "Axiom_Logs"; expected 3-63 lower-case letters, digits, dots and hyphens',
    );
    expect(errorOf(() => new WorkloadBucket(tfStack(), 'b', { ...props, serviceAccounts: [] }))).toContain(
      'prop "serviceAccounts" is []; expected at least one ServiceAccount',
    );
  });
});
