import { WAVES } from '../lib/core/facts/waves';
import { PlatformAddOn } from '../contracts/addon';
import { Chart, k8s } from '../lib/core/facade/k8s';
import { waveAnnotation } from '../lib/core/facts/waves';

export const GP3_CLASS = 'gp3';

/**
 * The default StorageClass on EKS: encrypted gp3 through the EBS CSI driver (a managed add-on of the
 * cluster stack), bound when the pod is scheduled so the volume is created in the pod's zone.
 */
export const ebsStorageClasses: PlatformAddOn = {
  id: 'ebs-storage-classes',
  description: 'Encrypted gp3 StorageClass (default) on the EBS CSI driver',
  namespace: 'kube-system',
  syncWave: WAVES.storage,
  // Published before any module installs, so the class can be named by add-ons as well as apps.
  publish: (facts) => facts.provideName('StorageClass', GP3_CLASS, 'add-on ebs-storage-classes'),
  install(chart: Chart): void {
    new k8s.KubeStorageClass(chart, 'gp3', {
      metadata: { name: GP3_CLASS, annotations: { ...waveAnnotation('storage'), 'storageclass.kubernetes.io/is-default-class': 'true' } },
      provisioner: 'ebs.csi.aws.com',
      parameters: { type: 'gp3', encrypted: 'true', 'csi.storage.k8s.io/fstype': 'ext4' },
      reclaimPolicy: 'Delete',
      volumeBindingMode: 'WaitForFirstConsumer',
      allowVolumeExpansion: true,
    });
  },
};
