import { containerdConfig, registryHostsToml } from '../../../constructs/kubeadm/containerd-config';

describe('containerd configuration', () => {
  it('systemd cgroups and runc by default; the NVIDIA runtime as default on GPU hosts; registry hosts from certs.d', () => {
    const cpu = containerdConfig({ gpu: false, sandboxImage: 'registry.k8s.io/pause:3.10' });
    expect(cpu).toContain('default_runtime_name = "runc"');
    expect(cpu).toContain('SystemdCgroup = true');
    expect(cpu).toContain('config_path = "/etc/containerd/certs.d"');
    expect(cpu).not.toContain('nvidia');
    const gpu = containerdConfig({ gpu: true, sandboxImage: 'registry.lab/registry.k8s.io/pause:3.10' });
    expect(gpu).toContain('default_runtime_name = "nvidia"');
    expect(gpu).toContain('BinaryName = "/usr/bin/nvidia-container-runtime"');
    expect(gpu).toContain('sandbox_image = "registry.lab/registry.k8s.io/pause:3.10"');
  });

  it('an origin registry resolves through the mirror at the mirror’s layout (<mirror>/<origin>/<path>), with no fallback to the internet', () => {
    expect(registryHostsToml('registry.lab', 'quay.io')).toBe(
      '[host."https://registry.lab/v2/quay.io"]\n  capabilities = ["pull", "resolve"]\n  override_path = true\n',
    );
  });
});
