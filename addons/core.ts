import { CERT_MANAGER_IMAGES, INGRESS_NGINX_IMAGES, METRICS_SERVER_IMAGES } from './chart-images';
import { PinnedChart } from '../constructs/k8s/helm-application';
import { Certificate, CertificateSpecPrivateKeyAlgorithm, ClusterIssuer } from '../imports/cert-manager.io';
import { INTERNAL_CA } from '../lib/core/vault-naming';
import { Chart } from '../lib/core/facade/k8s';
import { AddOnContext } from '../contracts/addon';
import { ARGO_CD_CHART, argoCdValues } from './argo-cd';
import { HelmAddOn } from './helm-addon';
import { DNS01_CREDENTIALS, dns01Solver, dns01VaultAccess } from './acme-dns01';
import { VaultAppSecrets } from '../constructs/k8s/vault-app-secrets';
import type { VaultAppAccess } from '../constructs/vault/vault-platform-config';
import { ingressLoadBalancer } from './load-balancer';
import { Environment } from '../lib/core/model/schema';
import { WAVES, waveAnnotation } from '../lib/core/facts/waves';
import { workloadPeer } from '../lib/core/facts/connections';
import { ChartFacts, ChartWorkload, chartWorkloadPeer } from '../lib/core/facts/chart-facts';

export const argoCd = new HelmAddOn<ReturnType<typeof argoCdValues>>({
  id: 'argo-cd',
  description: 'Argo CD manages itself after the bootstrap stack installed it (same chart and values)',
  namespace: 'argocd',
  syncWave: WAVES.argoCd,
  chart: () => ARGO_CD_CHART,
  values: ({ env, chartSecrets }) => argoCdValues(env, chartSecrets),
  syncOptions: ['ServerSideApply=true'],
  // The chart's names with release argo-cd and nameOverride argocd; the server serves TLS on 8080.
  userInterface: {
    hostLabel: 'argocd',
    service: { name: 'argo-cd-argocd-server', port: 443 },
    target: {
      workload: workloadPeer('argocd', 'argocd-server', { 'app.kubernetes.io/name': 'argocd-server', 'app.kubernetes.io/instance': 'argo-cd' }),
      port: 8080,
    },
    backendProtocol: 'HTTPS',
  },
  facts: () => ({ crds: [{ group: 'argoproj.io', kinds: ['Application', 'ApplicationSet', 'AppProject'] }] }),
});

export const metricsServer = new HelmAddOn({
  id: 'metrics-server',
  description: 'Resource metrics API for HPA and kubectl top',
  namespace: 'kube-system',
  syncWave: WAVES.clusterServices,
  chart: () => ({
    repoURL: 'https://kubernetes-sigs.github.io/metrics-server/',
    chart: 'metrics-server',
    version: '3.12.2',
    images: METRICS_SERVER_IMAGES,
  }),
  values: () => ({ args: ['--kubelet-preferred-address-types=InternalIP'], replicas: 2, podDisruptionBudget: { enabled: true, minAvailable: 1 } }),
  facts: () => {
    const w: ChartWorkload = {
      name: 'metrics-server',
      kind: 'Deployment',
      podSecurity: 'restricted',
      replicas: 2,
      podLabels: { 'app.kubernetes.io/name': 'metrics-server', 'app.kubernetes.io/instance': 'metrics-server' },
    };
    const p = chartWorkloadPeer('kube-system', w);
    return {
      workloads: [w],
      services: [{ name: 'metrics-server', ports: [{ port: 443, targetPort: 10250 }], workload: 'metrics-server' }],
      connections: [
        { from: p, to: { kind: 'nodes' }, ports: [{ port: 10250 }], purpose: 'reads kubelet resource metrics' },
        { from: { kind: 'api-server' }, to: p, ports: [{ port: 10250 }], purpose: 'serves the metrics.k8s.io API (aggregation)' },
      ],
    };
  },
});

/** What the environment ClusterIssuer's DNS-01 solver reads from Vault (ingress environments with `tls.dns01`). */
function ingressDns01VaultAccess(env: Environment): VaultAppAccess[] {
  return env.access.kind === 'ingress' && env.access.tls.acmeEmail && env.access.tls.dns01 ? [dns01VaultAccess(env.access.tls.dns01)] : [];
}

