/**
 * Names shared by the Vault configuration stack (Terraform) and the manifests (External Secrets):
 * both sides must agree, so they come from here only.
 */
export const VAULT_NAMESPACE = 'vault';
export const VAULT_KV_MOUNT = 'kv';
export const VAULT_K8S_AUTH_MOUNT = 'kubernetes';
export const VAULT_DATABASE_MOUNT = 'database';
export const VAULT_PASSWORD_POLICY = 'parity-generated';
/** In-cluster address of the Vault service (TLS from the internal CA). */
export const VAULT_IN_CLUSTER_ADDRESS = 'https://vault.vault.svc:8200';
/** Secret (in cert-manager's namespace) holding the internal CA certificate that signs Vault's TLS. */
export const INTERNAL_CA = { issuer: 'parity-internal-ca', secret: 'parity-internal-ca', namespace: 'cert-manager' } as const;

/** One identity per app and namespace: the unit Vault policies and roles are scoped to. */
export interface AppIdentity {
  readonly app: string;
  readonly namespace: string;
}

export const vaultRole = (a: AppIdentity) => `${a.namespace}-${a.app}`;
/** Each app's policy has its role's name. */
export const vaultPolicy = (a: AppIdentity) => vaultRole(a);
/** ServiceAccount External Secrets authenticates to Vault as, on behalf of the app. */
export const secretsServiceAccount = (a: AppIdentity) => `${a.app}-secrets`;
export const secretStoreName = (a: AppIdentity) => `vault-${a.namespace}-${a.app}`;
/** KV v2 path (below the mount) of one Secret of the app. */
export const kvPath = (a: AppIdentity, secret: string) => `${a.namespace}/${a.app}/${secret}`;
/** Everything below this prefix belongs to the app, and nothing else does. */
export const kvPrefix = (a: AppIdentity) => `${a.namespace}/${a.app}/`;

/**
 * Where Terraform reaches Vault: a port-forward to the `vault` Service from the runner that already
 * reaches the API server (`kubectl -n vault port-forward svc/vault 8200:8200`, opened by `npm run
 * deploy`). Vault is never exposed on an ingress for Terraform; its serving certificate names 127.0.0.1
 * and is verified against the internal CA (VAULT_CACERT).
 */
export const TERRAFORM_VAULT_ADDRESS = 'https://127.0.0.1:8200';
export const VAULT_PORT_FORWARD = ['kubectl', '-n', 'vault', 'port-forward', 'svc/vault', '8200:8200'] as const;
