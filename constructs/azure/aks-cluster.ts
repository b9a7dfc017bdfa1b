import { Construct } from 'constructs';
import { RoleAssignment } from '@cdktf/provider-azurerm/lib/role-assignment';
import { KubernetesCluster } from '@cdktf/provider-azurerm/lib/kubernetes-cluster';
import { KubernetesClusterNodePool } from '@cdktf/provider-azurerm/lib/kubernetes-cluster-node-pool';
import { isAzureGpuVmSize } from '../../lib/core/model/machine-types';
import { nodePoolLabels, nodePoolTaints } from '../gpu';
import { propError } from '../props';

export interface AksPoolProps {
  readonly name: string;
  readonly vmSize: string;
  readonly min: number;
  readonly max: number;
  /**
   * Initial node count; the cluster autoscaler owns it afterwards.
   * @default min
   */
  readonly desired?: number;
  /** @default false */
  readonly gpu?: boolean;
  /** @default {} */
  readonly labels?: Record<string, string>;
  /** Role the pool is dedicated to: label and NoSchedule taint `parity.dev/dedicated=<role>`. @default none */
  readonly dedicatedTo?: string;
  /** @default 128 */
  readonly diskSizeGb?: number;
}

export interface AksClusterProps {
  readonly name: string;
  readonly location: string;
  readonly resourceGroupName: string;
  /** Kubernetes minor version, e.g. "1.31". */
  readonly version: string;
  readonly nodeSubnetId: string;
  readonly podCidr: string;
  readonly serviceCidr: string;
  readonly dnsServiceIp: string;
  /** The system pool: critical add-ons only. Must have min ≥ 1. */
  readonly systemPool: AksPoolProps;
  /** Entra ID groups that get cluster-admin through Azure RBAC. */
  readonly adminGroupObjectIds: string[];
  /** @default {} */
  readonly tags?: Record<string, string>;
}

// AKS pool names: lower-case alphanumerics, at most 12 characters (Linux).
const AKS_POOL_NAME = /^[a-z][a-z0-9]{0,11}$/;

/**
 * A private AKS cluster: no public API endpoint, Entra ID with Azure RBAC and local accounts off (no
 * static admin kubeconfig exists), OIDC issuer and workload identity for pods, the Key Vault CSI
 * provider, Azure CNI overlay with Cilium network policy, and host-encrypted nodes.
 */
export class AksCluster extends Construct {
  readonly cluster: KubernetesCluster;
  private readonly tags: Record<string, string>;

