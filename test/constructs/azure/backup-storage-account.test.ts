import { BackupStorageAccount } from '../../../constructs/azure/backup-storage-account';
import { errorOf, resourcesOf, synthTf, tfStack } from '../helpers';

const props = {
  name: 'starbitexbackup',
  container: 'velero',
  location: 'westeurope',
  resourceGroupName: 'rg',
  privateEndpointSubnetId: 'pe',
  vnetId: 'vnet',
};

describe('BackupStorageAccount', () => {
  it('a private, TLS 1.2, zone-redundant account with blob versioning, its container, a blob private endpoint and Velero’s credentials file', () => {
    const s = tfStack();
    const b = new BackupStorageAccount(s, 'b', props);
    const json = synthTf(s);
    expect(resourcesOf(json, 'azurerm_storage_account')[0]).toMatchObject({
      name: 'starbitexbackup',
      public_network_access_enabled: false,
      min_tls_version: 'TLS1_2',
      https_traffic_only_enabled: true,
      allow_nested_items_to_be_public: false,
      account_replication_type: 'ZRS',
      blob_properties: { versioning_enabled: true },
    });
    expect(resourcesOf(json, 'azurerm_storage_container')[0]).toMatchObject({ name: 'velero', container_access_type: 'private' });
    expect(resourcesOf(json, 'azurerm_private_endpoint')[0].private_service_connection.subresource_names).toEqual(['blob']);
    expect(resourcesOf(json, 'azurerm_private_dns_zone')[0].name).toBe('privatelink.blob.core.windows.net');
    expect(b.veleroCredentials).toMatch(/^AZURE_STORAGE_ACCOUNT_ACCESS_KEY=\$\{TfToken\[.*\]\}\nAZURE_CLOUD_NAME=AzurePublicCloud\n$/);
  });

  it('rejects a name Azure storage does not accept', () => {
    expect(errorOf(() => new BackupStorageAccount(tfStack(), 'b', { ...props, name: 'St-Backup' }))).toMatch(/prop "name" is "St-Backup"/);
  });
});
