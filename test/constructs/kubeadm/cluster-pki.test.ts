import { KUBEADM_CLUSTER_ADMINS, KubeadmClusterPki } from '../../../constructs/kubeadm/cluster-pki';
import { resourcesOf, synthTf, tfStack } from '../helpers';

describe('KubeadmClusterPki', () => {
  it('a 10-year cluster CA, a cluster-admins client certificate signed by it, and the kubeadm token and keys, all generated in Terraform', () => {
    const s = tfStack();
    new KubeadmClusterPki(s, 'pki');
    const json = synthTf(s);
    const ca = resourcesOf(json, 'tls_self_signed_cert')[0];
    expect(ca).toMatchObject({ is_ca_certificate: true, validity_period_hours: 87600, subject: [{ common_name: 'kubernetes' }] });
    expect(ca.allowed_uses).toContain('cert_signing');
    const admin = resourcesOf(json, 'tls_locally_signed_cert')[0];
    expect(admin).toMatchObject({
      validity_period_hours: 8760,
      early_renewal_hours: 720,
      allowed_uses: ['client_auth', 'digital_signature', 'key_encipherment'],
    });
    expect(admin.ca_cert_pem).toMatch(/tls_self_signed_cert\.pki_ca_[0-9A-F]+\.cert_pem/);
    expect(resourcesOf(json, 'tls_cert_request')[0].subject).toEqual([{ common_name: 'parity-terraform', organization: KUBEADM_CLUSTER_ADMINS }]);
    // Bootstrap token [a-z0-9]{6}.[a-z0-9]{16}: lower-case letters and digits only.
    expect(resourcesOf(json, 'random_string').map((r) => [r.length, r.upper, r.special])).toEqual([
      [6, false, false],
      [16, false, false],
    ]);
    expect(resourcesOf(json, 'random_id').map((r) => r.byte_length)).toEqual([32, 32]);
  });

  it('options: CA and admin certificate lifetimes', () => {
    const s = tfStack();
    new KubeadmClusterPki(s, 'pki', { caValidityHours: 43800, adminValidityHours: 2160 });
    const json = synthTf(s);
    expect(resourcesOf(json, 'tls_self_signed_cert')[0].validity_period_hours).toBe(43800);
    expect(resourcesOf(json, 'tls_locally_signed_cert')[0].validity_period_hours).toBe(2160);
  });
});
