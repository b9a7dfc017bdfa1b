import { Certificate, CertificateSpecPrivateKeyAlgorithm, CertificateSpecUsages } from '../../imports/cert-manager.io';
import { Chart } from '../../lib/core/facade/k8s';
import { waveAnnotation } from '../../lib/core/facts/waves';
import { INTERNAL_CA } from '../../lib/core/vault-naming';
import type { AppContext } from '../../contracts/app';
import { RELEASE } from './harbor-chart';

/** The components that serve TLS inside the namespace (templates/internal/auto-tls.yaml of the chart at v1.16.1). */
export const TLS_COMPONENTS = ['core', 'jobservice', 'registry', 'portal', 'trivy'] as const;
export type TlsComponent = (typeof TLS_COMPONENTS)[number];

/** The Secret of a component's certificate: tls.crt, tls.key and ca.crt, what `internalTLS.certSource: secret` mounts. */
export const internalTlsSecret = (c: TlsComponent): string => `${RELEASE}-${c}-internal-tls`;

/**
 * Harbor's internal TLS from the platform's internal CA instead of the chart's render-time `genCA`
 * (which Argo CD would re-render with new keys on every refresh): each component's certificate names
 * its Service as the chart's own do (core also localhost and 127.0.0.1, for its local calls), plus the
 * namespaced forms, and trusts the internal CA. Five years: the components read their certificates at
 * start only, and cert-manager renews after two thirds of that, long before one could expire in a pod.
 */
export function harborInternalTls(chart: Chart, namespace: string, ctx: AppContext): void {
  ctx.facts.name('ClusterIssuer', INTERNAL_CA.issuer, `app harbor in ${namespace} (internal TLS)`);
  for (const c of TLS_COMPONENTS) {
    const service = `${RELEASE}-${c}`;
    new Certificate(chart, `internal-tls-${c}`, {
      metadata: {
        name: internalTlsSecret(c),
        namespace,
        labels: { 'app.kubernetes.io/part-of': 'harbor' },
        annotations: waveAnnotation('appSecrets'),
      },
      spec: {
        secretName: internalTlsSecret(c),
        commonName: service,
        dnsNames: [
          service,
          `${service}.${namespace}`,
          `${service}.${namespace}.svc`,
          `${service}.${namespace}.svc.cluster.local`,
          ...(c === 'core' ? ['localhost'] : []),
        ],
        ...(c === 'core' ? { ipAddresses: ['127.0.0.1'] } : {}),
        duration: '43800h',
        // RSA, as the chart's own certificates are (genSignedCert): every component's TLS stack takes it.
        privateKey: { algorithm: CertificateSpecPrivateKeyAlgorithm.RSA, size: 2048 },
        usages: [
          CertificateSpecUsages.SERVER_AUTH,
          CertificateSpecUsages.CLIENT_AUTH,
          CertificateSpecUsages.DIGITAL_SIGNATURE,
          CertificateSpecUsages.KEY_ENCIPHERMENT,
        ],
        issuerRef: { name: INTERNAL_CA.issuer, kind: 'ClusterIssuer', group: 'cert-manager.io' },
      },
    });
  }
}
