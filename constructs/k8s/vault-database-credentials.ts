import { Construct } from 'constructs';
import { Certificate, CertificateSpecPrivateKeyAlgorithm } from '../../imports/cert-manager.io';
import {
  ExternalSecret,
  ExternalSecretSpecDataFromSourceRefGeneratorRefKind,
  ExternalSecretSpecTargetCreationPolicy,
  ExternalSecretSpecTargetTemplateEngineVersion,
} from '../../imports/external-secrets.io';
import { VaultDynamicSecret, VaultDynamicSecretSpecProviderCaProviderType } from '../../imports/generators.external-secrets.io';
import { FactRegistry } from '../../lib/core/facts/registry';
import { SYNC_WAVE_ANNOTATION, WAVES } from '../../lib/core/facts/waves';
import {
  AppIdentity,
  INTERNAL_CA,
  VAULT_DATABASE_MOUNT,
  VAULT_IN_CLUSTER_ADDRESS,
  VAULT_K8S_AUTH_MOUNT,
  secretsServiceAccount,
  vaultRole,
} from '../../lib/core/vault-naming';
import { databaseRole } from '../vault/vault-platform-config';
import { propError } from '../props';

/** The annotation Reloader watches: a rolling restart whenever one of the named Secrets changes. */
export const RELOAD_ON_SECRETS_ANNOTATION = 'secret.reloader.stakater.com/reload';

/** The Secret a VaultDatabaseCredentials delivers for a cluster (`username`, `password`): chart facts name it before the construct exists. */
export function vaultCredentialsSecret(cluster: string): string {
  return `${cluster}-vault-creds`;
}

export interface VaultDatabaseCredentialsProps {
  /** The app whose Vault role may read this cluster's credentials (its `databases`). */
  readonly identity: AppIdentity;
  /** The CloudNativePG cluster, in the app's namespace. */
  readonly cluster: string;
  /**
   * How often a fresh login is issued. Each lease lives for the role's TTL (a day), so the previous login
   * stays valid for the rest of it while the consumers roll over to the new one.
   * @default '12h'
   */
  readonly refreshInterval?: string;
  /** Argo CD sync wave: after the cluster is up (Vault logs in to it), before the first consumer. @default WAVES.appServices */
  readonly syncWave?: number;
  /**
   * Also a `uri` key (`postgresql://user:password@host:5432/database?sslmode=require`) for clients that
   * take one URL. @default none: `username` and `password` only
   */
  readonly uri?: { readonly host: string; readonly database: string };
}

/**
 * Database credentials issued by Vault's database engine, per lease, delivered as a Secret (`username`,
 * `password`) by External Secrets' VaultDynamicSecret generator: the app logs in as a short-lived user
 * that acts as the database owner role, and no password in the cluster outlives a day. Consumers that
 * read it at start (env) restart on rotation through Reloader (`RELOAD_ON_SECRETS_ANNOTATION`).
 */
export class VaultDatabaseCredentials extends Construct {
  /** Name of the Secret with `username` and `password`. */
  readonly secret: string;

  constructor(scope: Construct, id: string, props: VaultDatabaseCredentialsProps) {
    super(scope, id);
    const interval = props.refreshInterval ?? '12h';
    const hours = /^(\d+)h$/.exec(interval);
    if (!hours || Number(hours[1]) < 1 || Number(hours[1]) > 23)
      throw propError(
        this,
        'refreshInterval',
        interval,
        'whole hours from 1h to 23h (a lease lives a day: the previous login must outlast the rollover)',
      );
    const ns = props.identity.namespace;
    FactRegistry.of(this).name('CRD group', 'generators.external-secrets.io', `${this.node.path} (VaultDynamicSecret)`);
    FactRegistry.of(this).name('CRD group', 'cert-manager.io', `${this.node.path} (Certificate)`);
    const wave = { [SYNC_WAVE_ANNOTATION]: String(props.syncWave ?? WAVES.appServices) };
    this.secret = vaultCredentialsSecret(props.cluster);

    // A namespaced generator reads Vault's CA from its own namespace: a certificate from the internal CA
    // carries that CA as ca.crt (the key itself is never used).
    const caSecret = `${props.cluster}-vault-ca`;
    new Certificate(this, 'vault-ca', {
      metadata: { name: caSecret, namespace: ns, annotations: wave },
      spec: {
        secretName: caSecret,
        commonName: `${props.identity.app}.${ns}.vault-client`,
        duration: '2160h',
        privateKey: { algorithm: CertificateSpecPrivateKeyAlgorithm.ECDSA, size: 256 },
        issuerRef: { name: INTERNAL_CA.issuer, kind: 'ClusterIssuer', group: 'cert-manager.io' },
      },
    });
    const generator = new VaultDynamicSecret(this, 'generator', {
      metadata: { name: this.secret, namespace: ns, annotations: wave },
      spec: {
        path: `${VAULT_DATABASE_MOUNT}/creds/${databaseRole(props.identity, props.cluster)}`,
        method: 'GET',
        provider: {
          server: VAULT_IN_CLUSTER_ADDRESS,
          caProvider: { type: VaultDynamicSecretSpecProviderCaProviderType.SECRET, name: caSecret, key: 'ca.crt' },
          auth: {
            kubernetes: {
              mountPath: VAULT_K8S_AUTH_MOUNT,
              role: vaultRole(props.identity),
              serviceAccountRef: { name: secretsServiceAccount(props.identity) },
            },
          },
        },
      },
    });
    new ExternalSecret(this, 'secret', {
      metadata: { name: this.secret, namespace: ns, annotations: wave },
      spec: {
        refreshInterval: interval,
        dataFrom: [
          {
            sourceRef: {
              generatorRef: {
                apiVersion: generator.apiVersion,
                kind: ExternalSecretSpecDataFromSourceRefGeneratorRefKind.VAULT_DYNAMIC_SECRET,
                name: generator.name,
              },
            },
          },
        ],
        target: {
          name: this.secret,
          creationPolicy: ExternalSecretSpecTargetCreationPolicy.OWNER,
          // Vault's generated passwords are letters, digits and dashes: safe in a URL unescaped.
          template: props.uri
            ? {
                engineVersion: ExternalSecretSpecTargetTemplateEngineVersion.V2,
                data: {
                  username: '{{ .username }}',
                  password: '{{ .password }}',
                  uri: `postgresql://{{ .username }}:{{ .password }}@${props.uri.host}:5432/${props.uri.database}?sslmode=require`,
                },
              }
            : undefined,
        },
      },
    });
  }
}