/**
 * The issuers cert-manager ships with: the platform's internal CA, and the environment's ClusterIssuer,
 * Let's Encrypt (HTTP-01 through the ingress class, or DNS-01 through `tls.dns01`'s provider) where an ACME contact is configured, otherwise an
 * internal CA whose key pair sits in `<issuer>-ca` (from Vault).
 */
function issuers(chart: Chart, { env, traits }: AddOnContext): void {
  internalCa(chart);
  if (env.access.kind !== 'ingress') return;
  const { clusterIssuer: name, acmeEmail, dns01 } = env.access.tls;
  // The DNS-01 solver's credential, from Vault once Vault runs: the issuer waits for it (not Ready until then).
  for (const access of ingressDns01VaultAccess(env)) new VaultAppSecrets(chart, 'dns01-credentials', { ...access, syncWave: WAVES.operators });
  // Without an ACME contact the issuer is a CA whose key pair cert-manager keeps in `<issuer>-ca`,
  // signed by the self-signed root: nothing outside Git has to provide it.
  if (!acmeEmail) caCertificate(chart, 'cluster-issuer-ca', `${name}-ca`, `${env.name} cluster CA`);
  new ClusterIssuer(chart, 'cluster-issuer', {
    metadata: { name, annotations: waveAnnotation(acmeEmail ? 'issuers' : 'internalCa') },
    spec: acmeEmail
      ? {
          acme: {
            server: 'https://acme-v02.api.letsencrypt.org/directory',
            email: acmeEmail,
            privateKeySecretRef: { name: `${name}-account-key` },
            solvers: [dns01 ? { dns01: dns01Solver(dns01) } : { http01: { ingress: { ingressClassName: traits.ingressClass } } }],
          },
        }
      : { ca: { secretName: `${name}-ca` } },
  });
}

/**
 * The platform's internal CA for in-cluster TLS (Vault, webhooks): a self-signed root kept by
 * cert-manager, and a CA ClusterIssuer signing with it. Clients trust `parity-internal-ca/ca.crt`.
 */
function internalCa(chart: Chart): void {
  new ClusterIssuer(chart, 'selfsigned', {
    metadata: { name: SELF_SIGNED_ISSUER, annotations: waveAnnotation('issuers') },
    spec: { selfSigned: {} },
  });
  caCertificate(chart, 'internal-ca', INTERNAL_CA.secret, 'Parity internal CA');
  new ClusterIssuer(chart, 'internal-ca-issuer', {
    metadata: { name: INTERNAL_CA.issuer, annotations: waveAnnotation('internalCa') },
    spec: { ca: { secretName: INTERNAL_CA.secret } },
  });
}

const SELF_SIGNED_ISSUER = 'parity-selfsigned';

/** A CA key pair in cert-manager's namespace, signed by the self-signed root (issued with the issuers). */
function caCertificate(chart: Chart, id: string, secretName: string, commonName: string): void {
  new Certificate(chart, id, {
    metadata: { name: secretName, namespace: INTERNAL_CA.namespace, annotations: waveAnnotation('issuers') },
    spec: {
      isCa: true,
      commonName,
      secretName,
      duration: '87600h',
      privateKey: { algorithm: CertificateSpecPrivateKeyAlgorithm.ECDSA, size: 256 },
      issuerRef: { name: SELF_SIGNED_ISSUER, kind: 'ClusterIssuer', group: 'cert-manager.io' },
    },
  });
}

const CERT_MANAGER_CONTROLLER: ChartWorkload = {
  name: 'cert-manager',
  kind: 'Deployment',
  podSecurity: 'restricted',
  replicas: 2,
  podLabels: { 'app.kubernetes.io/name': 'cert-manager', 'app.kubernetes.io/instance': 'cert-manager', 'app.kubernetes.io/component': 'controller' },
};

