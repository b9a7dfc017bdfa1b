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
  caCertificateBase64: 'CACERTB64',
  caKeyBase64: 'CAKEYB64',
  secretsEncryptionKey: 'ENCRYPTIONKEY',
};
const files = (text: string) => parse(text).write_files as Array<{ path: string; content: string; encoding?: string; permissions: string }>;

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
    // kubeadm init uses the CA the cluster stack generated; kube-vip serves the VIP before init.
    expect(files(text).filter((f) => f.path.startsWith('/etc/kubernetes/pki/'))).toEqual([
      { path: '/etc/kubernetes/pki/ca.crt', encoding: 'b64', content: 'CACERTB64', permissions: '0644' },
      { path: '/etc/kubernetes/pki/ca.key', encoding: 'b64', content: 'CAKEYB64', permissions: '0600' },
    ]);
    expect(files(text).map((f) => f.path)).toContain('/etc/kubernetes/manifests/kube-vip.yaml');
  });

  it('option: localVolumeDirectories, created with their owner and mode before the node joins', () => {
    const doc = parse(
      cloudInit({
        node: { name: 'cp-02', ip: '10.0.20.12', role: 'control-plane' },
        first: false,
        spec,
        secrets,
        gpu: false,
        interface: 'eno1',
        localVolumeDirectories: [{ path: '/var/lib/vault/data', owner: '100:1000', mode: '0750' }],
      }),
    );
    const cmds: string[][] = doc.runcmd;
    const mk = cmds.findIndex((c) => c[0] === 'mkdir');
    expect(cmds.slice(mk, mk + 3)).toEqual([
      ['mkdir', '-p', '/var/lib/vault/data'],
      ['chown', '100:1000', '/var/lib/vault/data'],
      ['chmod', '0750', '/var/lib/vault/data'],
    ]);
    expect(mk).toBeLessThan(cmds.findIndex((c) => c[0] === 'kubeadm'));
  });

  it('a joining control plane trusts the CA by file and gets kube-vip only after kubeadm join (its preflight wants an empty manifests directory)', () => {
    const text = cloudInit({
      node: { name: 'cp-02', ip: '10.0.20.12', role: 'control-plane' },
      first: false,
      spec,
      secrets,
      gpu: false,
      interface: 'eno1',
    });
    const paths = files(text).map((f) => f.path);
    expect(paths).not.toContain('/etc/kubernetes/manifests/kube-vip.yaml');
    expect(paths).not.toContain('/etc/kubernetes/pki/ca.key');
    expect(
      parse(files(text).find((f) => f.path === '/etc/kubernetes/discovery.conf')!.content).clusters[0].cluster['certificate-authority-data'],
    ).toBe('CACERTB64');
    const runcmd = parse(text).runcmd;
    const join = runcmd.findIndex((c: string[]) => c[1] === 'join');
    expect(runcmd.findIndex((c: string[]) => c[0] === 'mv' && c[2] === '/etc/kubernetes/manifests/kube-vip.yaml')).toBeGreaterThan(join);
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
    expect(text).not.toContain('CAKEYB64');
  });
});
