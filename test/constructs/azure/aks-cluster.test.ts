import { AksCluster } from '../../../constructs/azure/aks-cluster';
import { errorOf, resourcesOf, synthTf, tfStack } from '../helpers';

const props = {
  name: 'c1',
  location: 'westeurope',
  resourceGroupName: 'rg',
  version: '1.31',
  nodeSubnetId: 'subnet',
  podCidr: '192.168.0.0/16',
  serviceCidr: '10.0.0.0/16',
  dnsServiceIp: '10.0.0.10',
  systemPool: { name: 'system', vmSize: 'Standard_D4s_v5', min: 1, max: 3 },
  adminGroupObjectIds: ['00000000-0000-0000-0000-000000000001'],
};

describe('AksCluster', () => {
  it('defaults: private, no local accounts, Azure RBAC, workload identity, Key Vault CSI, Cilium overlay, host encryption, critical add-ons only on the system pool', () => {
    const s = tfStack();
    new AksCluster(s, 'aks', props);
    const c = resourcesOf(synthTf(s), 'azurerm_kubernetes_cluster')[0];
    expect(c).toMatchObject({
      private_cluster_enabled: true,
      private_cluster_public_fqdn_enabled: false,
      local_account_disabled: true,
      oidc_issuer_enabled: true,
      workload_identity_enabled: true,
      run_command_enabled: false,
    });
    expect(c.azure_active_directory_role_based_access_control).toEqual({
      azure_rbac_enabled: true,
      admin_group_object_ids: props.adminGroupObjectIds,
    });
    expect(c.network_profile).toMatchObject({
      network_plugin: 'azure',
      network_plugin_mode: 'overlay',
      network_policy: 'cilium',
      network_data_plane: 'cilium',
    });
    expect(c.default_node_pool).toMatchObject({
      only_critical_addons_enabled: true,
      host_encryption_enabled: true,
      os_disk_size_gb: 128,
      node_count: 1,
      min_count: 1,
      max_count: 3,
    });
    expect(c.tags).toEqual({});
  });

  it('grants the cluster identity Network Contributor on the node subnet it does not own, and nothing else', () => {
    const s = tfStack();
    new AksCluster(s, 'aks', props);
    const roles = resourcesOf(synthTf(s), 'azurerm_role_assignment');
    expect(roles).toEqual([
      expect.objectContaining({
        scope: 'subnet',
        role_definition_name: 'Network Contributor',
        principal_id: expect.stringMatching(/azurerm_kubernetes_cluster\.aks_cluster_[0-9A-F]+\.identity\[0\]\.principal_id/),
      }),
    ]);
  });

  it('options: a GPU user pool with the GPU taint, label and driver; desired size, disk size and tags', () => {
    const s = tfStack();
    const aks = new AksCluster(s, 'aks', { ...props, tags: { env: 'prod' } });
    aks.addUserPool({ name: 'gpu', vmSize: 'Standard_NC4as_T4_v3', min: 0, max: 3, desired: 1, gpu: true, diskSizeGb: 256 }, 'subnet');
    const pool = resourcesOf(synthTf(s), 'azurerm_kubernetes_cluster_node_pool')[0];
    expect(pool).toMatchObject({ mode: 'User', node_count: 1, os_disk_size_gb: 256, gpu_driver: 'Install', tags: { env: 'prod' } });
    expect(pool.node_taints).toEqual(['nvidia.com/gpu=true:NoSchedule']);
    expect(pool.node_labels).toEqual({ 'parity.dev/node-pool': 'gpu', accelerator: 'nvidia' });
  });

  it('rejects no admin group, an empty system pool, a bad pool name and a GPU pool on a CPU size', () => {
    expect(errorOf(() => new AksCluster(tfStack(), 'aks', { ...props, adminGroupObjectIds: [] }))).toMatch(
      /^AksCluster at s\/aks: prop "adminGroupObjectIds" is \[\]/,
    );
    expect(errorOf(() => new AksCluster(tfStack(), 'aks', { ...props, systemPool: { ...props.systemPool, min: 0 } }))).toMatch(
      /prop "systemPool.min" is 0; expected at least 1/,
    );
    const aks = new AksCluster(tfStack(), 'aks', props);
    expect(errorOf(() => aks.addUserPool({ name: 'GPU_pool', vmSize: 'Standard_NC4as_T4_v3', min: 0, max: 1 }, 's'))).toMatch(
      /prop "pool name" is "GPU_pool"/,
    );
    expect(errorOf(() => aks.addUserPool({ name: 'gpu', vmSize: 'Standard_D4s_v5', min: 0, max: 1, gpu: true }, 's'))).toMatch(
      /prop "gpu.vmSize" is "Standard_D4s_v5"; expected an N-series GPU size/,
    );
  });
});
