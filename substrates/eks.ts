import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicyAttachment } from '@cdktf/provider-aws/lib/iam-role-policy-attachment';
import { IamOpenidConnectProvider } from '@cdktf/provider-aws/lib/iam-openid-connect-provider';
import { STS_AUDIENCE, WorkloadBucket } from '../constructs/aws/workload-bucket';
import { PlatformAddOn } from '../contracts/addon';
import { EBS_CSI_ADDON, EksCluster } from '../constructs/aws/eks-cluster';
import { ebsStorageClasses } from './eks-storage';
import { KarpenterIam } from '../constructs/aws/karpenter-iam';
import { VaultUnsealKey, vaultUnsealKeyAlias } from '../constructs/aws/vault-unseal-key';
import { BackupBucket } from '../constructs/aws/backup-bucket';
import { ManagedNodeGroup } from '../constructs/aws/managed-node-group';
import { VpcNetwork } from '../constructs/aws/vpc-network';
import { Fn, TerraformOutput } from '../lib/core/facade/tf';
import { kubernetesMinor } from '../lib/core/model/primitives';
import { ConfigIssue, show } from '../lib/core/model/issues';
import { ConfigFor, Environment } from '../lib/core/model/schema';
import { parseCidr } from '../lib/core/util/cidr';
import { cloudNodePoolSummaries, validateCloudNodePools } from './cloud-node-pools';
import { cloudNodes, poolScheduling } from './cluster-nodes';
import { offsiteBackupStorage, s3BackupStorage } from './backup-storage';
import { VELERO_SERVICE_ACCOUNT, WorkloadBucketAccess } from '../contracts/platform';
import { KARPENTER_NAMESPACE, KarpenterAddOn, eksNodeRoleName } from './eks-karpenter';
import {
  LBC_INTERNAL_ANNOTATIONS,
  LBC_LOAD_BALANCER_ANNOTATIONS,
  LOAD_BALANCER_CONTROLLER_SERVICE_ACCOUNT,
  loadBalancerControllerAddOn,
} from './eks-load-balancer';
import { LoadBalancerControllerIam } from '../constructs/aws/load-balancer-controller-iam';
import { RegistryPushIdentity, ecrRepository } from '../constructs/aws/registry-push-identity';
import type { WorkloadIdentityRequest } from '../contracts/identity';
import { AWS_INSTANCE_TYPE, isAwsGpuInstanceType } from '../lib/core/model/machine-types';
import {
  BackupStorage,
  BootstrapChart,
  ClusterFacts,
  ClusterNode,
  StackJson,
  VaultSeal,
  InfrastructureContext,
  InfrastructureOutputs,
  NetworkRange,
  NodePoolSummary,
  PlatformTraits,
  ReviewFiles,
  Substrate,
} from '../contracts/substrate';

type EksConfig = ConfigFor<'eks'>;

/** Exactly the AWS managed policies a managed node group's role needs. */
export const NODE_MANAGED_POLICIES = ['AmazonEKSWorkerNodePolicy', 'AmazonEC2ContainerRegistryPullOnly'] as const;

function eksConfig(env: Environment): EksConfig {
  if (env.substrate.kind !== 'eks') throw new Error(`environment ${env.name} is not an EKS environment`);
  return env.substrate;
}

/** Amazon EKS in one region: VPC across zones, then (cluster issue) the cluster and its node groups. */
export class EksSubstrate implements Substrate {
  readonly kind = 'eks' as const;
  readonly title = 'Amazon EKS';
  readonly traits: PlatformTraits = {
    defaultStorageClass: 'gp3',
    ingressClass: 'nginx',
    // NLBs through the AWS Load Balancer Controller (the in-tree provider's NLB support is frozen upstream):
    // IP targets, and a scheme the environment's exposure decides.
    loadBalancerAnnotations: LBC_LOAD_BALANCER_ANNOTATIONS,
    internalLoadBalancerAnnotations: LBC_INTERNAL_ANNOTATIONS,
    gpuEnablement: 'nvidia-device-plugin',
    managedAddOns: [],
    // The Pod Identity agent (a host-network DaemonSet) hands pods their role's credentials here.
    cloudCredentialsEndpoint: { name: 'EKS Pod Identity agent', cidr: '169.254.170.23/32', port: 80 },
  };