  constructor(scope: Construct, id: string, props: AksClusterProps) {
    super(scope, id);
    if (props.adminGroupObjectIds.length === 0) {
      throw propError(
        this,
        'adminGroupObjectIds',
        props.adminGroupObjectIds,
        'at least one Entra ID group: with local accounts off nobody else could administer the cluster',
      );
    }
    this.tags = props.tags ?? {};
    const sys = props.systemPool;
    this.check(sys);
    if (sys.min < 1) throw propError(this, 'systemPool.min', sys.min, 'at least 1');

    this.cluster = new KubernetesCluster(this, 'cluster', {
      name: props.name,
      location: props.location,
      resourceGroupName: props.resourceGroupName,
      dnsPrefix: props.name,
      kubernetesVersion: props.version,
      skuTier: 'Standard',
      privateClusterEnabled: true,
      privateClusterPublicFqdnEnabled: false,
      localAccountDisabled: true,
      roleBasedAccessControlEnabled: true,
      azureActiveDirectoryRoleBasedAccessControl: { azureRbacEnabled: true, adminGroupObjectIds: props.adminGroupObjectIds },
      oidcIssuerEnabled: true,
      workloadIdentityEnabled: true,
      keyVaultSecretsProvider: { secretRotationEnabled: true, secretRotationInterval: '2m' },
      azurePolicyEnabled: true,
      runCommandEnabled: false,
      imageCleanerEnabled: true,
      imageCleanerIntervalHours: 48,
      automaticUpgradeChannel: 'patch',
      nodeOsUpgradeChannel: 'NodeImage',
      identity: { type: 'SystemAssigned' },
      networkProfile: {
        networkPlugin: 'azure',
        networkPluginMode: 'overlay',
        networkDataPlane: 'cilium',
        networkPolicy: 'cilium',
        podCidr: props.podCidr,
        serviceCidr: props.serviceCidr,
        dnsServiceIp: props.dnsServiceIp,
        loadBalancerSku: 'standard',
      },
      defaultNodePool: {
        name: sys.name,
        vmSize: sys.vmSize,
        vnetSubnetId: props.nodeSubnetId,
        autoScalingEnabled: true,
        minCount: sys.min,
        maxCount: sys.max,
        nodeCount: sys.desired ?? sys.min,
        onlyCriticalAddonsEnabled: true,
        hostEncryptionEnabled: true,
        osDiskSizeGb: sys.diskSizeGb ?? 128,
        osDiskType: 'Managed',
        nodeLabels: nodePoolLabels({ name: sys.name, gpu: false, labels: sys.labels ?? {} }),
        temporaryNameForRotation: `${sys.name.slice(0, 8)}tmp`,
        upgradeSettings: { maxSurge: '33%' },
      },
      lifecycle: { ignoreChanges: ['default_node_pool[0].node_count'] },
      tags: this.tags,
    });
    // The subnet belongs to the network stack: the cluster's identity must be allowed to join load
    // balancers and their frontends to it (Terraform does not grant this as the az CLI would).
    new RoleAssignment(this, 'subnet-network-contributor', {
      scope: props.nodeSubnetId,
      roleDefinitionName: 'Network Contributor',
      principalId: this.cluster.identity.principalId,
    });
  }

  private check(pool: AksPoolProps): void {
    if (!AKS_POOL_NAME.test(pool.name)) throw propError(this, 'pool name', pool.name, '1-12 lower-case letters and digits, starting with a letter');
    if (pool.min > pool.max) throw propError(this, `${pool.name}.min`, pool.min, `≤ max (${pool.max})`);
    if (pool.gpu && !isAzureGpuVmSize(pool.vmSize)) {
      throw propError(this, `${pool.name}.vmSize`, pool.vmSize, 'an N-series GPU size (e.g. Standard_NC4as_T4_v3) for a gpu pool');
    }
  }

  /** A user pool; GPU pools get the GPU label and taint and may scale to zero. */
  addUserPool(pool: AksPoolProps, nodeSubnetId: string): KubernetesClusterNodePool {
    this.check(pool);
    const gpu = pool.gpu ?? false;
    const scheduling = { name: pool.name, gpu, labels: pool.labels ?? {}, dedicatedTo: pool.dedicatedTo };
    const taints = nodePoolTaints(scheduling);
    return new KubernetesClusterNodePool(this, `pool-${pool.name}`, {
      name: pool.name,
      kubernetesClusterId: this.cluster.id,
      mode: 'User',
      vmSize: pool.vmSize,
      vnetSubnetId: nodeSubnetId,
      autoScalingEnabled: true,
      minCount: pool.min,
      maxCount: pool.max,
      nodeCount: pool.desired ?? pool.min,
      hostEncryptionEnabled: true,
      osDiskSizeGb: pool.diskSizeGb ?? 128,
      nodeLabels: nodePoolLabels(scheduling),
      nodeTaints: taints.length ? taints.map((t) => `${t.key}=${t.value}:${t.effect}`) : undefined,
      // The NVIDIA device plugin add-on manages the driver stack, like on EKS.
      gpuDriver: gpu ? 'Install' : undefined,
      upgradeSettings: { maxSurge: '33%' },
      lifecycle: { ignoreChanges: ['node_count'] },
      tags: this.tags,
    });
  }
}
