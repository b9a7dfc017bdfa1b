import { RegistryPushIdentity, ecrRepository } from '../../../constructs/aws/registry-push-identity';
import { errorOf, resourcesOf, synthTf, tfStack } from '../helpers';

const props = {
  name: 'axiom-dev-ci-push',
  clusterNameRef: '${aws_eks_cluster.c.name}',
  namespace: 'ci',
  serviceAccounts: ['github-runner'],
  repositories: ['111122223333.dkr.ecr.us-east-1.amazonaws.com/axiom/mlflow', '111122223333.dkr.ecr.us-east-1.amazonaws.com/axiom/metaflow-service'],
};

describe('RegistryPushIdentity', () => {
  it('a Pod Identity role of the runners’ ServiceAccount, allowed to push exactly the listed repositories', () => {
    const s = tfStack();
    new RegistryPushIdentity(s, 'push', props);
    const json = synthTf(s);
    const role = resourcesOf(json, 'aws_iam_role')[0];
    expect(role.name).toBe('axiom-dev-ci-push');
    expect(JSON.parse(role.assume_role_policy).Statement[0].Principal).toEqual({ Service: 'pods.eks.amazonaws.com' });
    const policy = JSON.parse(resourcesOf(json, 'aws_iam_role_policy')[0].policy);
    expect(policy.Statement[0]).toEqual({ Effect: 'Allow', Action: ['ecr:GetAuthorizationToken'], Resource: '*' });
    // Exactly the repositories created here, by reference (an edge: the role's grant follows them).
    const repos = resourcesOf(json, 'aws_ecr_repository');
    expect(repos.map((r) => r.name)).toEqual(['axiom/metaflow-service', 'axiom/mlflow']);
    expect(policy.Statement[1].Resource).toEqual([
      expect.stringMatching(/^\$\{aws_ecr_repository\.push_repository-axiom-metaflow-service_[0-9A-F]+\.arn\}$/),
      expect.stringMatching(/^\$\{aws_ecr_repository\.push_repository-axiom-mlflow_[0-9A-F]+\.arn\}$/),
    ]);
    expect(policy.Statement[1].Action).toContain('ecr:PutImage');
    expect(policy.Statement[1].Action).not.toContain('ecr:DeleteRepository');
    expect(resourcesOf(json, 'aws_eks_pod_identity_association')).toEqual([
      expect.objectContaining({ cluster_name: props.clusterNameRef, namespace: 'ci', service_account: 'github-runner' }),
    ]);
  });

  it('creates the repositories: scanned, KMS-encrypted, immutable tags but the build cache, untagged layers expired, in the stack’s own account', () => {
    const s = tfStack();
    new RegistryPushIdentity(s, 'push', props);
    const json = synthTf(s);
    const repo = resourcesOf(json, 'aws_ecr_repository')[1];
    expect(repo).toMatchObject({
      name: 'axiom/mlflow',
      image_tag_mutability: 'IMMUTABLE_WITH_EXCLUSION',
      image_tag_mutability_exclusion_filter: [{ filter: 'buildcache', filter_type: 'WILDCARD' }],
      image_scanning_configuration: { scan_on_push: true },
      encryption_configuration: [{ encryption_type: 'KMS' }],
    });
    expect(repo.lifecycle.precondition[0].condition).toMatch(
      /^\$\{\(data\.aws_caller_identity\.push_caller_[0-9A-F]+\.account_id == "111122223333"\)\}$/,
    );
    const rules = resourcesOf(json, 'aws_ecr_lifecycle_policy').map((p) => JSON.parse(p.policy).rules[0].selection);
    expect(rules).toEqual(Array(2).fill({ tagStatus: 'untagged', countType: 'sinceImagePushed', countUnit: 'days', countNumber: 14 }));
  });

  it('one association per ServiceAccount', () => {
    const s = tfStack();
    new RegistryPushIdentity(s, 'push', { ...props, serviceAccounts: ['a', 'b'] });
    expect(resourcesOf(synthTf(s), 'aws_eks_pod_identity_association').map((a) => a.service_account)).toEqual(['a', 'b']);
  });

  it('rejects a repository outside ECR, and an empty list of ServiceAccounts or repositories', () => {
    expect(errorOf(() => new RegistryPushIdentity(tfStack(), 'push', { ...props, repositories: ['ghcr.io/axiom/mlflow'] }))).toMatch(
      /prop "repositories\[0\]" is "ghcr.io\/axiom\/mlflow"; expected an ECR repository/,
    );
    expect(errorOf(() => new RegistryPushIdentity(tfStack(), 'push', { ...props, serviceAccounts: [] }))).toMatch(/at least one ServiceAccount/);
    expect(errorOf(() => new RegistryPushIdentity(tfStack(), 'push', { ...props, repositories: [] }))).toMatch(/at least one repository/);
  });

  it('parses ECR repository references', () => {
    expect(ecrRepository('111122223333.dkr.ecr.eu-central-1.amazonaws.com/a/b')).toEqual({
      account: '111122223333',
      region: 'eu-central-1',
      name: 'a/b',
    });
    expect(ecrRepository('public.ecr.aws/karpenter/controller')).toBeUndefined();
  });
});
