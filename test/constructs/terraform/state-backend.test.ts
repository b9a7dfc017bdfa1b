import { configureStateBackend } from '../../../constructs/terraform/state-backend';
import { synthTf, tfStack } from '../helpers';

const backend = (config: any) => {
  const s = tfStack();
  configureStateBackend(s, config, 'dev', 'cluster');
  return synthTf(s).terraform.backend;
};

describe('configureStateBackend', () => {
  it('s3: encrypted, natively locked, one key per environment and stack', () => {
    expect(backend({ kind: 's3', bucket: 'tf', region: 'eu-west-1', keyPrefix: 'parity' }).s3).toEqual({
      bucket: 'tf',
      key: 'parity/dev/cluster.tfstate',
      region: 'eu-west-1',
      encrypt: true,
      use_lockfile: true,
    });
  });

  it('s3 on an S3-compatible store: path-style URLs and no AWS-only checks', () => {
    expect(backend({ kind: 's3', bucket: 'tf', region: 'us-east-1', keyPrefix: 'parity', endpoint: 'https://rgw.lab' }).s3).toMatchObject({
      endpoints: { s3: 'https://rgw.lab' },
      use_path_style: true,
      skip_credentials_validation: true,
    });
  });

  it('azurerm with Entra ID auth, pg without the connection string (read from PG_CONN_STR), local for trials', () => {
    expect(
      backend({ kind: 'azurerm', resourceGroupName: 'rg', storageAccountName: 'sa', containerName: 'tf', keyPrefix: 'parity' }).azurerm,
    ).toMatchObject({ key: 'parity/dev/cluster.tfstate', use_azuread_auth: true });
    const pg = backend({ kind: 'pg', schemaName: 'parity' }).pg;
    expect(pg).toEqual({ schema_name: 'parity_cluster' });
    expect(backend({ kind: 'local' }).local).toEqual({ path: 'terraform.dev-cluster.tfstate' });
  });
});
