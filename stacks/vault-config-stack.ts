import { Construct } from 'constructs';
import { VaultProvider } from '@cdktf/provider-vault/lib/provider';
import { ADD_ON_CATALOGUE } from '../addons/catalogue';
import { VELERO_CREDENTIALS_SECRET } from '../addons/data';
import { vaultAccessOf } from '../apps';
import { VaultAppAccess, VaultPlatformConfig } from '../constructs/vault/vault-platform-config';
import { Environment } from '../lib/core/model/schema';
import { ClusterConnection } from '../contracts/substrate';
import { TERRAFORM_VAULT_ADDRESS } from '../lib/core/vault-naming';
import { ParityStack } from '../constructs/terraform/parity-stack';
import { substrateFor } from '../substrates';
import { privateAccessVaultAccess } from './private-access';

export interface VaultConfigStackProps {
  readonly env: Environment;
  readonly connection: ClusterConnection;
  /** Velero's credentials file from the cluster stack, where the backup store uses a key. @default none */
  readonly backupCredentials?: string;
}

/** Everything of the environment that reads from Vault: apps, add-ons and private access. */
export function vaultAccesses(env: Environment): VaultAppAccess[] {
  const substrate = { backupStorage: substrateFor(env.substrate.kind).backupStorage(env) };
  const addOns = env.addons.flatMap((id) => ADD_ON_CATALOGUE.get(id)?.vaultAccess?.(env, substrate) ?? []);
  return [...env.apps.map(vaultAccessOf), ...addOns, ...privateAccessVaultAccess(env)].filter((a) => a.secrets.length > 0 || a.databases.length > 0);
}

/**
 * Vault's configuration per environment, applied once Argo CD has Vault running and it is
 * initialised. The token comes from VAULT_TOKEN in the caller's environment, never from config.
 */
export class VaultConfigStack extends ParityStack {
  constructor(scope: Construct, props: VaultConfigStackProps) {
    const { env, connection } = props;
    super(scope, {
      env,
      stackId: 'vault',
      description: 'Vault: KV, Kubernetes auth, per-app policies and roles, database engine, audit',
      fromNetwork: true,
      checks: [
        'vault secrets list && vault auth list   # kv/ and kubernetes/ exist',
        'kubectl get externalsecrets -A   # SecretSynced once their inputs are in Vault',
      ],
    });
    new VaultProvider(this, 'vault', { address: TERRAFORM_VAULT_ADDRESS });
    // Every cluster stack exports its CA (the kubeadm one generates it), so nothing is copied off a host.
    const caCert = connection.clusterCaCertificate;
    if (!caCert)
      throw new Error(`environment ${env.name}: the ${env.substrate.kind} cluster connection has no CA certificate for Vault's Kubernetes auth`);
    const provided =
      props.backupCredentials && env.addons.includes('velero')
        ? [
            {
              identity: VELERO_CREDENTIALS_SECRET.identity,
              secret: VELERO_CREDENTIALS_SECRET.secret,
              data: { [VELERO_CREDENTIALS_SECRET.key]: props.backupCredentials },
            },
          ]
        : [];
    new VaultPlatformConfig(this, 'platform', { kubernetesHost: connection.host, kubernetesCaCert: caCert, apps: vaultAccesses(env), provided });
  }
}
