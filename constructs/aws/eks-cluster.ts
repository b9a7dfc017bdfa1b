import { Construct } from 'constructs';
import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { EksAccessEntry } from '@cdktf/provider-aws/lib/eks-access-entry';
import { EksAccessPolicyAssociation } from '@cdktf/provider-aws/lib/eks-access-policy-association';
import { EksAddon } from '@cdktf/provider-aws/lib/eks-addon';
import { EksCluster as EksClusterResource } from '@cdktf/provider-aws/lib/eks-cluster';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicyAttachment } from '@cdktf/provider-aws/lib/iam-role-policy-attachment';
import { KmsAlias } from '@cdktf/provider-aws/lib/kms-alias';
import { KmsKey } from '@cdktf/provider-aws/lib/kms-key';
import type { ITerraformDependable } from '../../lib/core/facade/tf';
import { parseCidr } from '../../lib/core/util/cidr';
import { assumeRolePolicy } from './iam';
import { propError } from '../props';

export const EKS_LOG_TYPES = ['api', 'audit', 'authenticator', 'controllerManager', 'scheduler'] as const;

const MANAGED = 'arn:aws:iam::aws:policy';

export interface EksClusterProps {
  readonly name: string;
  /** Kubernetes minor version, e.g. "1.31". */
  readonly version: string;
  /** Private subnets for the control-plane ENIs and nodes. */
  readonly subnetIds: string[];
  readonly serviceCidr: string;
  /**
   * CIDRs allowed to reach a public API endpoint. Empty means no public endpoint at all.
   * @default []
   */
  readonly publicAccessCidrs?: string[];
  /**
   * IAM principals (role ARNs) given cluster-admin through access entries.
   * @default []
   */
  readonly adminPrincipalArns?: string[];
  /**
   * Days control-plane logs are kept.
   * @default 365
   */
  readonly logRetentionDays?: number;
}

/**
 * An EKS control plane with the defaults a regulated client expects: private endpoint (public only
 * with an explicit allowlist), secrets envelope-encrypted with a rotating KMS key, every control-plane
 * log type on, and access managed by the EKS API (access entries) instead of the aws-auth ConfigMap.
 * Workload IAM goes through EKS Pod Identity, so no OIDC trust policies have to be hand-written.
 */
/** The managed add-on that provisions EBS volumes (provisioner `ebs.csi.aws.com`). */
export const EBS_CSI_ADDON = 'aws-ebs-csi-driver';

export class EksCluster extends Construct {
  readonly cluster: EksClusterResource;
  readonly secretsKey: KmsKey;