  /** Pod Identity roles for pushing to ECR; secret stores are Azure Key Vaults, which EKS has none of. */
  workloadIdentityProblems(env: Environment, request: WorkloadIdentityRequest): Array<{ path: string; found: unknown; expected: string }> {
    const out: Array<{ path: string; found: unknown; expected: string }> = [];
    if (request.secretStore)
      out.push({ path: '', found: request.id, expected: 'no secret store identity on Amazon EKS (Azure Key Vault stores exist on AKS)' });
    if (request.bucket && request.registryPush)
      out.push({ path: '', found: request.id, expected: 'a bucket or a registry push identity, not both (one role each)' });
    const region = eksConfig(env).region;
    for (const [i, repo] of (request.registryPush?.repositories ?? []).entries())
      if (ecrRepository(repo)?.region !== region)
        out.push({
          path: `${request.registryPush!.configPath}[${i}]`,
          found: repo,
          expected: `an ECR repository in ${region} (<account>.dkr.ecr.${region}.amazonaws.com/<name>), which this cluster's pods can be allowed to push to`,
        });
    return out;
  }

  validate(env: Environment): ConfigIssue[] {
    const cfg = eksConfig(env);
    const out: ConfigIssue[] = [];
    const add = (path: string, found: unknown, expected: string) => out.push({ environment: env.name, path, found: show(found), expected });
    const { prefix } = parseCidr(cfg.vpcCidr);
    if (prefix < 16 || prefix > 20) add('substrate.vpcCidr', cfg.vpcCidr, 'a VPC block from /16 to /20');
    if (cfg.availabilityZones.length > 3) add('substrate.availabilityZones', cfg.availabilityZones, '2 or 3 availability zones');
    cfg.availabilityZones.forEach((zone, i) => {
      if (!zone.startsWith(cfg.region) || !/^[a-z]$/.test(zone.slice(cfg.region.length))) {
        add(`substrate.availabilityZones[${i}]`, zone, `a zone of ${cfg.region} such as ${cfg.region}a`);
      }
      if (cfg.availabilityZones.indexOf(zone) !== i) add(`substrate.availabilityZones[${i}]`, zone, 'each zone listed once');
    });
    cfg.publicAccessCidrs.forEach((c, i) => {
      if (parseCidr(c).prefix === 0)
        add(`substrate.publicAccessCidrs[${i}]`, c, 'a specific allowlist; 0.0.0.0/0 opens the API server to the internet');
    });
    out.push(
      ...validateCloudNodePools(env, { label: 'EC2 instance type', pattern: AWS_INSTANCE_TYPE, example: 'm6i.xlarge', isGpu: isAwsGpuInstanceType }),
    );
    // Managed node groups only scale between min and max if something scales them: Parity's node
    // autoscaler on EKS is Karpenter (it provisions for pending pods, GPU ones included).
    if (!cfg.karpenter)
      env.cluster.nodePools.forEach((p, i) => {
        if ((p.min ?? 0) < (p.max ?? 0))
          add(
            `cluster.nodePools[${i}]`,
            `min ${p.min} < max ${p.max}`,
            'karpenter: true under substrate, or min equal to max: nothing else scales a managed node group, so pods beyond min would stay Pending',
          );
      });
    return out;
  }

  networks(env: Environment): NetworkRange[] {
    // VPC CNI: pods take VPC addresses, so the VPC is both the node and the pod range.
    return [
      { name: 'node', cidr: eksConfig(env).vpcCidr, path: 'substrate.vpcCidr' },
      { name: 'service', cidr: env.cluster.serviceCidr, path: 'cluster.serviceCidr' },
    ];
  }

