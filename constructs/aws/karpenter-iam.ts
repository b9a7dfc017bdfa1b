import { Construct } from 'constructs';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { podIdentityRole } from './iam';

export interface KarpenterIamProps {
  readonly clusterName: string;
  /**
   * The cluster resource's `name` attribute (a reference, not the literal): the Pod Identity association
   * then depends on the cluster, instead of racing it on a fresh account.
   */
  readonly clusterNameRef: string;
  readonly clusterArn: string;
  /** Role Karpenter passes to the instances it launches (the node role). */
  readonly nodeRoleArn: string;
  /**
   * Namespace and service account of the controller.
   * @default { namespace: 'kube-system', serviceAccount: 'karpenter' }
   */
  readonly serviceAccount?: { readonly namespace: string; readonly name: string };
}

/**
 * The Karpenter controller's identity through EKS Pod Identity. Scoped to what v1 needs: launch and
 * tag instances, terminate only instances it launched (tagged with a node pool), pass only the node
 * role, and read this one cluster.
 */
export class KarpenterIam extends Construct {
  readonly role: IamRole;

  constructor(scope: Construct, id: string, props: KarpenterIamProps) {
    super(scope, id);
    const sa = props.serviceAccount ?? { namespace: 'kube-system', name: 'karpenter' };
    const owned = {
      StringEquals: { [`aws:ResourceTag/kubernetes.io/cluster/${props.clusterName}`]: 'owned' },
      StringLike: { 'aws:ResourceTag/karpenter.sh/nodepool': '*' },
    };
    this.role = podIdentityRole(this, {
      id: 'controller',
      name: `${props.clusterName}-karpenter`,
      clusterNameRef: props.clusterNameRef,
      serviceAccount: sa,
      statements: [
        {
          Sid: 'Launch',
          Effect: 'Allow',
          Action: ['ec2:CreateFleet', 'ec2:RunInstances', 'ec2:CreateLaunchTemplate', 'ec2:CreateTags'],
          Resource: '*',
        },
        { Sid: 'TerminateOwn', Effect: 'Allow', Action: ['ec2:TerminateInstances', 'ec2:DeleteLaunchTemplate'], Resource: '*', Condition: owned },
        {
          Sid: 'Discover',
          Effect: 'Allow',
          Action: [
            'ec2:DescribeAvailabilityZones',
            'ec2:DescribeImages',
            'ec2:DescribeInstances',
            'ec2:DescribeInstanceTypeOfferings',
            'ec2:DescribeInstanceTypes',
            'ec2:DescribeLaunchTemplates',
            'ec2:DescribeSecurityGroups',
            'ec2:DescribeSpotPriceHistory',
            'ec2:DescribeSubnets',
            'pricing:GetProducts',
            'ssm:GetParameter',
          ],
          Resource: '*',
        },
        {
          Sid: 'PassNodeRole',
          Effect: 'Allow',
          Action: 'iam:PassRole',
          Resource: props.nodeRoleArn,
          Condition: { StringEquals: { 'iam:PassedToService': 'ec2.amazonaws.com' } },
        },
        {
          Sid: 'InstanceProfiles',
          Effect: 'Allow',
          Action: [
            'iam:CreateInstanceProfile',
            'iam:TagInstanceProfile',
            'iam:AddRoleToInstanceProfile',
            'iam:RemoveRoleFromInstanceProfile',
            'iam:DeleteInstanceProfile',
            'iam:GetInstanceProfile',
          ],
          Resource: '*',
        },
        { Sid: 'Cluster', Effect: 'Allow', Action: 'eks:DescribeCluster', Resource: props.clusterArn },
      ],
    });
  }
}