  constructor(scope: Construct, id: string, props: EksClusterProps) {
    super(scope, id);
    const publicCidrs = props.publicAccessCidrs ?? [];
    for (const c of publicCidrs) {
      if (parseCidr(c).prefix === 0)
        throw propError(this, 'publicAccessCidrs', publicCidrs, 'specific CIDRs; 0.0.0.0/0 opens the API to the internet');
    }
    if (props.subnetIds.length < 2) throw propError(this, 'subnetIds', props.subnetIds, 'subnets in at least two availability zones');

    this.secretsKey = new KmsKey(this, 'secrets-key', {
      description: `EKS secrets envelope encryption for ${props.name}`,
      enableKeyRotation: true,
      deletionWindowInDays: 30,
    });
    new KmsAlias(this, 'secrets-key-alias', { name: `alias/eks/${props.name}/secrets`, targetKeyId: this.secretsKey.keyId });

    const role = new IamRole(this, 'cluster-role', { name: `${props.name}-cluster`, assumeRolePolicy: assumeRolePolicy('eks.amazonaws.com') });
    const attachment = new IamRolePolicyAttachment(this, 'cluster-policy', { role: role.name, policyArn: `${MANAGED}/AmazonEKSClusterPolicy` });

    // EKS writes to this group by name; creating it first sets the retention instead of "never expire".
    const logs = new CloudwatchLogGroup(this, 'control-plane-logs', {
      name: `/aws/eks/${props.name}/cluster`,
      retentionInDays: props.logRetentionDays ?? 365,
    });

    this.cluster = new EksClusterResource(this, 'cluster', {
      name: props.name,
      version: props.version,
      roleArn: role.arn,
      vpcConfig: {
        subnetIds: props.subnetIds,
        endpointPrivateAccess: true,
        endpointPublicAccess: publicCidrs.length > 0,
        publicAccessCidrs: publicCidrs.length > 0 ? publicCidrs : undefined,
      },
      encryptionConfig: { resources: ['secrets'], provider: { keyArn: this.secretsKey.arn } },
      enabledClusterLogTypes: [...EKS_LOG_TYPES],
      accessConfig: { authenticationMode: 'API', bootstrapClusterCreatorAdminPermissions: false },
      kubernetesNetworkConfig: { serviceIpv4Cidr: props.serviceCidr, ipFamily: 'ipv4' },
      upgradePolicy: { supportType: 'STANDARD' },
      dependsOn: [attachment, logs],
    });

    (props.adminPrincipalArns ?? []).forEach((principalArn, i) => {
      const entry = new EksAccessEntry(this, `admin-${i}`, { clusterName: this.cluster.name, principalArn, type: 'STANDARD' });
      new EksAccessPolicyAssociation(this, `admin-${i}-policy`, {
        clusterName: this.cluster.name,
        principalArn: entry.principalArn,
        policyArn: 'arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy',
        accessScope: { type: 'cluster' },
      });
    });

    // The VPC CNI needs EC2 network permissions; give them to its service account, not to every node.
    const cniRole = new IamRole(this, 'vpc-cni-role', {
      name: `${props.name}-vpc-cni`,
      assumeRolePolicy: assumeRolePolicy('pods.eks.amazonaws.com'),
    });
    new IamRolePolicyAttachment(this, 'vpc-cni-policy', { role: cniRole.name, policyArn: `${MANAGED}/AmazonEKS_CNI_Policy` });
    const podIdentity = this.addAddon('eks-pod-identity-agent');
    // The CNI's network policy agent enforces NetworkPolicies; without it every policy is ignored.
    this.addAddon('vpc-cni', {
      podIdentityAssociation: [{ roleArn: cniRole.arn, serviceAccount: 'aws-node' }],
      configurationValues: JSON.stringify({ enableNetworkPolicy: 'true' }),
      dependsOn: [podIdentity],
    });
    this.addAddon('kube-proxy');
  }

  /**
   * The EBS CSI driver, the provisioner of every EBS volume (EKS ships none since 1.23), with EC2 volume
   * permissions on its controller's service account only. After the node groups, like CoreDNS.
   */
  addEbsCsiDriver(dependsOn: ITerraformDependable[]): EksAddon {
    const role = new IamRole(this, 'ebs-csi-role', {
      name: `${this.cluster.name}-ebs-csi`,
      assumeRolePolicy: assumeRolePolicy('pods.eks.amazonaws.com'),
    });
    new IamRolePolicyAttachment(this, 'ebs-csi-policy', { role: role.name, policyArn: `${MANAGED}/service-role/AmazonEBSCSIDriverPolicy` });
    return this.addAddon(EBS_CSI_ADDON, { podIdentityAssociation: [{ roleArn: role.arn, serviceAccount: 'ebs-csi-controller-sa' }], dependsOn });
  }

  /**
   * A managed add-on at the default version for the cluster's Kubernetes version. Add CoreDNS after
   * the node groups (`dependsOn`): it stays degraded, and Terraform waits, until nodes exist.
   */
  addAddon(name: string, extra: Partial<ConstructorParameters<typeof EksAddon>[2]> = {}): EksAddon {
    return new EksAddon(this, `addon-${name}`, {
      clusterName: this.cluster.name,
      addonName: name,
      resolveConflictsOnCreate: 'OVERWRITE',
      resolveConflictsOnUpdate: 'PRESERVE',
      ...extra,
    });
  }
}
