import { EksCluster } from '../../../constructs/aws/eks-cluster';
import { errorOf, resourcesOf, synthTf, tfStack } from '../helpers';

const props = { name: 'c1', version: '1.31', subnetIds: ['subnet-a', 'subnet-b'], serviceCidr: '172.20.0.0/16' };

describe('EksCluster', () => {
  it('defaults: private endpoint only, secrets encrypted with a rotating key, every log type kept a year, API authentication', () => {
    const s = tfStack();
    new EksCluster(s, 'eks', props);
    const json = synthTf(s);
    const [cluster] = resourcesOf(json, 'aws_eks_cluster');
    expect(cluster.vpc_config).toMatchObject({ endpoint_private_access: true, endpoint_public_access: false, subnet_ids: props.subnetIds });
    expect(cluster.vpc_config.public_access_cidrs).toBeUndefined();
    expect(cluster.encryption_config.resources).toEqual(['secrets']);
    expect(resourcesOf(json, 'aws_kms_key')[0]).toMatchObject({ enable_key_rotation: true });
    expect(cluster.enabled_cluster_log_types).toEqual(['api', 'audit', 'authenticator', 'controllerManager', 'scheduler']);
    expect(resourcesOf(json, 'aws_cloudwatch_log_group')[0]).toMatchObject({ name: '/aws/eks/c1/cluster', retention_in_days: 365 });
    expect(cluster.access_config).toEqual({ authentication_mode: 'API', bootstrap_cluster_creator_admin_permissions: false });
    expect(cluster.kubernetes_network_config).toEqual({ service_ipv4_cidr: '172.20.0.0/16', ip_family: 'ipv4' });
    expect(resourcesOf(json, 'aws_eks_access_entry')).toEqual([]);
  });

  it('installs the VPC CNI with network policy enforcement, through Pod Identity', () => {
    const s = tfStack();
    new EksCluster(s, 'eks', props);
    const addons = resourcesOf(synthTf(s), 'aws_eks_addon');
    expect(addons.map((a) => a.addon_name).sort()).toEqual(['eks-pod-identity-agent', 'kube-proxy', 'vpc-cni']);
    const cni = addons.find((a) => a.addon_name === 'vpc-cni');
    expect(JSON.parse(cni.configuration_values)).toEqual({ enableNetworkPolicy: 'true' });
    expect(cni.pod_identity_association).toEqual([
      { role_arn: expect.stringContaining('aws_iam_role.eks_vpc-cni-role'), service_account: 'aws-node' },
    ]);
  });

  it('options: public CIDRs, admin principals with the cluster-admin access policy, log retention, the EBS CSI driver', () => {
    const s = tfStack();
    const eks = new EksCluster(s, 'eks', {
      ...props,
      publicAccessCidrs: ['203.0.113.0/24'],
      adminPrincipalArns: ['arn:aws:iam::1:role/admin'],
      logRetentionDays: 30,
    });
    eks.addEbsCsiDriver([]);
    const json = synthTf(s);
    expect(resourcesOf(json, 'aws_eks_cluster')[0].vpc_config).toMatchObject({
      endpoint_public_access: true,
      public_access_cidrs: ['203.0.113.0/24'],
    });
    expect(resourcesOf(json, 'aws_eks_access_entry')).toEqual([
      expect.objectContaining({ principal_arn: 'arn:aws:iam::1:role/admin', type: 'STANDARD' }),
    ]);
    expect(resourcesOf(json, 'aws_eks_access_policy_association')[0].policy_arn).toBe(
      'arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy',
    );
    expect(resourcesOf(json, 'aws_cloudwatch_log_group')[0].retention_in_days).toBe(30);
    const ebs = resourcesOf(json, 'aws_eks_addon').find((a) => a.addon_name === 'aws-ebs-csi-driver');
    expect(ebs.pod_identity_association[0].service_account).toBe('ebs-csi-controller-sa');
  });

  it('rejects an API open to the internet and a single subnet, naming the construct path', () => {
    expect(errorOf(() => new EksCluster(tfStack(), 'eks', { ...props, publicAccessCidrs: ['0.0.0.0/0'] }))).toBe(
      'EksCluster at s/eks: prop "publicAccessCidrs" is ["0.0.0.0/0"]; expected specific CIDRs; 0.0.0.0/0 opens the API to the internet',
    );
    expect(errorOf(() => new EksCluster(tfStack(), 'eks', { ...props, subnetIds: ['subnet-a'] }))).toMatch(/^EksCluster at s\/eks: prop "subnetIds"/);
  });
});

describe('EKS cluster stack of dev', () => {
  it('every resource names the cluster by reference, so Terraform orders it after the cluster', () => {
    const { examples, terraform } = require('../../helpers');
    const tf = terraform(examples(), 'dev', 'cluster');
    const literal = Object.entries<any>(tf.resource)
      .flatMap(([type, rs]) => Object.entries<any>(rs).map(([id, r]) => ({ ref: `${type}.${id}`, name: r.cluster_name })))
      .filter((r) => r.name !== undefined && !String(r.name).startsWith('${'));
    expect(literal).toEqual([]);
  });
});
