import { Construct } from 'constructs';
import { KvSecretV2 } from '@cdktf/provider-vault/lib/kv-secret-v2';
import { VaultProvider } from '@cdktf/provider-vault/lib/provider';
import { INGRESS_NGINX_CHART, ingressControllerPeer, ingressNginxConfig, ingressNginxFacts } from '../addons/core';
import { TAILSCALE_NAMESPACE } from '../addons/networking';
import { dns01Solver, dns01VaultAccess } from '../addons/acme-dns01';
import { ChartFacts } from '../lib/core/facts/chart-facts';
import { WAVES, waveAnnotation } from '../lib/core/facts/waves';
import { FactRegistry } from '../lib/core/facts/registry';
import { HelmApplication } from '../constructs/k8s/helm-application';
import { PlatformNamespace } from '../constructs/k8s/platform-namespace';
import { SplitDnsServer } from '../constructs/k8s/split-dns-server';
import { VaultAppSecrets } from '../constructs/k8s/vault-app-secrets';
import { TailscaleProvider } from '../constructs/tailscale/tailscale-provider';
import { DnsSplitNameservers, TailnetKey, TailnetPolicy, TailscaleAcl } from '../constructs/tailscale/tailnet-resources';
import type { VaultAppAccess } from '../constructs/vault/vault-platform-config';
import { Certificate, ClusterIssuer } from '../imports/cert-manager.io';
import { Connector } from '../imports/tailscale.com';
import { Chart } from '../lib/core/facade/k8s';
import { Fn } from '../lib/core/facade/tf';
import { Environment } from '../lib/core/model/schema';
import { hostDomain } from '../lib/core/model/hosts';
import { advertisedRoutes } from './tailnet';
import { nthAddress } from '../lib/core/util/cidr';
import { VAULT_KV_MOUNT, kvPath, TERRAFORM_VAULT_ADDRESS } from '../lib/core/vault-naming';
import { substrateFor } from '../substrates';
import { ParityStack } from '../constructs/terraform/parity-stack';

export const PRIVATE_ACCESS_NAMESPACE = 'private-access';
export const SUBNET_ROUTER_TAG = 'tag:k8s-subnet-router';
export const OPERATOR_TAG = 'tag:k8s-operator';
const DNS01_ISSUER = 'letsencrypt-dns01';
/** Release name of the internal gateway (an ingress-nginx serving class `nginx-internal`). */
export const INTERNAL_GATEWAY = 'internal-gateway';
export const INTERNAL_INGRESS_CLASS = 'nginx-internal';
const WILDCARD_SECRET = 'internal-wildcard-tls';

type TailscaleAccess = Extract<Environment['access'], { kind: 'tailscale' }>;

function tailscale(env: Environment): TailscaleAccess {
  if (env.access.kind !== 'tailscale') throw new Error(`environment ${env.name} is not reached through Tailscale`);
  return env.access;
}

/** Fixed addresses in the (advertised) service range: the split-DNS server and the internal gateway. */
export function privateAddresses(env: Environment): { dns: string; gateway: string } {
  return { dns: nthAddress(env.cluster.serviceCidr, 53), gateway: nthAddress(env.cluster.serviceCidr, 80) };
}

/**
 * The tailnet policy for every environment on one tailnet. A tailnet has a single policy document, so
 * each environment's stack renders the same one from all of them: applying any of them converges.
 */
export function tailnetPolicy(peers: ReadonlyArray<Environment>, tailnet: string): TailnetPolicy {
  const envs = peers.filter((e) => e.access.kind === 'tailscale' && e.access.tailnet === tailnet).sort((a, b) => (a.name < b.name ? -1 : 1));
  const routes: Record<string, string[]> = {};
  const grants: TailnetPolicy['grants'] = [];
  for (const env of envs) {
    const cidrs = advertisedRoutes(env, substrateFor(env.substrate.kind)).map((r) => r.cidr);
    for (const c of cidrs) routes[c] = [SUBNET_ROUTER_TAG];
    grants.push({ src: tailscale(env).operatorGroups.map((g) => `group:${g}`), dst: cidrs, ip: ['*'] });
  }
  return {
    tagOwners: { [OPERATOR_TAG]: ['autogroup:admin'], [SUBNET_ROUTER_TAG]: ['autogroup:admin', OPERATOR_TAG] },
    autoApprovers: { routes },
    grants,
  };
}

