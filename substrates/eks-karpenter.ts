import { Environment } from '../lib/core/model/schema';
import { KARPENTER_IMAGES } from './chart-images';
import { Chart } from '../lib/core/facade/k8s';
import { AddOnContext, PlatformAddOn } from '../contracts/addon';
import { HelmApplication, PinnedChart, pinnedChartImages } from '../constructs/k8s/helm-application';
import { ChartFacts } from '../lib/core/facts/chart-facts';
import { GPU_LABEL, GPU_TAINT } from '../constructs/gpu';
import {
  Ec2NodeClass,
  Ec2NodeClassSpecBlockDeviceMappingsEbsVolumeType,
  Ec2NodeClassSpecMetadataOptionsHttpEndpoint,
  Ec2NodeClassSpecMetadataOptionsHttpTokens,
} from '../imports/karpenter.k8s.aws';
import {
  NodePool,
  NodePoolSpecDisruptionConsolidationPolicy,
  NodePoolSpecLimits,
  NodePoolSpecTemplateSpecRequirementsOperator as Op,
  NodePoolSpecTemplateSpecTaintsEffect,
} from '../imports/karpenter.sh';

/** Pinned AMI release: `@latest` would let two syncs of one commit boot different images. */
export const KARPENTER_AMI_ALIAS = 'al2023@v20241213';
export const KARPENTER_NAMESPACE = 'kube-system';

/** Name of the node IAM role the EKS substrate creates; Karpenter launches nodes with the same role. */
export function eksNodeRoleName(clusterName: string): string {
  return `${clusterName}-nodes`;
}

/**
 * Karpenter on EKS: the controller (pinned chart, pod identity from the cluster stack), one EC2NodeClass
 * with the same hardening as the managed node groups (IMDSv2 hop limit 1, encrypted gp3), and node
 * pools for general capacity and, when the environment has GPU pools, GPU capacity with the shared
 * GPU label and taint.
 */
const KARPENTER_CHART: PinnedChart = { repoURL: 'public.ecr.aws/karpenter', chart: 'karpenter', version: '1.1.1', images: KARPENTER_IMAGES };

function karpenterValues(env: Environment) {
  return {
    settings: { clusterName: env.cluster.name },
    serviceAccount: { name: 'karpenter' },
    replicas: 2,
    controller: { resources: { requests: { cpu: '500m', memory: '512Mi' }, limits: { cpu: '1', memory: '1Gi' } } },
  };
}

export class KarpenterAddOn implements PlatformAddOn {
  readonly id = 'karpenter';
  readonly description = 'Karpenter node provisioning (EC2NodeClass + NodePools)';
  readonly namespace = KARPENTER_NAMESPACE;
  readonly syncWave = -3;

  chartFacts(ctx: AddOnContext): ChartFacts {
    return {
      images: pinnedChartImages(`add-on ${this.id}`, KARPENTER_CHART, karpenterValues(ctx.env)).images.map((i) => i.image),
      crds: [
        { group: 'karpenter.sh', kinds: ['NodePool', 'NodeClaim'] },
        { group: 'karpenter.k8s.aws', kinds: ['EC2NodeClass'] },
      ],
      workloads: [
        {
          name: 'karpenter',
          namespace: KARPENTER_NAMESPACE,
          kind: 'Deployment',
          podSecurity: 'restricted',
          replicas: 2,
          podLabels: { 'app.kubernetes.io/name': 'karpenter', 'app.kubernetes.io/instance': 'karpenter' },
        },
      ],
    };
  }

  install(chart: Chart, ctx: AddOnContext): void {
    const cluster = ctx.env.cluster.name;
    new HelmApplication(chart, 'controller', {
      name: 'karpenter',
      chart: KARPENTER_CHART,
      destinationNamespace: KARPENTER_NAMESPACE,
      argoNamespace: ctx.argoNamespace,
      syncWave: this.syncWave,
      values: karpenterValues(ctx.env),
      registryMirror: ctx.env.registryMirror,
    });

    // Custom resources sync after the controller has installed their CRDs.
    const wave = { 'argocd.argoproj.io/sync-wave': String(this.syncWave + 1) };
    new Ec2NodeClass(chart, 'node-class', {
      metadata: { name: 'default', annotations: wave },
      spec: {
        role: eksNodeRoleName(cluster),
        amiSelectorTerms: [{ alias: KARPENTER_AMI_ALIAS }],
        subnetSelectorTerms: [{ tags: { 'kubernetes.io/role/internal-elb': '1', [`kubernetes.io/cluster/${cluster}`]: 'shared' } }],
        securityGroupSelectorTerms: [{ tags: { 'aws:eks:cluster-name': cluster } }],
        metadataOptions: {
          httpEndpoint: Ec2NodeClassSpecMetadataOptionsHttpEndpoint.ENABLED,
          httpTokens: Ec2NodeClassSpecMetadataOptionsHttpTokens.REQUIRED,
          httpPutResponseHopLimit: 1,
        },
        blockDeviceMappings: [
          {
            deviceName: '/dev/xvda',
            ebs: {
              volumeSize: '100Gi',
              volumeType: Ec2NodeClassSpecBlockDeviceMappingsEbsVolumeType.GP3,
              encrypted: true,
              deleteOnTermination: true,
            },
          },
        ],
      },
    });

    const nodePool = (name: string, categories: string[], gpu: boolean, cpuLimit: number) =>
      new NodePool(chart, `pool-${name}`, {
        metadata: { name, annotations: wave },
        spec: {
          template: {
            metadata: { labels: { 'parity.dev/node-pool': name, ...(gpu ? { [GPU_LABEL.key]: GPU_LABEL.value } : {}) } },
            spec: {
              nodeClassRef: { group: 'karpenter.k8s.aws', kind: 'EC2NodeClass', name: 'default' },
              requirements: [
                { key: 'kubernetes.io/arch', operator: Op.IN, values: ['amd64'] },
                { key: 'karpenter.sh/capacity-type', operator: Op.IN, values: ['on-demand'] },
                { key: gpu ? 'karpenter.k8s.aws/instance-family' : 'karpenter.k8s.aws/instance-category', operator: Op.IN, values: categories },
              ],
              taints: gpu ? [{ key: GPU_TAINT.key, value: GPU_TAINT.value, effect: NodePoolSpecTemplateSpecTaintsEffect.NO_SCHEDULE }] : undefined,
              expireAfter: '720h',
            },
          },
          limits: { cpu: NodePoolSpecLimits.fromNumber(cpuLimit) },
          disruption: { consolidationPolicy: NodePoolSpecDisruptionConsolidationPolicy.WHEN_EMPTY_OR_UNDERUTILIZED, consolidateAfter: '5m' },
        },
      });
    nodePool('general', ['c', 'm', 'r'], false, 200);
    if (ctx.env.cluster.nodePools.some((p) => p.gpu)) nodePool('gpu', ['g5', 'g6'], true, 64);
  }
}
