import { parse } from 'yaml';
import { cloudInit } from '../../../constructs/kubeadm/cloud-init';

const spec = {
  clusterName: 'lab',
  version: '1.31.4',
  controlPlaneEndpoint: { host: '10.0.20.10', port: 6443 },
  podCidr: '10.244.0.0/16',
  serviceCidr: '10.96.0.0/12',
};
// In a stack these are Terraform variable references; plain values stand in for them here.
const secrets = {
  bootstrapToken: 'abcdef.0123456789abcdef',
  certificateKey: 'CERTKEY',
  caCertHash: 'sha256:00',
  secretsEncryptionKey: 'ENCRYPTIONKEY',
};

describe('cloudInit', () => {
  it('is cloud-config that writes the kubeadm configuration and runs kubeadm init on the first control plane', () => {
    const text = cloudInit({
      node: { name: 'cp-01', ip: '10.0.20.11', role: 'control-plane' },
      first: true,
      spec,
      secrets,
      gpu: false,
      interface: 'eno1',
    });
    expect(text.startsWith('#cloud-config\n')).toBe(true);
    const doc = parse(text);
    expect(doc.runcmd).toContainEqual(['kubeadm', 'init', '--config', '/etc/kubernetes/kubeadm.yaml', '--upload-certs']);
    expect(doc.runcmd.at(-1)).toEqual(['shred', '-u', '/etc/kubernetes/kubeadm.yaml']);
    expect(text).toContain('ENCRYPTIONKEY');
  });

  it('joins every other host, with the mirror’s images when there is one', () => {
    const text = cloudInit({
      node: { name: 'worker-01', ip: '10.0.20.22', role: 'worker', pool: { name: 'general', gpu: false, labels: {} } },
      first: false,
      spec,
      secrets,
      gpu: false,
      registryMirror: 'registry.lab',
      interface: 'eno1',
    });
    expect(parse(text).runcmd).toContainEqual(['kubeadm', 'join', '--config', '/etc/kubernetes/kubeadm.yaml']);
    expect(text).toContain('registry.lab');
    expect(text).not.toContain('ENCRYPTIONKEY');
  });
});