/** Platform components that read from Vault on private environments: DNS-01 token, operator OAuth client. */
export function privateAccessVaultAccess(env: Environment): VaultAppAccess[] {
  if (env.access.kind !== 'tailscale') return [];
  return [
    dns01VaultAccess(tailscale(env).dns01),
    {
      identity: { app: 'operator', namespace: TAILSCALE_NAMESPACE },
      secrets: [{ name: 'operator-oauth', keys: ['client_id', 'client_secret'], generated: false }],
      databases: [],
    },
  ];
}

/** The internal gateway as a published workload (ingress class `nginx-internal`), before anything installs. */
export function publishPrivateAccess(facts: FactRegistry, env: Environment): void {
  if (env.access.kind !== 'tailscale') return;
  facts.provideWorkload(
    `ingress-controller:${INTERNAL_INGRESS_CLASS}`,
    ingressControllerPeer(PRIVATE_ACCESS_NAMESPACE, INTERNAL_GATEWAY),
    'private access',
  );
}

/** What the internal gateway's chart runs, for the rehearsal (same chart as the ingress-nginx add-on). */
export function privateAccessChartFacts(): ChartFacts {
  return ingressNginxFacts(PRIVATE_ACCESS_NAMESPACE, INTERNAL_GATEWAY, INTERNAL_INGRESS_CLASS);
}

/**
 * Private access inside the cluster (Axiom design): a Connector advertising the environment's routes, a
 * split-DNS server answering `*.<internalDomain>` with the internal gateway, and that gateway (a second
 * ingress-nginx, ClusterIP only) serving a wildcard certificate issued by ACME DNS-01.
 */
