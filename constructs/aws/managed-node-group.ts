import { Construct } from 'constructs';
import { EksNodeGroup } from '@cdktf/provider-aws/lib/eks-node-group';
import { LaunchTemplate } from '@cdktf/provider-aws/lib/launch-template';
import { isAwsGpuInstanceType } from '../../lib/core/model/machine-types';
import { nodePoolLabels, nodePoolTaints } from '../gpu';
import { propError } from '../props';

export interface ManagedNodeGroupProps {
  readonly clusterName: string;
  /** Pool name; also the `parity.dev/node-pool` label. */
  readonly name: string;
  readonly instanceType: string;
  readonly nodeRoleArn: string;
  readonly subnetIds: string[];
  readonly min: number;
  readonly max: number;
  /**
   * Initial size; later changes come from the autoscaler, so Terraform ignores drift on it.
   * @default min
   */
  readonly desired?: number;
  /**
   * A GPU pool: NVIDIA AMI, `accelerator=nvidia` label and the `nvidia.com/gpu` NoSchedule taint.
   * @default false
   */
  readonly gpu?: boolean;
  /**
   * Extra Kubernetes labels.
   * @default {}
   */
  readonly labels?: Record<string, string>;
  /** Role the pool is dedicated to: label and NoSchedule taint `parity.dev/dedicated=<role>`. @default none */
  readonly dedicatedTo?: string;
  /**
   * Root volume size in GiB.
   * @default 100
   */
  readonly diskSizeGb?: number;
  /**
   * Extra resources this node group waits for.
   * @default []
   */
  readonly dependsOn?: ConstructorParameters<typeof EksNodeGroup>[2]['dependsOn'];
}

/**
 * An EKS managed node group on its own launch template, so every node requires IMDSv2 (with a hop
 * limit of 1: pods cannot borrow the node's credentials) and boots from an encrypted gp3 volume.
 * GPU pools can scale to zero because nothing without the GPU toleration lands on them.
 */
export class ManagedNodeGroup extends Construct {
  readonly nodeGroup: EksNodeGroup;
  readonly launchTemplate: LaunchTemplate;

  constructor(scope: Construct, id: string, props: ManagedNodeGroupProps) {
    super(scope, id);
    const gpu = props.gpu ?? false;
    const scheduling = { name: props.name, gpu, labels: props.labels ?? {}, dedicatedTo: props.dedicatedTo };
    const taints = nodePoolTaints(scheduling);
    const desired = props.desired ?? props.min;
    if (props.min > props.max) throw propError(this, 'min', props.min, `≤ max (${props.max})`);
    if (desired < props.min || desired > props.max) throw propError(this, 'desired', desired, `between min (${props.min}) and max (${props.max})`);
    if (props.max < 1) throw propError(this, 'max', props.max, 'at least 1');
    if (gpu && !isAwsGpuInstanceType(props.instanceType)) {
      throw propError(this, 'instanceType', props.instanceType, 'a GPU instance type (g4dn, g5, g6, p4d, p5, ...) for a gpu pool');
    }

    this.launchTemplate = new LaunchTemplate(this, 'launch-template', {
      name: `${props.clusterName}-${props.name}`,
      updateDefaultVersion: true,
      metadataOptions: { httpEndpoint: 'enabled', httpTokens: 'required', httpPutResponseHopLimit: 1, instanceMetadataTags: 'disabled' },
      blockDeviceMappings: [
        {
          deviceName: '/dev/xvda',
          ebs: { volumeSize: props.diskSizeGb ?? 100, volumeType: 'gp3', encrypted: 'true', deleteOnTermination: 'true' },
        },
      ],
      tagSpecifications: [{ resourceType: 'instance', tags: { Name: `${props.clusterName}-${props.name}` } }],
    });

    this.nodeGroup = new EksNodeGroup(this, 'node-group', {
      clusterName: props.clusterName,
      nodeGroupName: props.name,
      nodeRoleArn: props.nodeRoleArn,
      subnetIds: props.subnetIds,
      instanceTypes: [props.instanceType],
      amiType: gpu ? 'AL2023_x86_64_NVIDIA' : 'AL2023_x86_64_STANDARD',
      capacityType: 'ON_DEMAND',
      scalingConfig: { minSize: props.min, maxSize: props.max, desiredSize: desired },
      updateConfig: { maxUnavailable: 1 },
      labels: nodePoolLabels(scheduling),
      taint: taints.length ? taints.map((t) => ({ key: t.key, value: t.value, effect: 'NO_SCHEDULE' })) : undefined,
      launchTemplate: { id: this.launchTemplate.id, version: this.launchTemplate.latestVersion.toString() },
      lifecycle: { ignoreChanges: ['scaling_config[0].desired_size'] },
      dependsOn: props.dependsOn,
    });
  }
}
