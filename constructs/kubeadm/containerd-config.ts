export interface ContainerdOptions {
  /** Hosts with NVIDIA GPUs get the nvidia runtime as default so GPU pods need no runtimeClassName. */
  readonly gpu: boolean;
  /** Registry that serves every image (air-gapped mirror); undefined pulls from the origin registries. */
  readonly registryMirror?: string;
  /** Pause image (from the mirror when there is one). */
  readonly sandboxImage: string;
}

const CRI = 'plugins."io.containerd.grpc.v1.cri"';

/**
 * containerd 1.7 configuration (schema version 2): overlayfs snapshotter and systemd cgroups to match
 * the kubelet, registry hosts from /etc/containerd/certs.d, and on GPU hosts the NVIDIA runtime from
 * the host-installed container toolkit.
 */
export function containerdConfig(options: ContainerdOptions): string {
  const lines = [
    'version = 2',
    '',
    `[${CRI}]`,
    `  sandbox_image = "${options.sandboxImage}"`,
    '',
    `[${CRI}.containerd]`,
    '  snapshotter = "overlayfs"',
    `  default_runtime_name = "${options.gpu ? 'nvidia' : 'runc'}"`,
    '',
    `[${CRI}.containerd.runtimes.runc]`,
    '  runtime_type = "io.containerd.runc.v2"',
    '',
    `[${CRI}.containerd.runtimes.runc.options]`,
    '  SystemdCgroup = true',
  ];
  if (options.gpu) {
    lines.push(
      '',
      `[${CRI}.containerd.runtimes.nvidia]`,
      '  runtime_type = "io.containerd.runc.v2"',
      '',
      `[${CRI}.containerd.runtimes.nvidia.options]`,
      '  BinaryName = "/usr/bin/nvidia-container-runtime"',
      '  SystemdCgroup = true',
    );
  }
  lines.push('', `[${CRI}.registry]`, '  config_path = "/etc/containerd/certs.d"', '');
  return lines.join('\n');
}

/**
 * certs.d/<origin>/hosts.toml: an image of `origin` that is still named by its origin is pulled from
 * the mirror at the mirror's layout (`<mirror>/<origin>/<path>`: the copy images.txt makes, or a pull-
 * through cache's project of that name), and never from the internet (no `server` line) unless
 * `fallback` names the upstream to pull from when the mirror fails. `override_path` makes the host URL
 * the registry API root.
 */
export function registryHostsToml(mirror: string, origin: string, fallback?: string): string {
  return [
    ...(fallback ? [`server = "${fallback}"`, ''] : []),
    `[host."https://${mirror}/v2/${origin}"]`,
    '  capabilities = ["pull", "resolve"]',
    '  override_path = true',
    '',
  ].join('\n');
}
