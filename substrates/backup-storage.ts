import { BackupStorage } from '../contracts/platform';
import { Environment } from '../lib/core/model/schema';

/** Velero 1.15 (chart 8.2.0) and the object-store plugins of the same release line. */
const AWS_PLUGIN = { name: 'velero-plugin-for-aws', image: 'velero/velero-plugin-for-aws:v1.11.0' };
const AZURE_PLUGIN = { name: 'velero-plugin-for-microsoft-azure', image: 'velero/velero-plugin-for-microsoft-azure:v1.11.0' };

/** S3 in the cluster's region, in a bucket the cluster stack creates, reached as Velero's Pod Identity. */
export function s3BackupStorage(bucket: string, region: string): BackupStorage {
  return { provider: 'aws', plugin: AWS_PLUGIN, bucket, config: { region }, credentials: 'workload-identity' };
}

/**
 * An S3-compatible store (Ceph RGW, MinIO, Backblaze B2): path-style URLs at its endpoint, requests
 * signed for `region` (a label for RGW and MinIO, the store's own region for B2); without request
 * checksums (`checksumAlgorithm: ""`, plugin 1.9.2+) where the store rejects the SDK's checksum header.
 */
export function s3CompatibleBackupStorage(bucket: string, endpoint: string, region = 'us-east-1', requestChecksums = true): BackupStorage {
  return {
    provider: 'aws',
    plugin: AWS_PLUGIN,
    bucket,
    config: { region, s3ForcePathStyle: 'true', s3Url: endpoint, ...(requestChecksums ? {} : { checksumAlgorithm: '' }) },
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

/** `https://host[:port]` of an external service. */
export function serviceUrl(service: { host: string; port: number }): string {
  return `https://${service.host}${service.port === 443 ? '' : `:${service.port}`}`;
}

/**
 * The environment's offsite store (`backups`), on any substrate, or undefined when backups stay in the
 * substrate's own store. Validation has checked that the store names an external service.
 */
export function offsiteBackupStorage(env: Environment): BackupStorage | undefined {
  if (!env.backups) return undefined;
  const store = env.externalServices.find((s) => s.name === env.backups!.store);
  return s3CompatibleBackupStorage(env.backups.bucket, store ? serviceUrl(store) : '', env.backups.region, env.backups.requestChecksums);
}
