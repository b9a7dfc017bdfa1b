import { AzurermProvider } from '@cdktf/provider-azurerm/lib/provider';
import { AksCluster } from '../constructs/azure/aks-cluster';
import { ContainerRegistry } from '../constructs/azure/container-registry';
import { VAULT_UNSEAL_KEY_NAME, VaultUnsealKeyVault, vaultUnsealKeyVaultName } from '../constructs/azure/vault-unseal-key';
import { VnetNetwork, vnetLayout } from '../constructs/azure/vnet-network';
import { PostgresServer } from '../constructs/azure/postgres-server';
import { REDIS_TLS_PORT, RedisCache } from '../constructs/azure/redis-cache';
import { KeyVaultSecret } from '@cdktf/provider-azurerm/lib/key-vault-secret';
import { WorkloadIdentity } from '../constructs/azure/workload-identity';
import type { WorkloadIdentityRequest } from '../contracts/identity';
import { SecretKeyVault } from '../constructs/azure/secret-key-vault';
import { BackupStorageAccount } from '../constructs/azure/backup-storage-account';
import { Fn, TerraformOutput } from '../lib/core/facade/tf';
import { kubernetesMinor } from '../lib/core/model/primitives';
import { nthAddress } from '../lib/core/util/cidr';
import { PlatformAddOn } from '../contracts/addon';
import { ConfigIssue, show } from '../lib/core/model/issues';
import { ConfigFor, Environment, ManagedServiceConfig } from '../lib/core/model/schema';
import { parseCidr } from '../lib/core/util/cidr';
import { cloudNodePoolSummaries, validateCloudNodePools } from './cloud-node-pools';
import { cloudNodes, poolScheduling } from './cluster-nodes';
import { azureBackupStorage, offsiteBackupStorage } from './backup-storage';
import { AZURE_VM_SIZE, isAzureGpuVmSize } from '../lib/core/model/machine-types';
import {
  BackupStorage,
  BootstrapChart,
  ClusterNode,
  VaultSeal,
  InfrastructureContext,
  InfrastructureOutputs,
  NetworkRange,
  NodePoolSummary,
  PlatformTraits,
  ReviewFiles,
  Substrate,
  ClusterFacts,
  ManagedServiceEndpoint,
} from '../contracts/substrate';

type AksConfig = ConfigFor<'aks'>;

function aksConfig(env: Environment): AksConfig {
  if (env.substrate.kind !== 'aks') throw new Error(`environment ${env.name} is not an AKS environment`);
  return env.substrate;
}

/** Azure Kubernetes Service with Azure CNI overlay: nodes in the VNet, pods in their own range. */
/** The identity Vault's auto-unseal runs as (its ServiceAccount carries its client ID). */
const VAULT_UNSEAL_IDENTITY = 'vault-unseal';

export class AksSubstrate implements Substrate {
  readonly kind = 'aks' as const;
  readonly title = 'Azure Kubernetes Service';
  readonly traits: PlatformTraits = {
    defaultStorageClass: 'managed-csi-premium',
    ingressClass: 'nginx',
    loadBalancerAnnotations: {
      'service.beta.kubernetes.io/azure-load-balancer-health-probe-request-path': '/healthz',
    },
    internalLoadBalancerAnnotations: { 'service.beta.kubernetes.io/azure-load-balancer-internal': 'true' },
    gpuEnablement: 'nvidia-device-plugin',
    // AKS deploys and reconciles metrics-server in kube-system itself.
    managedAddOns: ['metrics-server'],
  };

  /** Federated identities with their Key Vault; registry push and workload buckets are built for EKS only so far. */
  workloadIdentityProblems(_env: Environment, request: WorkloadIdentityRequest): Array<{ path: string; found: unknown; expected: string }> {
    return [
      ...(request.registryPush
        ? [
            {
              path: request.registryPush.configPath,
              found: request.registryPush.repositories,
              expected: 'no registry push identity on AKS (built for ECR on EKS)',
            },
          ]
        : []),
      ...(request.bucket ? [{ path: '', found: request.bucket.name, expected: 'no workload bucket on AKS yet (built for S3 on EKS)' }] : []),
    ];
  }

