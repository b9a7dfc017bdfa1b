import { Construct } from 'constructs';
import { StorageAccount } from '@cdktf/provider-azurerm/lib/storage-account';
import { StorageContainer } from '@cdktf/provider-azurerm/lib/storage-container';
import { PrivateLink } from './private-link';
import { propError } from '../props';

export interface BackupStorageAccountProps {
  /** 3-24 lower-case letters and digits (globally unique). */
  readonly name: string;
  readonly container: string;
  readonly location: string;
  readonly resourceGroupName: string;
  readonly privateEndpointSubnetId: string;
  readonly vnetId: string;
  /** @default {} */
  readonly tags?: Record<string, string>;
}

/**
 * Where Velero keeps backups on AKS: a zone-redundant storage account with public network access off
 * (reached through a blob private endpoint), HTTPS and TLS 1.2 only, soft delete and versioning of blobs,
 * and the backup container, created through the management plane. Velero's Azure plugin authenticates
 * with the account key, which the Vault stack writes into Vault from this stack's output.
 */
export class BackupStorageAccount extends Construct {
  readonly account: StorageAccount;
  /** Velero's credentials file for the Azure plugin (sensitive: the account key). */
  readonly veleroCredentials: string;

  constructor(scope: Construct, id: string, props: BackupStorageAccountProps) {
    super(scope, id);
    if (!/^[a-z0-9]{3,24}$/.test(props.name)) throw propError(this, 'name', props.name, '3-24 lower-case letters and digits');
    const tags = props.tags ?? {};
    this.account = new StorageAccount(this, 'account', {
      name: props.name,
      location: props.location,
      resourceGroupName: props.resourceGroupName,
      accountTier: 'Standard',
      accountReplicationType: 'ZRS',
      minTlsVersion: 'TLS1_2',
      httpsTrafficOnlyEnabled: true,
      publicNetworkAccessEnabled: false,
      allowNestedItemsToBePublic: false,
      // The Velero Azure plugin signs with the account key (storageAccountKeyEnvVar).
      sharedAccessKeyEnabled: true,
      blobProperties: { versioningEnabled: true, deleteRetentionPolicy: { days: 14 }, containerDeleteRetentionPolicy: { days: 14 } },
      tags,
    });
    new StorageContainer(this, 'container', { name: props.container, storageAccountId: this.account.id, containerAccessType: 'private' });
    new PrivateLink(this, 'private-link', {
      name: props.name,
      resourceId: this.account.id,
      subresource: 'blob',
      dnsZone: 'privatelink.blob.core.windows.net',
      location: props.location,
      resourceGroupName: props.resourceGroupName,
      subnetId: props.privateEndpointSubnetId,
      vnetId: props.vnetId,
      tags,
    });
    this.veleroCredentials = `AZURE_STORAGE_ACCOUNT_ACCESS_KEY=${this.account.primaryAccessKey}\nAZURE_CLOUD_NAME=AzurePublicCloud\n`;
  }
}
