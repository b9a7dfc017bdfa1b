import { BackupStorage } from '../contracts/platform';

/** Velero 1.15 (chart 8.2.0) and the object-store plugins of the same release line. */
const AWS_PLUGIN = { name: 'velero-plugin-for-aws', image: 'velero/velero-plugin-for-aws:v1.11.0' };
const AZURE_PLUGIN = { name: 'velero-plugin-for-microsoft-azure', image: 'velero/velero-plugin-for-microsoft-azure:v1.11.0' };

/** S3 in the cluster's region, in a bucket the cluster stack creates, reached as Velero's Pod Identity. */
export function s3BackupStorage(bucket: string, region: string): BackupStorage {
  return { provider: 'aws', plugin: AWS_PLUGIN, bucket, config: { region }, credentials: 'workload-identity' };
}

/** An S3-compatible store (Ceph RGW, MinIO): path-style URLs at its endpoint; the region is only a signing label. */
export function s3CompatibleBackupStorage(bucket: string, endpoint: string): BackupStorage {
  return {
    provider: 'aws',
    plugin: AWS_PLUGIN,
    bucket,
    config: { region: 'us-east-1', s3ForcePathStyle: 'true', s3Url: endpoint },
    // The site's store issues access keys, not identities: a person writes them to Vault.
    credentials: 'person',
  };
}

/**
 * A blob container of the storage account the cluster stack creates; the plugin signs with the account
 * key (storageAccountKeyEnvVar), from a credentials file the Vault stack writes.
 */
export function azureBackupStorage(container: string, resourceGroup: string, storageAccount: string): BackupStorage {
  return {
    provider: 'azure',
    plugin: AZURE_PLUGIN,
    bucket: container,
    config: { resourceGroup, storageAccount, storageAccountKeyEnvVar: 'AZURE_STORAGE_ACCOUNT_ACCESS_KEY' },
    credentials: 'stack',
  };
}
