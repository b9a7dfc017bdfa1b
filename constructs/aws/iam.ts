import { Construct } from 'constructs';
import { EksPodIdentityAssociation } from '@cdktf/provider-aws/lib/eks-pod-identity-association';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';

/** Trust policy of a role that an AWS service assumes (and may tag the session of). */
export function assumeRolePolicy(service: string): string {
  return JSON.stringify({
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Principal: { Service: service }, Action: ['sts:AssumeRole', 'sts:TagSession'] }],
  });
}

export interface PodIdentityRoleProps {
  /** IAM role name. */
  readonly name: string;
  /** The cluster resource's `name` attribute (a reference, not the literal), so the association waits for the cluster. */
  readonly clusterNameRef: string;
  readonly serviceAccount: { readonly namespace: string; readonly name: string };
  /** The role's inline policy statements: exactly what the pods use. */
  readonly statements: ReadonlyArray<Record<string, unknown>>;
  /**
   * Construct id of the role; the policy is `<id>-policy` (or `policy` for the default id).
   * @default 'role'
   */
  readonly id?: string;
}

/**
 * An IAM role that only the pods of one ServiceAccount assume, through EKS Pod Identity, with its inline
 * policy: the role, the policy and the association, created in `scope`.
 */
export function podIdentityRole(scope: Construct, props: PodIdentityRoleProps): IamRole {
  const id = props.id ?? 'role';
  const role = new IamRole(scope, id, { name: props.name, assumeRolePolicy: assumeRolePolicy('pods.eks.amazonaws.com') });
  new IamRolePolicy(scope, id === 'role' ? 'policy' : `${id}-policy`, {
    role: role.id,
    policy: JSON.stringify({ Version: '2012-10-17', Statement: props.statements }),
  });
  new EksPodIdentityAssociation(scope, 'association', {
    clusterName: props.clusterNameRef,
    namespace: props.serviceAccount.namespace,
    serviceAccount: props.serviceAccount.name,
    roleArn: role.arn,
  });
  return role;
}
