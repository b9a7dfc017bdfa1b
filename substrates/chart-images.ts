import { ChartImageTable, valueAt, whenAll } from '../lib/core/charts/chart-images';

/** Which images the substrates' own charts run, slot by slot of the vendored images.json (see addons/chart-images.ts). */

export const CILIUM_IMAGES: ChartImageTable = {
  image: { deployed: true },
  // The Hubble certificates' certgen CronJob (tls.auto.method cronJob) or the one-off Job of method "cronJob" at install.
  'certgen.image': {
    deployed: (v) =>
      whenAll('hubble.enabled', 'hubble.tls.enabled', 'hubble.tls.auto.enabled')(v) && valueAt(v, 'hubble.tls.auto.method') === 'cronJob',
  },
  'hubble.relay.image': { deployed: whenAll('hubble.enabled', 'hubble.relay.enabled') },
  'hubble.ui.backend.image': { deployed: whenAll('hubble.enabled', 'hubble.ui.enabled') },
  'hubble.ui.frontend.image': { deployed: whenAll('hubble.enabled', 'hubble.ui.enabled') },
  // envoyDaemonSetEnabled: with l7Proxy, an unset envoy.enabled means on for 1.16 installs.
  'envoy.image': { deployed: (v) => valueAt(v, 'l7Proxy') !== false && valueAt(v, 'envoy.enabled') !== false },
  // cilium.operator.image: <repository>-generic<suffix> (no eni/azure/alibabacloud IPAM here).
  'operator.image': { deployed: whenAll('operator.enabled'), repositorySuffix: '-generic', digestKey: 'genericDigest' },
  'nodeinit.image': { deployed: whenAll('nodeinit.enabled') },
  'preflight.image': { deployed: whenAll('preflight.enabled') },
  'clustermesh.apiserver.image': { deployed: whenAll('clustermesh.useAPIServer') },
  'authentication.mutual.spire.install.initImage': {
    deployed: whenAll('authentication.mutual.spire.enabled', 'authentication.mutual.spire.install.enabled'),
  },
  'authentication.mutual.spire.install.agent.image': {
    deployed: whenAll('authentication.mutual.spire.enabled', 'authentication.mutual.spire.install.enabled'),
  },
  'authentication.mutual.spire.install.server.image': {
    deployed: whenAll('authentication.mutual.spire.enabled', 'authentication.mutual.spire.install.enabled'),
  },
};

/** The Rook operator, and the Ceph CSI driver it deploys with the csi.* images. */
export const ROOK_CEPH_IMAGES: ChartImageTable = {
  image: { deployed: true },
  'csi.cephcsi': { deployed: (v) => whenAll('csi.enableRbdDriver')(v) || whenAll('csi.enableCephfsDriver')(v) },
  'csi.registrar': { deployed: (v) => whenAll('csi.enableRbdDriver')(v) || whenAll('csi.enableCephfsDriver')(v) },
  'csi.provisioner': { deployed: (v) => whenAll('csi.enableRbdDriver')(v) || whenAll('csi.enableCephfsDriver')(v) },
  'csi.snapshotter': { deployed: (v) => whenAll('csi.enableRbdDriver')(v) || whenAll('csi.enableCephfsDriver')(v) },
  'csi.attacher': { deployed: (v) => whenAll('csi.enableRbdDriver')(v) || whenAll('csi.enableCephfsDriver')(v) },
  'csi.resizer': { deployed: (v) => whenAll('csi.enableRbdDriver')(v) || whenAll('csi.enableCephfsDriver')(v) },
  'csi.csiAddons': { deployed: whenAll('csi.csiAddons.enabled') },
  // A library chart: template helpers, no pods.
  'subchart:library': { deployed: false },
};

/** The CephCluster's daemons (mon, mgr, osd, crash collector, exporter) all run the Ceph image. */
export const ROOK_CEPH_CLUSTER_IMAGES: ChartImageTable = {
  'cephClusterSpec.cephVersion.image': { deployed: true },
  // A library chart: template helpers, no pods.
  'subchart:library': { deployed: false },
};

/** The chart at the tag carries a placeholder appVersion; the release publishes v1.2.6. */
export const KUBELET_CSR_APPROVER_IMAGES: ChartImageTable = { image: { deployed: true, defaultTag: 'v1.2.6' } };

export const KARPENTER_IMAGES: ChartImageTable = { 'controller.image': { deployed: true } };

/** The AWS Load Balancer Controller: one Deployment, one image. */
export const AWS_LOAD_BALANCER_CONTROLLER_IMAGES: ChartImageTable = { image: { deployed: true } };