export const certManager = new HelmAddOn({
  id: 'cert-manager',
  description: 'Certificate lifecycle, the internal CA and the environment ClusterIssuer',
  namespace: 'cert-manager',
  syncWave: WAVES.certManager,
  chart: () => ({ repoURL: 'https://charts.jetstack.io', chart: 'cert-manager', version: 'v1.16.2', images: CERT_MANAGER_IMAGES }),
  values: () => ({ crds: { enabled: true, keep: true }, replicaCount: 2, prometheus: { enabled: true } }),
  extras: issuers,
  vaultAccess: (env) => ingressDns01VaultAccess(env),
  facts: () => {
    const controller = CERT_MANAGER_CONTROLLER;
    const webhook: ChartWorkload = {
      name: 'cert-manager-webhook',
      kind: 'Deployment',
      podSecurity: 'restricted',
      podLabels: { 'app.kubernetes.io/name': 'webhook', 'app.kubernetes.io/instance': 'cert-manager', 'app.kubernetes.io/component': 'webhook' },
    };
    const cainjector: ChartWorkload = {
      name: 'cert-manager-cainjector',
      kind: 'Deployment',
      podSecurity: 'restricted',
      podLabels: {
        'app.kubernetes.io/name': 'cainjector',
        'app.kubernetes.io/instance': 'cert-manager',
        'app.kubernetes.io/component': 'cainjector',
      },
    };
    const c = chartWorkloadPeer('cert-manager', controller);
    return {
      crds: [
        { group: 'cert-manager.io', kinds: ['Certificate', 'CertificateRequest', 'ClusterIssuer', 'Issuer'] },
        { group: 'acme.cert-manager.io', kinds: ['Order', 'Challenge'] },
      ],
      workloads: [controller, webhook, cainjector],
      services: [{ name: 'cert-manager-webhook', ports: [{ port: 443, targetPort: 10250 }], workload: 'cert-manager-webhook' }],
      connections: [
        { from: c, to: { kind: 'api-server' }, ports: [], purpose: 'reconciles certificates' },
        { from: chartWorkloadPeer('cert-manager', cainjector), to: { kind: 'api-server' }, ports: [], purpose: 'injects CA bundles' },
        { from: { kind: 'api-server' }, to: chartWorkloadPeer('cert-manager', webhook), ports: [{ port: 10250 }], purpose: 'admission webhook' },
        { from: c, to: { kind: 'external', host: 'acme-v02.api.letsencrypt.org' }, ports: [{ port: 443 }], purpose: 'ACME orders' },
      ],
    };
  },
  connect: (facts, { env, traits }) => {
    facts.scrape(chartWorkloadPeer('cert-manager', CERT_MANAGER_CONTROLLER), 9402, 'add-on cert-manager');
    // ACME HTTP-01: cert-manager answers each challenge from a solver pod in the Certificate's namespace,
    // behind the ingress controller. In namespaces that deny by default the controller must reach it, or
    // no certificate is ever issued.
    const dns01 =
      env.access.kind === 'ingress' && env.access.tls.acmeEmail
        ? env.access.tls.dns01
        : env.access.kind === 'tailscale'
          ? env.access.dns01
          : undefined;
    for (const host of dns01 ? DNS01_CREDENTIALS[dns01.provider].apiHosts : [])
      facts.connect(
        {
          from: chartWorkloadPeer('cert-manager', CERT_MANAGER_CONTROLLER),
          to: { kind: 'external', host },
          ports: [{ port: 443 }],
          purpose: 'ACME DNS-01 records',
        },
        'add-on cert-manager',
      );
    if (
      env.access.kind === 'ingress' &&
      env.access.tls.acmeEmail &&
      !env.access.tls.dns01 &&
      facts.hasWorkload(`ingress-controller:${traits.ingressClass}`)
    ) {
      const controller = facts.workload(`ingress-controller:${traits.ingressClass}`, 'add-on cert-manager (HTTP-01)');
      for (const ns of env.namespaces)
        facts.connect(
          {
            from: controller,
            to: workloadPeer(ns.name, 'acme-http01-solver', ACME_HTTP01_SOLVER.labels),
            ports: [{ port: ACME_HTTP01_SOLVER.port }],
            purpose: 'ACME HTTP-01 challenges',
          },
          'add-on cert-manager',
        );
    }
  },
});

/**
 * cert-manager's HTTP-01 solver pods: the label it puts on them (v1.16 pkg/apis/acme/v1
 * SolverIdentificationLabelKey) and the port they answer on (pkg/issuer/acme/http acmeSolverListenPort).
 */
