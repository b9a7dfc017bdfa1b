import { Certificate, CertificateSpecPrivateKeyAlgorithm, CertificateSpecPrivateKeyRotationPolicy, Issuer } from '../../imports/cert-manager.io';
import { Chart } from '../../lib/core/facade/k8s';
import { waveAnnotation } from '../../lib/core/facts/waves';
import type { AppContext } from '../../contracts/app';

/**
 * The key Harbor's token service signs registry tokens with, and the certificate the registry checks
 * them against (the chart's `core.secretName`: tls.key and tls.crt), from cert-manager instead of the
 * chart's render-time `genCA`. RSA, because the token service signs RS256; ten years and never rotated
 * by cert-manager, since core and the registry read it only at start.
 */
export function harborTokenSigning(chart: Chart, namespace: string, secretName: string, ctx: AppContext): void {
  const by = `app harbor in ${namespace} (token signing)`;
  ctx.facts.name('CRD group', 'cert-manager.io', by);
  const meta = (name: string) => ({ name, namespace, labels: { 'app.kubernetes.io/part-of': 'harbor' }, annotations: waveAnnotation('appSecrets') });
  new Issuer(chart, 'token-signing-issuer', { metadata: meta(`${secretName}-selfsigned`), spec: { selfSigned: {} } });
  new Certificate(chart, 'token-signing', {
    metadata: meta(secretName),
    spec: {
      commonName: 'harbor-token-ca',
      secretName,
      duration: '87600h',
      privateKey: { algorithm: CertificateSpecPrivateKeyAlgorithm.RSA, size: 4096, rotationPolicy: CertificateSpecPrivateKeyRotationPolicy.NEVER },
      issuerRef: { name: `${secretName}-selfsigned`, kind: 'Issuer', group: 'cert-manager.io' },
    },
  });
}