  validate(env: Environment): ConfigIssue[] {
    const cfg = aksConfig(env);
    const out: ConfigIssue[] = [];
    const add = (path: string, found: unknown, expected: string) => out.push({ environment: env.name, path, found: show(found), expected });
    const { prefix } = parseCidr(cfg.vnetCidr);
    if (prefix < 16 || prefix > 20) add('substrate.vnetCidr', cfg.vnetCidr, 'a VNet block from /16 to /20');
    cfg.publicAccessCidrs.forEach((c, i) => {
      if (parseCidr(c).prefix === 0)
        add(`substrate.publicAccessCidrs[${i}]`, c, 'a specific allowlist; 0.0.0.0/0 opens the API server to the internet');
    });
    // Images from an Azure registry come from the one this environment creates and grants AcrPull on:
    // any other would need credentials nothing provides.
    const registries = [...new Set([...JSON.stringify(env.apps).matchAll(/"([a-z0-9]+)\.azurecr\.io\//g)].map((m) => m[1]))].sort();
    for (const r of registries) {
      if (r !== cfg.containerRegistry?.name) {
        add(
          'substrate.containerRegistry',
          cfg.containerRegistry,
          `{ name: ${r} }: the apps pull from ${r}.azurecr.io, which the cluster stack must create and grant AcrPull on`,
        );
      }
    }
    const system = env.cluster.nodePools.filter((p) => p.role === 'system');
    if (system.length !== 1) {
      add(
        'cluster.nodePools',
        system.map((p) => p.name),
        'exactly one pool with role: system (AKS runs its system pods there)',
      );
    }
    env.cluster.nodePools.forEach((p, i) => {
      if (p.role === 'system' && (p.min ?? 0) < 1) add(`cluster.nodePools[${i}].min`, p.min, 'at least 1 node in the system pool');
    });
    out.push(...validateCloudNodePools(env, { label: 'Azure VM size', pattern: AZURE_VM_SIZE, example: 'Standard_D4s_v5', isGpu: isAzureGpuVmSize }));
    return out;
  }

  networks(env: Environment): NetworkRange[] {
    const cfg = aksConfig(env);
    return [
      { name: 'node', cidr: cfg.vnetCidr, path: 'substrate.vnetCidr' },
      { name: 'pod', cidr: cfg.podCidr, path: 'substrate.podCidr' },
      { name: 'service', cidr: env.cluster.serviceCidr, path: 'cluster.serviceCidr' },
    ];
  }

  nodePools(env: Environment): NodePoolSummary[] {
    return cloudNodePoolSummaries(env);
  }

  /** Backups to a blob container of the environment's storage account (in the cluster's resource group), unless kept offsite. */
  backupStorage(env: Environment): BackupStorage {
    const account = `st${env.cluster.name.replace(/[^a-z0-9]/g, '')}backup`.slice(0, 24);
    return offsiteBackupStorage(env) ?? azureBackupStorage('velero', `rg-${env.cluster.name}`, account);
  }

  /** AKS nodes carry their agent pool and its mode (the system pool is the one with role system). */
  nodes(env: Environment): ClusterNode[] {
    const cfg = aksConfig(env);
    return cloudNodes(
      env,
      ['1', '2', '3'].map((z) => `${cfg.location}-${z}`),
      cfg.location,
      (pool) => ({
        'kubernetes.azure.com/agentpool': pool.name,
        'kubernetes.azure.com/mode': pool.role === 'system' ? 'system' : 'user',
      }),
    );
  }

  buildInfrastructure(ctx: InfrastructureContext): InfrastructureOutputs {
    const cfg = aksConfig(ctx.env);
    const network = ctx.newStack('network', `Resource group and VNet ${cfg.vnetCidr} in ${cfg.location}`);
    new AzurermProvider(network, 'azurerm', { features: [{}] });
    const net = new VnetNetwork(network, 'network', {
      name: ctx.env.cluster.name,
      location: cfg.location,
      cidr: cfg.vnetCidr,
      publicIngressPorts: ctx.env.access.kind === 'ingress' && ctx.env.access.exposure === 'public' ? [80, 443] : [],
      tags: network.defaultTags,
    });
    new TerraformOutput(network, 'resource_group_name', { value: net.resourceGroup.name });
    new TerraformOutput(network, 'vnet_id', { value: net.vnet.id });
    new TerraformOutput(network, 'node_subnet_id', { value: net.nodeSubnet.id });

    const { env } = ctx;
    const clusterStack = ctx.newStack(
      'cluster',
      `Private AKS ${env.cluster.name} ${kubernetesMinor(env.kubernetesVersion)} with ${env.cluster.nodePools.length} node pools`,
      {
        // The unseal key is written through the Key Vault's private endpoint.
        fromNetwork: true,
        checks: [
          `az aks get-credentials --resource-group rg-${env.cluster.name} --name ${env.cluster.name} && kubelogin convert-kubeconfig -l azurecli`,
          'kubectl get nodes   # every node pool Ready',
        ],
      },
    );
    new AzurermProvider(clusterStack, 'azurerm', { features: [{}] });
    const toPool = (p: Environment['cluster']['nodePools'][number]) => ({
      name: p.name,
      vmSize: p.instanceType!,
      min: p.min!,
      max: p.max!,
      desired: p.desired,
      gpu: p.gpu,
      labels: p.labels,
      dedicatedTo: poolScheduling(p).dedicatedTo,
      diskSizeGb: p.diskSizeGb,
    });
    const system = env.cluster.nodePools.find((p) => p.role === 'system')!;
    const aks = new AksCluster(clusterStack, 'aks', {
      name: env.cluster.name,
      location: cfg.location,
      resourceGroupName: net.resourceGroup.name,
      version: kubernetesMinor(env.kubernetesVersion),
      nodeSubnetId: net.nodeSubnet.id,
      podCidr: cfg.podCidr,
      serviceCidr: env.cluster.serviceCidr,
      dnsServiceIp: nthAddress(env.cluster.serviceCidr, 10),
      systemPool: toPool(system),
      adminGroupObjectIds: cfg.adminGroupObjectIds,
      tags: clusterStack.defaultTags,
    });
    for (const pool of env.cluster.nodePools) if (pool !== system) aks.addUserPool(toPool(pool), net.nodeSubnet.id);
    const unseal = new VaultUnsealKeyVault(clusterStack, 'vault-unseal', {
      clusterName: env.cluster.name,
      location: cfg.location,
      resourceGroupName: net.resourceGroup.name,
      tenantId: cfg.tenantId,
      oidcIssuerUrl: aks.cluster.oidcIssuerUrl,
      privateEndpointSubnetId: net.privateEndpointSubnet.id,
      vnetId: net.vnet.id,
      tags: clusterStack.defaultTags,
    });
    new TerraformOutput(clusterStack, 'vault_unseal_identity_client_id', { value: unseal.identity.clientId });
    if (cfg.containerRegistry) {
      const acr = new ContainerRegistry(clusterStack, 'registry', {
        name: cfg.containerRegistry.name,
        location: cfg.location,
        resourceGroupName: net.resourceGroup.name,
        privateEndpointSubnetId: net.privateEndpointSubnet.id,
        vnetId: net.vnet.id,
        pullPrincipalId: aks.cluster.kubeletIdentity.objectId,
        tags: clusterStack.defaultTags,
      });
      new TerraformOutput(clusterStack, 'container_registry_login_server', { value: acr.registry.loginServer });
    }
    new TerraformOutput(clusterStack, 'cluster_name', { value: aks.cluster.name });
    new TerraformOutput(clusterStack, 'oidc_issuer_url', { value: aks.cluster.oidcIssuerUrl });
    new TerraformOutput(clusterStack, 'key_vault_secrets_provider_identity', {
      value: aks.cluster.keyVaultSecretsProvider.secretIdentity.get(0).clientId,
    });

    // Managed data services; their connection URLs go into the Key Vaults of the apps that use them.
    const connectionUrls = new Map<string, (database?: string) => string>();
    for (const svc of env.managedServices) {
      const common = {
        name: svc.name,
        location: cfg.location,
        resourceGroupName: net.resourceGroup.name,
        privateEndpointSubnetId: net.privateEndpointSubnet.id,
        vnetId: net.vnet.id,
        tags: clusterStack.defaultTags,
      };
      if (svc.kind === 'postgres') {
        const pg = new PostgresServer(clusterStack, `postgres-${svc.name}`, { ...common, ...svc });
        connectionUrls.set(svc.name, (db) => pg.connectionUrl(db!));
      } else {
        const redis = new RedisCache(clusterStack, `redis-${svc.name}`, { ...common, sku: svc.sku, capacity: svc.capacity });
        connectionUrls.set(svc.name, () => redis.connectionUrl());
      }
    }

    // Workload identities of the add-ons and apps: federated with their ServiceAccounts, and where they
    // read a secret store, that Key Vault (private, RBAC) with read access for them alone.
    const clientIds: Record<string, string> = { [VAULT_UNSEAL_IDENTITY]: unseal.identity.clientId };
    for (const request of ctx.workloadIdentities) {
      const wi = new WorkloadIdentity(clusterStack, `identity-${request.id}`, {
        name: `id-${env.cluster.name}-${request.id}`,
        location: cfg.location,
        resourceGroupName: net.resourceGroup.name,
        oidcIssuerUrl: aks.cluster.oidcIssuerUrl,
        namespace: request.namespace,
        serviceAccounts: request.serviceAccounts,
        tags: clusterStack.defaultTags,
      });
      if (request.secretStore) {
        const kv = new SecretKeyVault(clusterStack, `key-vault-${request.id}`, {
          name: request.secretStore.name,
          location: cfg.location,
          resourceGroupName: net.resourceGroup.name,
          tenantId: request.secretStore.tenantId,
          privateEndpointSubnetId: net.privateEndpointSubnet.id,
          vnetId: net.vnet.id,
          readerPrincipalIds: [wi.identity.principalId],
          tags: clusterStack.defaultTags,
        });
        for (const secret of request.secretStore.stackSecrets ?? []) {
          const url = connectionUrls.get(secret.service);
          if (!url) throw new Error(`${request.requestedBy} in ${env.name}: managed service "${secret.service}" is not under managedServices`);
          new KeyVaultSecret(kv, `secret-${secret.name}`, {
            name: secret.name,
            value: url(secret.database),
            keyVaultId: kv.vault.id,
            contentType: `connection URL of ${secret.service}`,
            // Written through the private endpoint, once the deployer's role is enforced.
            dependsOn: [kv.writerAccess, kv.endpoint],
          });
        }
      }
      clientIds[request.id] = wi.identity.clientId;
      new TerraformOutput(clusterStack, `workload_identity_${request.id.replace(/-/g, '_')}_client_id`, { value: wi.identity.clientId });
    }

    // Velero's storage account; its key reaches Vault through the Vault stack, never a person.
    const backups =
      env.addons.includes('velero') && this.backupStorage(env).credentials === 'stack'
        ? new BackupStorageAccount(clusterStack, 'backups', {
            name: this.backupStorage(env).config.storageAccount,
            container: this.backupStorage(env).bucket,
            location: cfg.location,
            resourceGroupName: net.resourceGroup.name,
            privateEndpointSubnetId: net.privateEndpointSubnet.id,
            vnetId: net.vnet.id,
            tags: clusterStack.defaultTags,
          })
        : undefined;

    const kube = aks.cluster.kubeConfig.get(0);
    return {
      stacks: [network, clusterStack],
      clusterStack,
      backupCredentials: backups?.veleroCredentials,
      workloadIdentityClientIds: clientIds,
      connection: {
        host: kube.host,
        clusterCaCertificate: Fn.base64decode(kube.clusterCaCertificate),
        // Local accounts are off: tokens come from Entra ID through kubelogin (AKS server app id below).
        exec: {
          apiVersion: 'client.authentication.k8s.io/v1beta1',
          command: 'kubelogin',
          args: ['get-token', '--login', 'azurecli', '--server-id', '6dae42f8-4368-4678-94ff-3960e28e3630'],
        },
      },
    };
  }

  /** Flexible server and Azure Cache for Redis, each behind a private endpoint in the VNet's endpoint subnet. */
  managedServiceEndpoint(env: Environment, service: ManagedServiceConfig): ManagedServiceEndpoint {
    const cidr = vnetLayout(aksConfig(env).vnetCidr).privateEndpoints;
    return service.kind === 'postgres'
      ? { kind: 'postgres', host: `${service.name}.postgres.database.azure.com`, port: 5432, cidr }
      : { kind: 'redis', host: `${service.name}.redis.cache.windows.net`, port: REDIS_TLS_PORT, cidr };
  }

  networkRunner(env: Environment): string {
    const cfg = aksConfig(env);
    return (
      `a runner with a network interface in VNet ${env.cluster.name} (${cfg.vnetCidr}), e.g. a self-hosted CI agent in the node subnet: ` +
      'the API server has no public endpoint and the Key Vaults have public access off, so nothing outside the VNet reaches them'
    );
  }

  reviewFiles(): ReviewFiles {
    return {};
  }

  /** Azure CNI with Cilium is part of the managed cluster: nothing to install before Argo CD. */
  vaultSeal(env: Environment): VaultSeal {
    const cfg = aksConfig(env);
    return {
      hcl: `seal "azurekeyvault" {\n  tenant_id  = "${cfg.tenantId}"\n  vault_name = "${vaultUnsealKeyVaultName(env.cluster.name)}"\n  key_name   = "${VAULT_UNSEAL_KEY_NAME}"\n}\n`,
      serviceAccountAnnotations: {},
      serviceAccountIdentity: { identity: VAULT_UNSEAL_IDENTITY, annotation: 'azure.workload.identity/client-id' },
      podLabels: { 'azure.workload.identity/use': 'true' },
      description: `auto-unseal with Azure Key Vault ${vaultUnsealKeyVaultName(env.cluster.name)} (workload identity)`,
    };
  }

  clusterFacts(env: Environment): ClusterFacts {
    const { vnetCidr } = aksConfig(env);
    return {
      // Built into every AKS cluster with the Azure Disk and Files CSI drivers.
      storageClasses: [
        { name: 'default', provisioner: 'disk.csi.azure.com' },
        { name: 'managed-csi', provisioner: 'disk.csi.azure.com' },
        { name: 'managed-csi-premium', provisioner: 'disk.csi.azure.com' },
        { name: 'azurefile-csi', provisioner: 'file.csi.azure.com' },
        { name: 'azurefile-csi-premium', provisioner: 'file.csi.azure.com' },
      ],
      // API server VNet integration: the API server's addresses are in its delegated subnet of the VNet.
      apiServer: { cidrs: [vnetCidr], port: 443 },
      nodeCidrs: [vnetCidr],
      provisioners: () => ['disk.csi.azure.com', 'file.csi.azure.com'],
      // The Key Vault secrets provider add-on brings the Secrets Store CSI driver and its CRDs.
      crds: (stacks) =>
        stacks.some((s) => Object.values<any>(s.json.resource?.azurerm_kubernetes_cluster ?? {}).some((c) => c.key_vault_secrets_provider)) // eslint-disable-line @typescript-eslint/no-explicit-any
          ? [{ group: 'secrets-store.csi.x-k8s.io', kinds: ['SecretProviderClass', 'SecretProviderClassPodStatus'] }]
          : [],
      networkPolicyGap: (stacks) => {
        const clusters = stacks.flatMap((s) => Object.values<any>(s.json.resource?.azurerm_kubernetes_cluster ?? {})); // eslint-disable-line @typescript-eslint/no-explicit-any
        const policy = clusters[0]?.network_profile?.network_policy;
        return ['cilium', 'azure', 'calico'].includes(policy)
          ? undefined
          : `the AKS cluster has network_policy ${JSON.stringify(policy)}: NetworkPolicies are not enforced`;
      },
    };
  }

  platformAddOns(): PlatformAddOn[] {
    return [];
  }

  bootstrapCharts(): BootstrapChart[] {
    return [];
  }
}
