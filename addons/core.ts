import { Certificate, CertificateSpecPrivateKeyAlgorithm, ClusterIssuer } from '../imports/cert-manager.io';
import { INTERNAL_CA } from '../lib/vault-naming';
import { Chart } from '../lib/facade/k8s';
import { AddOnContext } from './addon';
import { ARGO_CD_CHART, argoCdValues } from './argo-cd';
import { HelmAddOn } from './helm-addon';

export const argoCd = new HelmAddOn<ReturnType<typeof argoCdValues>>({
  id: 'argo-cd',
  description: 'Argo CD manages itself after the bootstrap stack installed it (same chart and values)',
  namespace: 'argocd',
  syncWave: -20,
  chart: () => ARGO_CD_CHART,
  values: ({ env }) => argoCdValues(env),
  syncOptions: ['ServerSideApply=true'],
});

export const metricsServer = new HelmAddOn({
  id: 'metrics-server',
  description: 'Resource metrics API for HPA and kubectl top',
  namespace: 'kube-system',
  syncWave: -5,
  chart: () => ({ repoURL: 'https://kubernetes-sigs.github.io/metrics-server/', chart: 'metrics-server', version: '3.12.2' }),
  values: () => ({ args: ['--kubelet-preferred-address-types=InternalIP'], replicas: 2, podDisruptionBudget: { enabled: true, minAvailable: 1 } }),
});

/**
 * The issuers cert-manager ships with: the platform's internal CA, and the environment's ClusterIssuer,
 * Let's Encrypt (HTTP-01 through the ingress class) where an ACME contact is configured, otherwise an
 * internal CA whose key pair sits in `<issuer>-ca` (from Vault).
 */
function issuers(chart: Chart, { env, traits }: AddOnContext): void {
  internalCa(chart);
  if (env.access.kind !== 'ingress') return;
  const { clusterIssuer: name, acmeEmail } = env.access.tls;
  new ClusterIssuer(chart, 'cluster-issuer', {
    metadata: { name, annotations: { 'argocd.argoproj.io/sync-wave': '-9' } },
    spec: acmeEmail
      ? {
          acme: {
            server: 'https://acme-v02.api.letsencrypt.org/directory',
            email: acmeEmail,
            privateKeySecretRef: { name: `${name}-account-key` },
            solvers: [{ http01: { ingress: { ingressClassName: traits.ingressClass } } }],
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
  const wave = { 'argocd.argoproj.io/sync-wave': '-9' };
  new ClusterIssuer(chart, 'selfsigned', { metadata: { name: 'parity-selfsigned', annotations: wave }, spec: { selfSigned: {} } });
  new Certificate(chart, 'internal-ca', {
    metadata: { name: INTERNAL_CA.secret, namespace: INTERNAL_CA.namespace, annotations: wave },
    spec: {
      isCa: true,
      commonName: 'Parity internal CA',
      secretName: INTERNAL_CA.secret,
      duration: '87600h',
      privateKey: { algorithm: CertificateSpecPrivateKeyAlgorithm.ECDSA, size: 256 },
      issuerRef: { name: 'parity-selfsigned', kind: 'ClusterIssuer', group: 'cert-manager.io' },
    },
  });
  new ClusterIssuer(chart, 'internal-ca-issuer', { metadata: { name: INTERNAL_CA.issuer, annotations: { 'argocd.argoproj.io/sync-wave': '-8' } }, spec: { ca: { secretName: INTERNAL_CA.secret } } });
}

export const certManager = new HelmAddOn({
  id: 'cert-manager',
  description: 'Certificate lifecycle, the internal CA and the environment ClusterIssuer',
  namespace: 'cert-manager',
  syncWave: -10,
  chart: () => ({ repoURL: 'https://charts.jetstack.io', chart: 'cert-manager', version: 'v1.16.2' }),
  values: () => ({ crds: { enabled: true, keep: true }, replicaCount: 2, prometheus: { enabled: true } }),
  extras: issuers,
});

/**
 * Controller settings of every NGINX ingress Parity runs. Snippet annotations let any namespace inject
 * NGINX config (CVE-2021-25742, CVE-2025-1974): off. HSTS of seed 001 (one year, subdomains) is
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
  syncWave: -5,
  chart: () => ({ repoURL: 'https://kubernetes.github.io/ingress-nginx', chart: 'ingress-nginx', version: '4.11.3' }),
  values: ({ traits, env }) => ({
    controller: {
      replicaCount: 2,
      ingressClassResource: { name: traits.ingressClass, default: true },
      service: { annotations: { ...traits.loadBalancerAnnotations, ...(env.access.kind === 'ingress' && env.access.exposure === 'public' ? {} : traits.internalLoadBalancerAnnotations) } },
      config: ingressNginxConfig(),
      metrics: { enabled: true },
    },
  }),
});
