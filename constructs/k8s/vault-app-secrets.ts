import { Construct } from 'constructs';
import { FactRegistry } from '../../lib/core/facts/registry';
import {
  ClusterSecretStore,
  ClusterSecretStoreSpecProviderVaultCaProviderType,
  ClusterSecretStoreSpecProviderVaultVersion,
  ExternalSecret,
  ExternalSecretSpecSecretStoreRefKind,
  ExternalSecretSpecTargetCreationPolicy,
  ExternalSecretSpecTargetTemplate,
  ExternalSecretSpecTargetTemplateEngineVersion,
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
import type { ChartSecretMount } from '../../lib/core/chart-secret-values';
import { propError } from '../props';

export interface VaultAppSecretsProps {
  readonly identity: AppIdentity;
  /** Kubernetes Secrets to produce, each with the keys the app reads. */
  readonly secrets: ReadonlyArray<{
    readonly name: string;
    readonly keys: ReadonlyArray<string>;
    readonly type?: string;
    /** Sync it into the app's namespace; false for a secret only `chartSecrets` read. @default true */
    readonly sync?: boolean;
    /**
     * More keys of the Kubernetes Secret, computed from the Vault keys by External Secrets' template
     * engine (v2, with sprig's functions: `trunc`, `htpasswd`), e.g. a value of the length a chart demands
     * or a password's bcrypt hash. @default none
     */
    readonly templates?: Readonly<Record<string, string>>;
  }>;
  /**
   * Secrets of the app's vendor chart for Argo CD's secret-values plugin, synced into `argoNamespace`
   * from the app's Vault secrets (the store then serves that namespace too, for these only). @default []
   */
  readonly chartSecrets?: ReadonlyArray<ChartSecretMount>;
  /** Argo CD's namespace, where `chartSecrets` go. @default 'argocd' */
  readonly argoNamespace?: string;
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

/** The target Secret's template: its type, and with `templates` every key rendered (the Vault keys as they are). */
function secretTemplate(secret: VaultAppSecretsProps['secrets'][number]): ExternalSecretSpecTargetTemplate | undefined {
  const templates = Object.entries(secret.templates ?? {});
  if (!templates.length) return secret.type ? { type: secret.type } : undefined;
  return {
    ...(secret.type ? { type: secret.type } : {}),
    engineVersion: ExternalSecretSpecTargetTemplateEngineVersion.V2,
    data: Object.fromEntries([...[...secret.keys].sort().map((k) => [k, `{{ .${k} }}`]), ...templates.sort(([a], [b]) => (a < b ? -1 : 1))]),
  };
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
    const wave = { [SYNC_WAVE_ANNOTATION]: String(props.syncWave ?? WAVES.appSecrets) };
    // In the store's wave: the store logs in with this account, and the wave's ExternalSecrets turn
    // healthy only once it has (a later wave would never come).
    new k8s.KubeServiceAccount(this, 'service-account', {
      metadata: { name: serviceAccount, namespace: a.namespace, labels: { 'app.kubernetes.io/part-of': a.app }, annotations: wave },
      automountServiceAccountToken: false,
    });
    const store = secretStoreName(a);
    const chartSecrets = props.chartSecrets ?? [];
    const argoNamespace = props.argoNamespace ?? 'argocd';
    new ClusterSecretStore(this, 'store', {
      metadata: { name: store, annotations: wave },
      spec: {
        conditions: [{ namespaces: [a.namespace, ...(chartSecrets.length ? [argoNamespace] : [])] }],
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
    for (const secret of props.secrets.filter((x) => x.sync !== false)) {
      new ExternalSecret(this, `secret-${secret.name}`, {
        metadata: { name: secret.name, namespace: a.namespace, annotations: wave },
        spec: {
          refreshInterval: props.refreshInterval ?? '1h',
          secretStoreRef: { kind: ExternalSecretSpecSecretStoreRefKind.CLUSTER_SECRET_STORE, name: store },
          target: {
            name: secret.name,
            creationPolicy: ExternalSecretSpecTargetCreationPolicy.OWNER,
            template: secretTemplate(secret),
          },
          data: [...secret.keys].sort().map((key) => ({ secretKey: key, remoteRef: { key: kvPath(a, secret.name), property: key } })),
        },
      });
    }
    const known = new Map(props.secrets.map((s) => [s.name, new Set(s.keys)]));
    for (const cs of chartSecrets) {
      for (const v of cs.values)
        if (!known.get(v.vaultSecret)?.has(v.property))
          throw propError(
            this,
            'chartSecrets',
            `${cs.secret}: ${v.vaultSecret}.${v.property}`,
            "a key of one of the app's own Vault secrets (secrets)",
          );
      new ExternalSecret(this, `chart-secret-${cs.application}`, {
        metadata: { name: cs.secret, namespace: argoNamespace, labels: { 'app.kubernetes.io/part-of': a.app }, annotations: wave },
        spec: {
          refreshInterval: props.refreshInterval ?? '1h',
          secretStoreRef: { kind: ExternalSecretSpecSecretStoreRefKind.CLUSTER_SECRET_STORE, name: store },
          target: { name: cs.secret, creationPolicy: ExternalSecretSpecTargetCreationPolicy.OWNER },
          data: cs.values.map((v) => ({ secretKey: v.key, remoteRef: { key: kvPath(a, v.vaultSecret), property: v.property } })),
        },
      });
    }
  }
}
