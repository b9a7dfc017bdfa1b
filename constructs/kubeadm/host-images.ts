import * as fs from 'fs';
import * as path from 'path';
import { REPO_ROOT } from '../../lib/core/paths';
import { mirroredImage } from '../../lib/core/util/image-ref';

/** kube-vip, run as a static pod on every control-plane host for the API VIP. */
export const KUBE_VIP_IMAGE = 'ghcr.io/kube-vip/kube-vip:v0.8.7';

interface KubeadmReleaseImages {
  readonly 'coredns/coredns': string;
  readonly etcd: string;
  readonly pause: string;
}

let table: Record<string, KubeadmReleaseImages> | undefined;

/**
 * The CoreDNS, etcd and pause versions kubeadm uses for a Kubernetes release, from the vendored table
 * (vendor/kubeadm/images.json: `kubeadm config images list` per release); undefined for a release it
 * does not list.
 */
export function kubeadmReleaseImages(version: string): KubeadmReleaseImages | undefined {
  table ??= (
    JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'vendor', 'kubeadm', 'images.json'), 'utf8')) as {
      releases: Record<string, KubeadmReleaseImages>;
    }
  ).releases;
  return table[version];
}

/** Releases the vendored table lists, for error messages. */
export function kubeadmReleases(): string[] {
  kubeadmReleaseImages('');
  return Object.keys(table ?? {});
}

function releaseImages(version: string): KubeadmReleaseImages {
  const r = kubeadmReleaseImages(version);
  if (!r) throw new Error(`Kubernetes ${version} is not in vendor/kubeadm/images.json (node scripts/vendor-kubeadm-images.js)`);
  return r;
}

/** The pause (sandbox) image of a release, which containerd must use as kubeadm expects. */
export const pauseImage = (version: string): string => `registry.k8s.io/pause:${releaseImages(version).pause}`;

/**
 * Every image the hosts pull before Argo CD runs: the control-plane static pods (kube-proxy only when
 * kubeadm installs it), etcd, CoreDNS, the pause image and kube-vip; as origin references.
 */
export function hostImages(version: string, options: { readonly kubeProxy: boolean }): string[] {
  const r = releaseImages(version);
  const components = ['kube-apiserver', 'kube-controller-manager', 'kube-scheduler', ...(options.kubeProxy ? ['kube-proxy'] : [])];
  return [
    ...components.map((c) => `registry.k8s.io/${c}:v${version}`),
    `registry.k8s.io/etcd:${r.etcd}`,
    `registry.k8s.io/coredns/coredns:${r['coredns/coredns']}`,
    pauseImage(version),
    KUBE_VIP_IMAGE,
  ];
}

/** `<mirror>/<origin>` when the environment is mirrored, else the origin. */
export const fromMirror = (ref: string, registryMirror: string | undefined): string => (registryMirror ? mirroredImage(ref, registryMirror) : ref);
