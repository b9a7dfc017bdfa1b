import { discoveryKubeconfig, kubeadmDocuments, kubeadmNodeLabels, kubeadmNodeTaints } from '../../../constructs/kubeadm/kubeadm-config';

const spec = {
  clusterName: 'lab',
  version: '1.31.4',
  controlPlaneEndpoint: { host: '10.0.20.10', port: 6443 },
  podCidr: '10.244.0.0/16',
  serviceCidr: '10.96.0.0/12',
};
const secrets = { bootstrapToken: 'abcdef.0123456789abcdef', certificateKey: 'k', caCertificateBase64: 'Q0EK' };
const cp = { name: 'cp-01', ip: '10.0.20.11', role: 'control-plane' as const };
const gpuWorker = { name: 'gpu-01', ip: '10.0.20.21', role: 'worker' as const, pool: { name: 'gpu', gpu: true, labels: {} } };

describe('kubeadm configuration', () => {
  it('the first control plane initialises: HA endpoint, secrets encrypted at rest, no kube-proxy (Cilium replaces it), a hardened kubelet', () => {
    const [init, cluster, kubelet] = kubeadmDocuments(cp, true, spec, secrets) as any[];
    expect(init.kind).toBe('InitConfiguration');
    expect(init.skipPhases).toEqual(['addon/kube-proxy']);
    expect(init.nodeRegistration.taints).toEqual([{ key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' }]);
    expect(cluster).toMatchObject({
      kubernetesVersion: 'v1.31.4',
      controlPlaneEndpoint: '10.0.20.10:6443',
      networking: { podSubnet: '10.244.0.0/16', serviceSubnet: '10.96.0.0/12' },
    });
    expect(cluster.apiServer.extraArgs).toContainEqual({ name: 'encryption-provider-config', value: '/etc/kubernetes/encryption/config.yaml' });
    expect(cluster.imageRepository).toBeUndefined();
    expect(kubelet).toMatchObject({
      cgroupDriver: 'systemd',
      readOnlyPort: 0,
      serverTLSBootstrap: true,
      authentication: { anonymous: { enabled: false } },
    });
  });

  it('other hosts join by file discovery (the CA they trust, no hash to compute); a GPU worker registers with its pool label and the GPU taint; a mirror serves the control-plane images', () => {
    const [join] = kubeadmDocuments(gpuWorker, false, { ...spec, imageRepository: 'registry.lab/registry.k8s.io' }, secrets) as any[];
    expect(join.discovery).toEqual({ file: { kubeConfigPath: '/etc/kubernetes/discovery.conf' }, tlsBootstrapToken: 'abcdef.0123456789abcdef' });
    expect(discoveryKubeconfig(spec, secrets).clusters).toEqual([
      { name: 'lab', cluster: { server: 'https://10.0.20.10:6443', 'certificate-authority-data': 'Q0EK' } },
    ]);
    expect(join.controlPlane).toBeUndefined();
    expect(kubeadmNodeLabels(gpuWorker)).toEqual({ 'parity.dev/node-pool': 'gpu', accelerator: 'nvidia' });
    expect(kubeadmNodeTaints(gpuWorker)).toEqual([{ key: 'nvidia.com/gpu', value: 'true', effect: 'NoSchedule' }]);
    const [, cluster] = kubeadmDocuments(cp, true, { ...spec, imageRepository: 'registry.lab/registry.k8s.io' }, secrets) as any[];
    expect(cluster.imageRepository).toBe('registry.lab/registry.k8s.io');
    const [cpJoin] = kubeadmDocuments({ ...cp, name: 'cp-02' }, false, spec, secrets) as any[];
    expect(cpJoin.controlPlane).toEqual({ localAPIEndpoint: { advertiseAddress: '10.0.20.11', bindPort: 6443 }, certificateKey: 'k' });
  });
});