export const ACME_HTTP01_SOLVER = { labels: { 'acme.cert-manager.io/http01-solver': 'true' }, port: 8089 } as const;

/**
 * Controller settings of every NGINX ingress Parity runs. Snippet annotations let any namespace inject
 * NGINX config (CVE-2021-25742, CVE-2025-1974): off. HSTS of the Arbitex design (one year, subdomains) is
 * therefore set here, for every TLS host.
 */
export function ingressNginxConfig(): Record<string, string> {
  return {
    'allow-snippet-annotations': 'false',
    'use-forwarded-headers': 'true',
    hsts: 'true',
    'hsts-max-age': '31536000',
    'hsts-include-subdomains': 'true',
  };
}

export const ingressNginx = new HelmAddOn({
  id: 'ingress-nginx',
  description: 'NGINX ingress controller behind the substrate load balancer',
  namespace: 'ingress-nginx',
  syncWave: WAVES.clusterServices,
  chart: () => INGRESS_NGINX_CHART,
  facts: ({ traits }) => ingressNginxFacts('ingress-nginx', 'ingress-nginx', traits.ingressClass),
  publish: (facts, { traits }) =>
    facts.provideWorkload(
      `ingress-controller:${traits.ingressClass}`,
      ingressControllerPeer('ingress-nginx', 'ingress-nginx'),
      'add-on ingress-nginx',
    ),
  connect: (facts) => facts.scrape(ingressControllerPeer('ingress-nginx', 'ingress-nginx'), 10254, 'add-on ingress-nginx'),
  values: ({ traits, env }) => {
    const lb = ingressLoadBalancer(traits, env, 'ingress');
    return {
      controller: {
        replicaCount: 2,
        ingressClassResource: { name: traits.ingressClass, default: true },
        service: lb.service,
        // Behind a NAT the Ingresses report the public address, which external-dns then publishes.
        ...(lb.published ? { publishService: { enabled: false }, extraArgs: { 'publish-status-address': lb.published } } : {}),
        config: ingressNginxConfig(),
        metrics: { enabled: true },
      },
    };
  },
});

/** The ingress-nginx chart every ingress controller of the platform runs (the public one and private access's internal gateway). */
export const INGRESS_NGINX_CHART: PinnedChart = {
  repoURL: 'https://kubernetes.github.io/ingress-nginx',
  chart: 'ingress-nginx',
  version: '4.11.3',
  images: INGRESS_NGINX_IMAGES,
};

/** The controller pods of an ingress-nginx release (chart 4.11.3 selector labels). */
export function ingressControllerPeer(namespace: string, release: string) {
  return workloadPeer(namespace, `${release}-controller`, {
    'app.kubernetes.io/name': 'ingress-nginx',
    'app.kubernetes.io/instance': release,
    'app.kubernetes.io/component': 'controller',
  });
}

/** What an ingress-nginx 4.11.3 release runs: the controller (restricted: non-root, NET_BIND_SERVICE only) and its admission hooks. */
export function ingressNginxFacts(namespace: string, release: string, ingressClass: string): ChartFacts {
  const controller: ChartWorkload = {
    name: `${release}-controller`,
    kind: 'Deployment',
    podSecurity: 'restricted',
    replicas: 2,
    podLabels: ingressControllerPeer(namespace, release).podLabels,
  };
  const admission: ChartWorkload = {
    name: `${release}-admission`,
    kind: 'Job',
    podSecurity: 'restricted',
    podLabels: {
      'app.kubernetes.io/name': 'ingress-nginx',
      'app.kubernetes.io/instance': release,
      'app.kubernetes.io/component': 'admission-webhook',
    },
  };
  const c = chartWorkloadPeer(namespace, controller);
  return {
    workloads: [controller, admission],
    ingressClasses: [ingressClass],
    connections: [
      { from: c, to: { kind: 'api-server' }, ports: [], purpose: 'watches Ingresses, Services, Secrets' },
      { from: { kind: 'api-server' }, to: c, ports: [{ port: 8443 }], purpose: 'validating admission webhook' },
      {
        from: chartWorkloadPeer(namespace, admission),
        to: { kind: 'api-server' },
        ports: [],
        purpose: 'creates and patches the admission certificate',
      },
    ],
  };
}
