import { EXTERNAL_DNS_IMAGES } from './chart-images';
import { VaultAppSecrets } from '../constructs/k8s/vault-app-secrets';
import type { VaultAppAccess } from '../constructs/vault/vault-platform-config';
import { ChartFacts, ChartWorkload, chartWorkloadPeer } from '../lib/core/facts/chart-facts';
import { WAVES } from '../lib/core/facts/waves';
import { Environment } from '../lib/core/model/schema';
import { HelmAddOn } from './helm-addon';

const NS = 'external-dns';
type DnsConfig = NonNullable<Environment['dns']>;

/** What each provider needs: the Vault secret a person writes, how the pod reads it, the API it calls. */
const PROVIDERS = {
  cloudflare: {
    secret: { name: 'cloudflare-api-token', key: 'api-token' },
    apiHosts: ['api.cloudflare.com'],
  },
  google: {
    // A service account key with roles/dns.admin on the project (no workload identity off Google Cloud).
    secret: { name: 'google-dns-credentials', key: 'credentials.json' },
    apiHosts: ['dns.googleapis.com', 'oauth2.googleapis.com'],
  },
} as const;

const WORKLOAD: ChartWorkload = {
  name: 'external-dns',
  kind: 'Deployment',
  podSecurity: 'restricted',
  podLabels: { 'app.kubernetes.io/name': 'external-dns', 'app.kubernetes.io/instance': 'external-dns' },
};

function dnsConfig(env: Environment): DnsConfig {
  if (!env.dns) throw new Error(`environment ${env.name}: the external-dns add-on needs a dns: section (checked by validation)`);
  return env.dns;
}

/** The names external-dns may write: the configured zones, or the ingress domain. */
export function dnsZones(env: Environment): string[] {
  const cfg = dnsConfig(env);
  return [...(cfg.zones ?? (env.access.kind === 'ingress' ? [env.access.ingressDomain] : []))];
}

function vaultAccess(env: Environment): VaultAppAccess {
  const { secret } = PROVIDERS[dnsConfig(env).provider];
  return { identity: { app: 'external-dns', namespace: NS }, secrets: [{ name: secret.name, keys: [secret.key], generated: false }], databases: [] };
}

function values(env: Environment) {
  const cfg = dnsConfig(env);
  const { secret } = PROVIDERS[cfg.provider];
  const credentials =
    cfg.provider === 'cloudflare'
      ? { env: [{ name: 'CF_API_TOKEN', valueFrom: { secretKeyRef: { name: secret.name, key: secret.key } } }], extraArgs: [] as string[] }
      : {
          env: [{ name: 'GOOGLE_APPLICATION_CREDENTIALS', value: `/etc/google/${secret.key}` }],
          extraArgs: [`--google-project=${cfg.project}`, '--google-zone-visibility=public'],
          extraVolumes: [{ name: 'google-credentials', secret: { secretName: secret.name } }],
          extraVolumeMounts: [{ name: 'google-credentials', mountPath: '/etc/google', readOnly: true }],
        };
  return {
    image: { tag: 'v0.15.0' },
    provider: { name: cfg.provider },
    // The routes of both entries: Ingresses, and HTTPRoutes where the environment runs the Gateway.
    sources: ['ingress', ...(env.addons.includes('gateway') ? ['gateway-httproute'] : [])],
    domainFilters: dnsZones(env),
    // Deletes the records of routes that go away, and only records this cluster owns (TXT registry). The
    // TXT records sit under a prefix: a CNAME (an NLB's hostname) cannot share its name with a TXT record.
    policy: 'sync',
    registry: 'txt',
    txtOwnerId: env.cluster.name,
    txtPrefix: '_externaldns.',
    interval: '1m',
    resources: { requests: { cpu: '50m', memory: '64Mi' }, limits: { cpu: '200m', memory: '256Mi' } },
    ...credentials,
  };
}

/**
 * external-dns: the routes' hosts as public DNS records pointing at the ingress load balancer, so a
 * public environment needs no hand-made records before its ACME HTTP-01 certificates can issue. The
 * provider's credential is read from Vault through External Secrets.
 */
export const externalDns = new HelmAddOn({
  id: 'external-dns',
  description: 'external-dns: public DNS records for the routes (Cloudflare or Google Cloud DNS)',
  namespace: NS,
  syncWave: WAVES.clusterServices,
  requires: ['external-secrets', 'vault'],
  chart: () => ({ repoURL: 'https://kubernetes-sigs.github.io/external-dns', chart: 'external-dns', version: '1.15.0', images: EXTERNAL_DNS_IMAGES }),
  values: ({ env }) => values(env),
  vaultAccess: (env) => [vaultAccess(env)],
  // The pod reads its credential at start: it must exist by the end of this wave.
  extras: (chart, { env }) => {
    new VaultAppSecrets(chart, 'credentials', { ...vaultAccess(env), syncWave: WAVES.clusterServices });
  },
  facts: ({ env }): ChartFacts => {
    const provider = PROVIDERS[dnsConfig(env).provider];
    const peer = chartWorkloadPeer(NS, WORKLOAD);
    return {
      crds: [{ group: 'externaldns.k8s.io', kinds: ['DNSEndpoint'] }],
      workloads: [{ ...WORKLOAD, readsSecrets: [provider.secret.name] }],
      services: [{ name: 'external-dns', ports: [{ port: 7979, targetPort: 7979 }], workload: 'external-dns' }],
      connections: [
        {
          from: peer,
          to: { kind: 'api-server' },
          ports: [],
          purpose: env.addons.includes('gateway') ? 'watches Ingresses, Gateways and HTTPRoutes' : 'watches Ingresses',
        },
        ...provider.apiHosts.map((host) => ({
          from: peer,
          to: { kind: 'external' as const, host },
          ports: [{ port: 443 }],
          purpose: `${dnsConfig(env).provider} DNS API`,
        })),
      ],
    };
  },
  connect: (facts) => facts.scrape(chartWorkloadPeer(NS, WORKLOAD), 7979, 'add-on external-dns'),
});
