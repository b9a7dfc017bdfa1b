import { Construct } from 'constructs';
import { FactRegistry } from '../../lib/core/facts/registry';
import {
  ClusterSecretStore,
  ClusterSecretStoreSpecProviderVaultCaProviderType,
  ClusterSecretStoreSpecProviderVaultVersion,
  ExternalSecret,
  ExternalSecretSpecSecretStoreRefKind,
  ExternalSecretSpecTargetCreationPolicy,
} from '../../imports/external-secrets.io';
import { k8s } from '../../lib/core/facade/k8s';
import { SYNC_WAVE_ANNOTATION, WAVES } from '../../lib/core/facts/waves';
import {
  AppIdentity,
  INTERNAL_CA,
  VAULT_IN_CLUSTER_ADDRESS,
  VAULT_K8S_AUTH_MOUNT,
  VAULT_KV_MOUNT,
  kvPath,
  secretStoreName,
  secretsServiceAccount,
  vaultRole,
} from '../../lib/core/vault-naming';
import { propError } from '../props';

export interface VaultAppSecretsProps {
  readonly identity: AppIdentity;
  /** Kubernetes Secrets to produce, each with the keys the app reads. */
  readonly secrets: ReadonlyArray<{ readonly name: string; readonly keys: ReadonlyArray<string>; readonly type?: string }>;
  /**
   * How often External Secrets re-reads Vault (rotation reaches pods within this interval).
   * @default '1h'
   */
  readonly refreshInterval?: string;
  /**
   * Argo CD sync wave of the store and the ExternalSecrets: no later than the wave of whatever reads
   * the Secrets, and after Vault's.
   * @default WAVES.appSecrets
   */
  readonly syncWave?: number;
}

/**
 * Secrets of one app, from Vault, through External Secrets. The store authenticates with the app's own
 * ServiceAccount, so Vault's role for that account and namespace (and its policy: this app's path
 * only) is the whole of what the app can read; the store serves ExternalSecrets of this namespace only.
 */
export class VaultAppSecrets extends Construct {
  constructor(scope: Construct, id: string, props: VaultAppSecretsProps) {
    super(scope, id);
    const a = props.identity;
    if (props.secrets.length === 0) throw propError(this, 'secrets', props.secrets, 'at least one Secret');
    FactRegistry.of(this).name('CRD group', 'external-secrets.io', `${this.node.path} (ExternalSecret)`);
    const serviceAccount = secretsServiceAccount(a);
    new k8s.KubeServiceAccount(this, 'service-account', {
      metadata: { name: serviceAccount, namespace: a.namespace, labels: { 'app.kubernetes.io/part-of': a.app } },
      automountServiceAccountToken: false,
    });
    const store = secretStoreName(a);
    const wave = { [SYNC_WAVE_ANNOTATION]: String(props.syncWave ?? WAVES.appSecrets) };
    new ClusterSecretStore(this, 'store', {
      metadata: { name: store, annotations: wave },
      spec: {
        conditions: [{ namespaces: [a.namespace] }],
        provider: {
          vault: {
            server: VAULT_IN_CLUSTER_ADDRESS,
            path: VAULT_KV_MOUNT,
            version: ClusterSecretStoreSpecProviderVaultVersion.V2,
            caProvider: {
              type: ClusterSecretStoreSpecProviderVaultCaProviderType.SECRET,
              name: INTERNAL_CA.secret,
              namespace: INTERNAL_CA.namespace,
              key: 'ca.crt',
            },
            auth: {
              kubernetes: {
                mountPath: VAULT_K8S_AUTH_MOUNT,
                role: vaultRole(a),
                serviceAccountRef: { name: serviceAccount, namespace: a.namespace },
              },
            },
          },
        },
      },
    });
    for (const secret of props.secrets) {
      new ExternalSecret(this, `secret-${secret.name}`, {
        metadata: { name: secret.name, namespace: a.namespace, annotations: wave },
        spec: {
          refreshInterval: props.refreshInterval ?? '1h',
          secretStoreRef: { kind: ExternalSecretSpecSecretStoreRefKind.CLUSTER_SECRET_STORE, name: store },
          target: {
            name: secret.name,
            creationPolicy: ExternalSecretSpecTargetCreationPolicy.OWNER,
            template: secret.type ? { type: secret.type } : undefined,
          },
          data: [...secret.keys].sort().map((key) => ({ secretKey: key, remoteRef: { key: kvPath(a, secret.name), property: key } })),
        },
      });
    }
  }
}