  nodePools(env: Environment): NodePoolSummary[] {
    return cloudNodePoolSummaries(env);
  }

  /** Backups to S3 in the cluster's region, unless the environment keeps them offsite. */
  backupStorage(env: Environment): BackupStorage {
    return offsiteBackupStorage(env) ?? s3BackupStorage(`${env.cluster.name}-velero`, eksConfig(env).region);
  }

  /** S3 of the cluster's region; tokens exchanged at the regional STS endpoint. */
  workloadBuckets(env: Environment): WorkloadBucketAccess {
    const { region } = eksConfig(env);
    return { region, endpoint: `s3.${region}.amazonaws.com`, tokenEndpoint: `sts.${region}.amazonaws.com` };
  }

  /** Managed node group nodes carry their group's name and capacity type, as the EKS node agent sets them. */
  nodes(env: Environment): ClusterNode[] {
    const cfg = eksConfig(env);
    return cloudNodes(env, cfg.availabilityZones, cfg.region, (pool) => ({
      'eks.amazonaws.com/nodegroup': pool.name,
      'eks.amazonaws.com/capacityType': 'ON_DEMAND',
    }));
  }

  buildInfrastructure(ctx: InfrastructureContext): InfrastructureOutputs {
    const cfg = eksConfig(ctx.env);
    const network = ctx.newStack('network', `VPC ${cfg.vpcCidr} over ${cfg.availabilityZones.length} zones in ${cfg.region}`);
    new AwsProvider(network, 'aws', { region: cfg.region, defaultTags: [{ tags: network.defaultTags }] });
    const vpc = new VpcNetwork(network, 'network', {
      name: ctx.env.cluster.name,
      cidr: cfg.vpcCidr,
      availabilityZones: cfg.availabilityZones,
      natGateways: cfg.natGateways,
      clusterName: ctx.env.cluster.name,
    });
    new TerraformOutput(network, 'vpc_id', { value: vpc.vpc.id });
    new TerraformOutput(network, 'private_subnet_ids', { value: vpc.privateSubnets.map((s) => s.id) });
    new TerraformOutput(network, 'public_subnet_ids', { value: vpc.publicSubnets.map((s) => s.id) });

    const { env } = ctx;
    const clusterStack = ctx.newStack(
      'cluster',
      `EKS ${env.cluster.name} ${kubernetesMinor(env.kubernetesVersion)} with ${env.cluster.nodePools.length} managed node groups`,
      {
        checks: [
          `aws eks update-kubeconfig --region ${cfg.region} --name ${env.cluster.name}`,
          'kubectl get nodes   # every managed node group Ready',
        ],
      },
    );
    new AwsProvider(clusterStack, 'aws', { region: cfg.region, defaultTags: [{ tags: clusterStack.defaultTags }] });
    const privateSubnetIds = vpc.privateSubnets.map((s) => s.id);
    const eks = new EksCluster(clusterStack, 'eks', {
      name: env.cluster.name,
      version: kubernetesMinor(env.kubernetesVersion),
      subnetIds: privateSubnetIds,
      serviceCidr: env.cluster.serviceCidr,
      publicAccessCidrs: cfg.publicAccessCidrs,
      adminPrincipalArns: cfg.adminRoleArns,
    });
    // Nodes get only what a kubelet needs: join the cluster and pull images. Network permissions sit
    // with the VPC CNI's own pod identity (see EksCluster).
    const nodeRole = new IamRole(clusterStack, 'node-role', {
      name: eksNodeRoleName(env.cluster.name),
      assumeRolePolicy: JSON.stringify({
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }],
      }),
    });
    const nodePolicies = NODE_MANAGED_POLICIES.map(
      (policy) =>
        new IamRolePolicyAttachment(clusterStack, `node-${policy}`, { role: nodeRole.name, policyArn: `arn:aws:iam::aws:policy/${policy}` }),
    );
    // Pool sizes and types were checked by validate(); the assertions only restate that.
    const groups = env.cluster.nodePools.map(
      (pool) =>
        new ManagedNodeGroup(clusterStack, `pool-${pool.name}`, {
          clusterName: eks.cluster.name,
          name: pool.name,
          instanceType: pool.instanceType!,
          nodeRoleArn: nodeRole.arn,
          subnetIds: privateSubnetIds,
          min: pool.min!,
          desired: pool.desired,
          max: pool.max!,
          gpu: pool.gpu,
          labels: pool.labels,
          dedicatedTo: poolScheduling(pool).dedicatedTo,
          diskSizeGb: pool.diskSizeGb,
          dependsOn: nodePolicies,
        }),
    );
    eks.addAddon('coredns', { dependsOn: groups.map((g) => g.nodeGroup) });
    eks.addEbsCsiDriver(groups.map((g) => g.nodeGroup));
    new VaultUnsealKey(clusterStack, 'vault-unseal', { clusterName: env.cluster.name, clusterNameRef: eks.cluster.name });
    // Velero's bucket and its Pod Identity: backups work from the first sync, with no access key anywhere.
    if (env.addons.includes('velero') && this.backupStorage(env).credentials === 'workload-identity')
      new BackupBucket(clusterStack, 'backups', {
        bucket: this.backupStorage(env).bucket,
        clusterName: env.cluster.name,
        clusterNameRef: eks.cluster.name,
        serviceAccount: VELERO_SERVICE_ACCOUNT,
      });
    new LoadBalancerControllerIam(clusterStack, 'lb-controller', {
      clusterName: env.cluster.name,
      clusterNameRef: eks.cluster.name,
      serviceAccount: LOAD_BALANCER_CONTROLLER_SERVICE_ACCOUNT,
    });
    if (cfg.karpenter) {
      new KarpenterIam(clusterStack, 'karpenter', {
        clusterName: env.cluster.name,
        clusterNameRef: eks.cluster.name,
        clusterArn: eks.cluster.arn,
        nodeRoleArn: nodeRole.arn,
        serviceAccount: { namespace: KARPENTER_NAMESPACE, name: 'karpenter' },
      });
    }
    // Workload identities the apps ask for: Pod Identity roles with exactly what each uses.
    for (const request of ctx.workloadIdentities)
      if (request.registryPush)
        new RegistryPushIdentity(clusterStack, `identity-${request.id}`, {
          name: `${env.cluster.name}-${request.id}`,
          clusterNameRef: eks.cluster.name,
          namespace: request.namespace,
          serviceAccounts: request.serviceAccounts,
          repositories: request.registryPush.repositories,
        });
    // Buckets for workloads that sign in by web identity: the cluster's issuer registered with IAM once.
    const bucketRequests = ctx.workloadIdentities.filter((r) => r.bucket);
    const clientIds: Record<string, string> = {};
    if (bucketRequests.length) {
      const issuerUrl = eks.cluster.identity.get(0).oidc.get(0).issuer;
      const oidc = new IamOpenidConnectProvider(clusterStack, 'oidc-provider', { url: issuerUrl, clientIdList: [STS_AUDIENCE] });
      for (const request of bucketRequests)
        clientIds[request.id] = new WorkloadBucket(clusterStack, `bucket-${request.id}`, {
          bucket: request.bucket!.name,
          roleName: `${env.cluster.name}-${request.id}`,
          issuerUrl,
          oidcProviderArn: oidc.arn,
          namespace: request.namespace,
          serviceAccounts: request.serviceAccounts,
        }).role.arn;
    }
    new TerraformOutput(clusterStack, 'cluster_name', { value: eks.cluster.name });
    new TerraformOutput(clusterStack, 'cluster_endpoint', { value: eks.cluster.endpoint });
    new TerraformOutput(clusterStack, 'secrets_kms_key_arn', { value: eks.secretsKey.arn });

    return {
      stacks: [network, clusterStack],
      clusterStack,
      workloadIdentityClientIds: clientIds,
      connection: {
        host: eks.cluster.endpoint,
        clusterCaCertificate: Fn.base64decode(eks.cluster.certificateAuthority.get(0).data),
        exec: {
          apiVersion: 'client.authentication.k8s.io/v1beta1',
          command: 'aws',
          args: ['eks', 'get-token', '--cluster-name', env.cluster.name, '--region', cfg.region],
        },
      },
    };
  }

  networkRunner(env: Environment): string {
    const cfg = eksConfig(env);
    const pub = cfg.publicAccessCidrs.length ? ` (or one of the API allowlist ${cfg.publicAccessCidrs.join(', ')}, for the API server only)` : '';
    return (
      `a runner inside VPC ${env.cluster.name} (${cfg.vpcCidr}), e.g. an SSM-managed instance or a CI runner in a private subnet${pub}: ` +
      'the API server endpoint is private, and the tailnet route to it only exists once the bootstrap stack has installed Argo CD'
    );
  }

  reviewFiles(): ReviewFiles {
    return {};
  }

  vaultSeal(env: Environment): VaultSeal {
    const cfg = eksConfig(env);
    return {
      hcl: `seal "awskms" {\n  region     = "${cfg.region}"\n  kms_key_id = "${vaultUnsealKeyAlias(env.cluster.name)}"\n}\n`,
      serviceAccountAnnotations: {},
      podLabels: {},
      description: `auto-unseal with AWS KMS key ${vaultUnsealKeyAlias(env.cluster.name)} (EKS Pod Identity)`,
    };
  }

  clusterFacts(env: Environment): ClusterFacts {
    const { vpcCidr } = eksConfig(env);
    const addons = (stacks: ReadonlyArray<StackJson>) => stacks.flatMap((s) => Object.values<any>(s.json.resource?.aws_eks_addon ?? {})); // eslint-disable-line @typescript-eslint/no-explicit-any
    return {
      // gp2 exists on every EKS cluster, but provisions only through the EBS CSI driver (CSI migration).
      storageClasses: [{ name: 'gp2', provisioner: 'kubernetes.io/aws-ebs' }],
      apiServer: { cidrs: [vpcCidr], port: 443 },
      nodeCidrs: [vpcCidr],
      crds: () => [],
      provisioners: (stacks) => (addons(stacks).some((a) => a.addon_name === EBS_CSI_ADDON) ? ['ebs.csi.aws.com', 'kubernetes.io/aws-ebs'] : []),
      networkPolicyGap: (stacks) => {
        const cni = addons(stacks).find((a) => a.addon_name === 'vpc-cni');
        if (!cni) return 'no vpc-cni add-on in the cluster stack';
        return JSON.parse(cni.configuration_values ?? '{}').enableNetworkPolicy === 'true'
          ? undefined
          : 'the vpc-cni add-on runs without enableNetworkPolicy: "true", so the VPC CNI ignores every NetworkPolicy';
      },
    };
  }

  /**
   * The gp3 StorageClass every claim asks for (on the EBS CSI driver of the cluster stack), the load
   * balancer controller that provisions the ingress NLB, and Karpenter where chosen.
   */
  platformAddOns(env: Environment): PlatformAddOn[] {
    const cfg = eksConfig(env);
    return [ebsStorageClasses, loadBalancerControllerAddOn(cfg.region), ...(cfg.karpenter ? [new KarpenterAddOn()] : [])];
  }

  /** The VPC CNI is a managed add-on: nothing to install before Argo CD. */
  bootstrapCharts(): BootstrapChart[] {
    return [];
  }
}
