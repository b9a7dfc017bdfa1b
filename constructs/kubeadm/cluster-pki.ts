import { Construct } from 'constructs';
import { TlsProvider } from '@cdktf/provider-tls/lib/provider';
import { PrivateKey } from '@cdktf/provider-tls/lib/private-key';
import { SelfSignedCert } from '@cdktf/provider-tls/lib/self-signed-cert';
import { CertRequest } from '@cdktf/provider-tls/lib/cert-request';
import { LocallySignedCert } from '@cdktf/provider-tls/lib/locally-signed-cert';
import { RandomProvider } from '@cdktf/provider-random/lib/provider';
import { Id } from '@cdktf/provider-random/lib/id';
import { StringResource } from '@cdktf/provider-random/lib/string-resource';

export interface KubeadmClusterPkiProps {
  /**
   * Validity of the cluster CA, in hours: kubeadm renews leaf certificates, never the CA.
   * @default 87600 (10 years, kubeadm's own CA lifetime)
   */
  readonly caValidityHours?: number;
  /**
   * Validity of Terraform's admin client certificate, in hours; re-issued by a cluster stack apply in its last 30 days.
   * @default 8760 (one year)
   */
  readonly adminValidityHours?: number;
}

/** Group kubeadm (1.29+) binds to cluster-admin at init; unlike system:masters, it can be unbound. */
export const KUBEADM_CLUSTER_ADMINS = 'kubeadm:cluster-admins';

/**
 * Everything a kubeadm cluster needs before its first host boots, generated in Terraform (sensitive
 * state, encrypted backend) instead of by hand: the cluster CA, which the first control plane uses and
 * every joining host trusts by file discovery (no CA hash to compute or copy); the bootstrap token;
 * the key that encrypts the control-plane certificates kubeadm uploads; the key that encrypts Secrets
 * in etcd; and a client certificate of the cluster-admins group for the stacks that follow (Helm,
 * Kubernetes and Vault providers), so no kubeconfig is copied off a host.
 */
export class KubeadmClusterPki extends Construct {
  readonly caCertificatePem: string;
  readonly caKeyPem: string;
  readonly adminCertificatePem: string;
  readonly adminKeyPem: string;
  /** `[a-z0-9]{6}.[a-z0-9]{16}` */
  readonly bootstrapToken: string;
  /** 64 hex characters. */
  readonly certificateKey: string;
  /** 32 random bytes, base64. */
  readonly secretsEncryptionKey: string;

  constructor(scope: Construct, id: string, props: KubeadmClusterPkiProps = {}) {
    super(scope, id);
    new TlsProvider(this, 'tls');
    new RandomProvider(this, 'random');
    const caKey = new PrivateKey(this, 'ca-key', { algorithm: 'RSA', rsaBits: 2048 });
    const ca = new SelfSignedCert(this, 'ca', {
      privateKeyPem: caKey.privateKeyPem,
      subject: [{ commonName: 'kubernetes' }],
      isCaCertificate: true,
      validityPeriodHours: props.caValidityHours ?? 87600,
      allowedUses: ['cert_signing', 'key_encipherment', 'digital_signature'],
      setSubjectKeyId: true,
    });
    const adminKey = new PrivateKey(this, 'admin-key', { algorithm: 'RSA', rsaBits: 2048 });
    const adminRequest = new CertRequest(this, 'admin-request', {
      privateKeyPem: adminKey.privateKeyPem,
      subject: [{ commonName: 'parity-terraform', organization: KUBEADM_CLUSTER_ADMINS }],
    });
    const admin = new LocallySignedCert(this, 'admin', {
      certRequestPem: adminRequest.certRequestPem,
      caPrivateKeyPem: caKey.privateKeyPem,
      caCertPem: ca.certPem,
      validityPeriodHours: props.adminValidityHours ?? 8760,
      earlyRenewalHours: 720,
      allowedUses: ['client_auth', 'digital_signature', 'key_encipherment'],
    });
    const tokenPart = (name: string, length: number) => new StringResource(this, name, { length, upper: false, special: false }).result;
    this.caCertificatePem = ca.certPem;
    this.caKeyPem = caKey.privateKeyPem;
    this.adminCertificatePem = admin.certPem;
    this.adminKeyPem = adminKey.privateKeyPem;
    this.bootstrapToken = `${tokenPart('token-id', 6)}.${tokenPart('token-secret', 16)}`;
    this.certificateKey = new Id(this, 'certificate-key', { byteLength: 32 }).hex;
    this.secretsEncryptionKey = new Id(this, 'secrets-encryption-key', { byteLength: 32 }).b64Std;
  }
}
