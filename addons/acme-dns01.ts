import type { VaultAppAccess } from '../constructs/vault/vault-platform-config';
import type { ClusterIssuerSpecAcmeSolversDns01 } from '../imports/cert-manager.io';

/** Where ACME DNS-01 challenges are answered: the zone's DNS provider (environment `dns01:`). */
export type Dns01Provider = { readonly provider: 'cloudflare' } | { readonly provider: 'google'; readonly project: string };

/**
 * The credential cert-manager's DNS-01 solver reads from its own namespace, which a person writes to
 * Vault (`kv/cert-manager/dns01/<secret>`): a Cloudflare API token (Zone:DNS:Edit on the zone), or a
 * Google service account key with roles/dns.admin on the project (no workload identity off Google Cloud).
 */
export const DNS01_CREDENTIALS = {
  cloudflare: { secret: 'cloudflare-api-token', key: 'api-token', apiHosts: ['api.cloudflare.com'] },
  google: { secret: 'google-dns01-credentials', key: 'credentials.json', apiHosts: ['dns.googleapis.com', 'oauth2.googleapis.com'] },
} as const;

/** cert-manager's solver for the provider (v1 ACMEChallengeSolverDNS01). */
export function dns01Solver(d: Dns01Provider): ClusterIssuerSpecAcmeSolversDns01 {
  const c = DNS01_CREDENTIALS[d.provider];
  return d.provider === 'cloudflare'
    ? { cloudflare: { apiTokenSecretRef: { name: c.secret, key: c.key } } }
    : { cloudDns: { project: d.project, serviceAccountSecretRef: { name: c.secret, key: c.key } } };
}

/** What cert-manager's DNS-01 solver reads from Vault. */
export function dns01VaultAccess(d: Dns01Provider): VaultAppAccess {
  const c = DNS01_CREDENTIALS[d.provider];
  return { identity: { app: 'dns01', namespace: 'cert-manager' }, secrets: [{ name: c.secret, keys: [c.key], generated: false }], databases: [] };
}