export function buildPrivateAccessManifests(chart: Chart, env: Environment): void {
  const access = tailscale(env);
  const zone = access.internalDomain;
  const ip = privateAddresses(env);
  const ns = PRIVATE_ACCESS_NAMESPACE;

  new PlatformNamespace(chart, 'namespace', {
    name: ns,
    description: 'Internal gateway and split DNS for tailnet clients',
    podSecurity: 'restricted',
    quota: { requestsCpu: '2', requestsMemory: '2Gi', limitsCpu: '4', limitsMemory: '4Gi', pods: 20, gpus: 0 },
    containerDefaults: { requestCpu: '100m', requestMemory: '128Mi', limitCpu: '500m', limitMemory: '512Mi', maxCpu: '2', maxMemory: '2Gi' },
    rbac: { admins: [], editors: [], viewers: [] },
  });

  // The operator mounts its OAuth client: it must exist by the end of the operator's wave.
  for (const a of privateAccessVaultAccess(env)) {
    new VaultAppSecrets(chart, `vault-${a.identity.app}`, {
      identity: a.identity,
      secrets: a.secrets,
      syncWave: a.identity.namespace === TAILSCALE_NAMESPACE ? WAVES.operators : undefined,
    });
  }

  new ClusterIssuer(chart, 'dns01-issuer', {
    metadata: { name: DNS01_ISSUER, annotations: waveAnnotation('internalCa') },
    spec: {
      acme: {
        server: 'https://acme-v02.api.letsencrypt.org/directory',
        email: access.dns01.acmeEmail,
        privateKeySecretRef: { name: `${DNS01_ISSUER}-account-key` },
        solvers: [{ selector: { dnsZones: [zone] }, dns01: dns01Solver(access.dns01) }],
      },
    },
  });
  new Certificate(chart, 'wildcard', {
    metadata: { name: 'internal-wildcard', namespace: ns },
    spec: {
      secretName: WILDCARD_SECRET,
      dnsNames: [zone, `*.${zone}`],
      issuerRef: { name: DNS01_ISSUER, kind: 'ClusterIssuer', group: 'cert-manager.io' },
    },
  });

  new HelmApplication(chart, 'internal-gateway', {
    name: INTERNAL_GATEWAY,
    chart: INGRESS_NGINX_CHART,
    destinationNamespace: ns,
    syncWave: WAVES.internalGateway,
    values: {
      controller: {
        replicaCount: 2,
        ingressClass: INTERNAL_INGRESS_CLASS,
        ingressClassResource: { name: INTERNAL_INGRESS_CLASS, controllerValue: 'k8s.io/internal-gateway', default: false },
        service: { type: 'ClusterIP', clusterIP: ip.gateway },
        extraArgs: { 'default-ssl-certificate': `${ns}/${WILDCARD_SECRET}` },
        config: ingressNginxConfig(),
        metrics: { enabled: true },
      },
    },
  });

  const subnetRouter = FactRegistry.of(chart).workload('tailscale-connector', 'private access (split DNS, internal gateway)');
  new SplitDnsServer(chart, 'split-dns', { namespace: ns, zone, answer: ip.gateway, clusterIp: ip.dns, queriedBy: subnetRouter });
  const gateway = ingressControllerPeer(ns, INTERNAL_GATEWAY);
  FactRegistry.of(chart).connect(
    { from: subnetRouter, to: gateway, ports: [{ port: 443 }, { port: 80 }], purpose: 'tailnet clients reach internal routes' },
    'private access',
  );

  new Connector(chart, 'connector', {
    metadata: { name: `${env.cluster.name}-subnet-router` },
    spec: {
      hostname: `${env.cluster.name}-subnet-router`,
      tags: [SUBNET_ROUTER_TAG],
      subnetRouter: { advertiseRoutes: advertisedRoutes(env, substrateFor(env.substrate.kind)).map((r) => r.cidr) },
    },
  });
}

export interface TailnetStackProps {
  readonly env: Environment;
  /** Every environment, for the tailnet-wide policy. */
  readonly peers: ReadonlyArray<Environment>;
}

/** Tailnet side: the policy (auto-approved routes, grants), the subnet router's auth key into Vault, split DNS. */
export class TailnetStack extends ParityStack {
  constructor(scope: Construct, props: TailnetStackProps) {
    const { env } = props;
    super(scope, {
      env,
      stackId: 'tailnet',
      description: 'Tailnet policy, subnet-router auth key in Vault, split DNS',
      fromNetwork: true,
      checks: [
        'tailscale status   # the subnet router of the cluster is online',
        `nslookup argocd.${hostDomain(env)}   # resolves through split DNS`,
      ],
    });
    const access = tailscale(env);
    new TailscaleProvider(this, 'tailscale', { tailnet: access.tailnet });
    const acl = new TailscaleAcl(this, 'policy', { policy: tailnetPolicy(props.peers, access.tailnet) });
    // A tagged key can only be minted once the policy names the tag's owners.
    const key = new TailnetKey(this, 'subnet-router-key', { tags: [SUBNET_ROUTER_TAG], description: `${env.name} subnet router`, dependsOn: [acl] });
    new VaultProvider(this, 'vault', { address: TERRAFORM_VAULT_ADDRESS });
    new KvSecretV2(this, 'subnet-router-key-in-vault', {
      mount: VAULT_KV_MOUNT,
      name: kvPath({ app: 'subnet-router', namespace: 'tailscale' }, 'authkey'),
      dataJson: Fn.jsonencode({ authkey: key.key }),
    });
    new DnsSplitNameservers(this, 'split-dns', { domain: access.internalDomain, nameservers: [privateAddresses(env).dns] });
  }
}
