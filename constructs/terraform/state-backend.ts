import { Construct } from 'constructs';
import { AzurermBackend, LocalBackend, PgBackend, S3Backend } from '../../lib/core/facade/tf';
import { StateBackendConfig } from '../../lib/core/model/schema';

/**
 * Remote state per environment and stack. State is encrypted at rest everywhere; credentials are never
 * part of the configuration (AWS/Azure identities from the caller's session, PG_CONN_STR for pg).
 */
export function configureStateBackend(stack: Construct, config: StateBackendConfig, envName: string, stackId: string): void {
  switch (config.kind) {
    case 's3': {
      const backend = new S3Backend(stack, {
        bucket: config.bucket,
        key: `${config.keyPrefix}/${envName}/${stackId}.tfstate`,
        region: config.region,
        encrypt: true,
        kmsKeyId: config.kmsKeyId,
        // S3-compatible stores on-prem (Ceph RGW, MinIO) need path-style URLs and no AWS-only checks.
        ...(config.endpoint
          ? {
              endpoints: { s3: config.endpoint },
              usePathStyle: true,
              skipCredentialsValidation: true,
              skipRegionValidation: true,
              skipRequestingAccountId: true,
            }
          : {}),
      });
      // Native S3 locking (Terraform >= 1.10) replaces the DynamoDB lock table; cdktf 0.21 has no typed prop for it.
      backend.addOverride('use_lockfile', true);
      return;
    }
    case 'azurerm':
      new AzurermBackend(stack, {
        resourceGroupName: config.resourceGroupName,
        storageAccountName: config.storageAccountName,
        containerName: config.containerName,
        key: `${config.keyPrefix}/${envName}/${stackId}.tfstate`,
        useAzureadAuth: true,
      });
      return;
    case 'pg': {
      // The typed config insists on conn_str, but it holds the password: drop it so Terraform reads PG_CONN_STR.
      const backend = new PgBackend(stack, { connStr: 'set-by-PG_CONN_STR', schemaName: `${config.schemaName}_${stackId.replace(/-/g, '_')}` });
      backend.addOverride('conn_str', undefined);
      return;
    }
    case 'local':
      new LocalBackend(stack, { path: `terraform.${envName}-${stackId}.tfstate` });
      return;
  }
}
