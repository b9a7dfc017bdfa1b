import { NVIDIA_DEVICE_PLUGIN_IMAGES, gpuOperatorImages } from './chart-images';
import { GPU_LABEL, GPU_TAINT } from '../constructs/gpu';
import { HelmAddOn } from './helm-addon';
import { WAVES } from '../lib/core/facts/waves';
import { ChartFacts } from '../lib/core/facts/chart-facts';

/** Scheduling terms every GPU workload gets, on every substrate (label and taint of GPU pools). */
export const GPU_NODE_SELECTOR = { [GPU_LABEL.key]: GPU_LABEL.value };
export const GPU_TOLERATION = { key: GPU_TAINT.key, operator: 'Exists', effect: GPU_TAINT.effect };

interface GpuSupportValues {
  nodeSelector?: Record<string, string>;
  tolerations?: Array<Record<string, string>>;
  /** Replaces the chart's default (NFD-label) node affinity. */
  affinity?: object;
  driver?: { enabled: boolean };
  toolkit?: { enabled: boolean };
  daemonsets?: { tolerations: Array<Record<string, string>> };
}

/** nvidia.com/gpu for the scheduler: the device plugin where the substrate brings drivers, else the GPU operator. */
export const nvidiaGpuSupport = new HelmAddOn<GpuSupportValues>({
  id: 'nvidia-gpu',
  description: 'Exposes nvidia.com/gpu to the scheduler (device plugin, or GPU operator with drivers on bare metal)',
  namespace: 'nvidia-gpu',
  syncWave: WAVES.clusterServices,
  chart: ({ traits, hostOs }) =>
    traits.gpuEnablement === 'gpu-operator'
      ? { repoURL: 'https://helm.ngc.nvidia.com/nvidia', chart: 'gpu-operator', version: 'v24.9.1', images: gpuOperatorImages(hostOs) }
      : {
          repoURL: 'https://nvidia.github.io/k8s-device-plugin',
          chart: 'nvidia-device-plugin',
          version: '0.17.0',
          images: NVIDIA_DEVICE_PLUGIN_IMAGES,
        },
  values: ({ traits }) =>
    traits.gpuEnablement === 'gpu-operator'
      ? // The NVIDIA container toolkit is installed on the hosts (cloud-init); the operator brings the driver.
        {
          driver: { enabled: true },
          toolkit: { enabled: false },
          // The operator places its DaemonSets itself, on nodes that node-feature-discovery (on by default)
          // labels as having an NVIDIA GPU; gpu-operator v24.9.1 has no daemonsets.nodeSelector. The
          // toleration lets them onto the tainted GPU pool.
          daemonsets: { tolerations: [{ ...GPU_TOLERATION }] },
        }
      : {
          nodeSelector: { ...GPU_NODE_SELECTOR },
          tolerations: [{ ...GPU_TOLERATION }],
          // The chart's default affinity requires node-feature-discovery labels (pci-10de, gpu.present) that
          // no substrate here sets. Helm replaces lists, so these terms replace the chart's: the GPU pools' label.
          affinity: {
            nodeAffinity: {
              requiredDuringSchedulingIgnoredDuringExecution: {
                nodeSelectorTerms: [{ matchExpressions: [{ key: GPU_LABEL.key, operator: 'In', values: [GPU_LABEL.value] }] }],
              },
            },
          },
        },
  facts: ({ traits }) => gpuChartFacts(traits.gpuEnablement),
});

/** Both charts run host-level DaemonSets: the device plugin's socket and the driver live on the host. */
function gpuChartFacts(enablement: 'nvidia-device-plugin' | 'gpu-operator'): ChartFacts {
  return enablement === 'gpu-operator'
    ? {
        crds: [
          { group: 'nvidia.com', kinds: ['ClusterPolicy', 'NVIDIADriver'] },
          { group: 'nfd.k8s-sigs.io', kinds: ['NodeFeature', 'NodeFeatureRule', 'NodeFeatureGroup'] },
        ],
        workloads: [
          {
            name: 'gpu-operator-operands',
            kind: 'DaemonSet',
            podSecurity: 'privileged',
            podSecurityReason: 'driver, toolkit and device-plugin DaemonSets are privileged with hostPath mounts (ClusterPolicy operands)',
            podLabels: { 'app.kubernetes.io/managed-by': 'gpu-operator' },
          },
        ],
      }
    : {
        workloads: [
          {
            name: 'nvidia-device-plugin',
            kind: 'DaemonSet',
            podSecurity: 'privileged',
            podSecurityReason: 'hostPath /var/lib/kubelet/device-plugins for the kubelet socket (nvidia-device-plugin daemonset.yml)',
            podLabels: { 'app.kubernetes.io/name': 'nvidia-device-plugin' },
          },
        ],
      };
}
