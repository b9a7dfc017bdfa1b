import { Construct } from 'constructs';
import { EksPodIdentityAssociation } from '@cdktf/provider-aws/lib/eks-pod-identity-association';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { EcrRepository } from '@cdktf/provider-aws/lib/ecr-repository';
import { EcrLifecyclePolicy } from '@cdktf/provider-aws/lib/ecr-lifecycle-policy';
import { DataAwsCallerIdentity } from '@cdktf/provider-aws/lib/data-aws-caller-identity';
import { Op } from '../../lib/core/facade/tf';
import { assumeRolePolicy } from './iam';
import { propError } from '../props';

/** `<account>.dkr.ecr.<region>.amazonaws.com/<name>`: an ECR repository as image references spell it. */
const ECR_REPOSITORY = /^(\d{12})\.dkr\.ecr\.([a-z]{2}(?:-[a-z]+)+-\d)\.amazonaws\.com\/([a-z0-9]+(?:[._/-][a-z0-9]+)*)$/;

/** The account, region and name of an ECR repository reference, or nothing when it is not one. */
export function ecrRepository(ref: string): { account: string; region: string; name: string } | undefined {
  const m = ECR_REPOSITORY.exec(ref);
  return m ? { account: m[1], region: m[2], name: m[3] } : undefined;
}

/** What a push needs (ECR's "push" managed policy, scoped to the repositories): layers in and out, the manifest. */
const PUSH_ACTIONS = [
  'ecr:BatchCheckLayerAvailability',
  'ecr:BatchGetImage',
  'ecr:GetDownloadUrlForLayer',
  'ecr:InitiateLayerUpload',
  'ecr:UploadLayerPart',
  'ecr:CompleteLayerUpload',
  'ecr:PutImage',
] as const;

export interface RegistryPushIdentityProps {
  /** IAM role name. */
  readonly name: string;
  /** The cluster resource's `name` attribute (a reference), so the associations wait for the cluster. */
  readonly clusterNameRef: string;
  readonly namespace: string;
  /** ServiceAccounts whose pods push. */
  readonly serviceAccounts: ReadonlyArray<string>;
  /** ECR repositories, as image references spell them (`<account>.dkr.ecr.<region>.amazonaws.com/<name>`). */
  readonly repositories: ReadonlyArray<string>;
}

/** The build cache tag the workflows push next to each image (`--cache-to type=registry,ref=<repo>:buildcache`). */
export const BUILD_CACHE_TAG = 'buildcache';

/**
 * The repositories a workload pushes, created here (scanned on push, encrypted with KMS, tags immutable
 * except the moving build cache, untagged layers expired), and an IAM role that only the pods of the
 * given ServiceAccounts assume (EKS Pod Identity), allowed to push to and pull from exactly those
 * repositories and to fetch ECR's login token, which is account-wide by design. No long-lived key
 * exists anywhere. A repository of another account than the stack's is refused at plan time.
 */
export class RegistryPushIdentity extends Construct {
  readonly role: IamRole;

  constructor(scope: Construct, id: string, props: RegistryPushIdentityProps) {
    super(scope, id);
    if (props.serviceAccounts.length === 0) throw propError(this, 'serviceAccounts', props.serviceAccounts, 'at least one ServiceAccount');
    if (props.repositories.length === 0) throw propError(this, 'repositories', props.repositories, 'at least one repository');
    const repos = [...new Set(props.repositories)].sort().map((ref) => {
      const repo = ecrRepository(ref);
      if (!repo)
        throw propError(
          this,
          `repositories[${props.repositories.indexOf(ref)}]`,
          ref,
          'an ECR repository such as 111122223333.dkr.ecr.us-east-1.amazonaws.com/team/app',
        );
      return repo;
    });
    const caller = new DataAwsCallerIdentity(this, 'caller');
    const created = repos.map((repo) => {
      const id = `repository-${repo.name.replace(/[^a-z0-9-]/g, '-')}`;
      const r = new EcrRepository(this, id, {
        name: repo.name,
        imageTagMutability: 'IMMUTABLE_WITH_EXCLUSION',
        imageTagMutabilityExclusionFilter: [{ filter: BUILD_CACHE_TAG, filterType: 'WILDCARD' }],
        imageScanningConfiguration: { scanOnPush: true },
        encryptionConfiguration: [{ encryptionType: 'KMS' }],
        lifecycle: {
          precondition: [
            {
              condition: Op.eq(caller.accountId, repo.account),
              errorMessage: `${repo.account}.dkr.ecr.${repo.region}.amazonaws.com/${repo.name} belongs to account ${repo.account}, not the one this stack applies to`,
            },
          ],
        },
      });
      new EcrLifecyclePolicy(this, `${id}-lifecycle`, {
        repository: r.name,
        policy: JSON.stringify({
          rules: [
            {
              rulePriority: 1,
              description: 'layers no tag points at any more',
              selection: { tagStatus: 'untagged', countType: 'sinceImagePushed', countUnit: 'days', countNumber: 14 },
              action: { type: 'expire' },
            },
          ],
        }),
      });
      return r;
    });
    this.role = new IamRole(this, 'role', { name: props.name, assumeRolePolicy: assumeRolePolicy('pods.eks.amazonaws.com') });
    new IamRolePolicy(this, 'policy', {
      role: this.role.id,
      policy: JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          { Effect: 'Allow', Action: ['ecr:GetAuthorizationToken'], Resource: '*' },
          { Effect: 'Allow', Action: [...PUSH_ACTIONS], Resource: created.map((r) => r.arn) },
        ],
      }),
    });
    for (const sa of props.serviceAccounts)
      new EksPodIdentityAssociation(this, `association-${sa}`, {
        clusterName: props.clusterNameRef,
        namespace: props.namespace,
        serviceAccount: sa,
        roleArn: this.role.arn,
      });
  }
}
