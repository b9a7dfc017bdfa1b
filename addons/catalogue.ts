import { PlatformAddOn } from './addon';
import { HelmAddOn } from './helm-addon';

import { GPU_LABEL, GPU_TAINT } from '../constructs/gpu';

/** Scheduling terms every GPU workload gets, on every substrate (label and taint of GPU pools). */
export const GPU_NODE_SELECTOR = { [GPU_LABEL.key]: GPU_LABEL.value };
export const GPU_TOLERATION = { key: GPU_TAINT.key, operator: 'Exists', effect: GPU_TAINT.effect };

interface MetricsServerValues {
  args: string[];
  replicas: number;
  podDisruptionBudget: { enabled: boolean; minAvailable: number };
}

interface CertManagerValues {
  crds: { enabled: boolean; keep: boolean };
  replicaCount: number;
  prometheus: { enabled: boolean };
}

interface IngressNginxValues {
  controller: {
    replicaCount: number;
    ingressClassResource: { name: string; default: boolean };
    service: { annotations: Record<string, string> };
    config: Record<string, string>;
    metrics: { enabled: boolean };
  };
}

interface ExternalSecretsValues {
  installCRDs: boolean;
  replicaCount: number;
}

interface GpuSupportValues {
  nodeSelector?: Record<string, string>;
  tolerations?: Array<Record<string, string>>;
  driver?: { enabled: boolean };
  toolkit?: { enabled: boolean };
  daemonsets?: { nodeSelector: Record<string, string>; tolerations: Array<Record<string, string>> };
}

export const metricsServer = new HelmAddOn<MetricsServerValues>({
  id: 'metrics-server',
  description: 'Resource metrics API for HPA and kubectl top',
  namespace: 'kube-system',
  syncWave: -5,
  chart: () => ({ repoURL: 'https://kubernetes-sigs.github.io/metrics-server/', chart: 'metrics-server', version: '3.12.2' }),
  values: () => ({ args: ['--kubelet-preferred-address-types=InternalIP'], replicas: 2, podDisruptionBudget: { enabled: true, minAvailable: 1 } }),
});

export const certManager = new HelmAddOn<CertManagerValues>({
  id: 'cert-manager',
  description: 'Certificate lifecycle (ACME, internal CAs) for ingress and mTLS',
  namespace: 'cert-manager',
  syncWave: -10,
  chart: () => ({ repoURL: 'https://charts.jetstack.io', chart: 'cert-manager', version: 'v1.16.2' }),
  values: () => ({ crds: { enabled: true, keep: true }, replicaCount: 2, prometheus: { enabled: true } }),
});

export const ingressNginx = new HelmAddOn<IngressNginxValues>({
  id: 'ingress-nginx',
  description: 'NGINX ingress controller behind the substrate load balancer',
  namespace: 'ingress-nginx',
  syncWave: -5,
  chart: () => ({ repoURL: 'https://kubernetes.github.io/ingress-nginx', chart: 'ingress-nginx', version: '4.11.3' }),
  values: ({ traits }) => ({
    controller: {
      replicaCount: 2,
      ingressClassResource: { name: traits.ingressClass, default: true },
      service: { annotations: { ...traits.loadBalancerAnnotations } },
      // Snippet annotations let any namespace inject NGINX config; keep them off (CVE-2021-25742).
      config: { 'allow-snippet-annotations': 'false', 'use-forwarded-headers': 'true' },
      metrics: { enabled: true },
    },
  }),
});

export const externalSecrets = new HelmAddOn<ExternalSecretsValues>({
  id: 'external-secrets',
  description: 'External Secrets Operator: Kubernetes Secrets from Vault',
  namespace: 'external-secrets',
  syncWave: -8,
  chart: () => ({ repoURL: 'https://charts.external-secrets.io', chart: 'external-secrets', version: '0.10.7' }),
  values: () => ({ installCRDs: true, replicaCount: 2 }),
});

export const nvidiaGpuSupport = new HelmAddOn<GpuSupportValues>({
  id: 'nvidia-gpu',
  description: 'Exposes nvidia.com/gpu to the scheduler (device plugin, or GPU operator with drivers on bare metal)',
  namespace: 'nvidia-gpu',
  syncWave: -5,
  chart: ({ traits }) =>
    traits.gpuEnablement === 'gpu-operator'
      ? { repoURL: 'https://helm.ngc.nvidia.com/nvidia', chart: 'gpu-operator', version: 'v24.9.1' }
      : { repoURL: 'https://nvidia.github.io/k8s-device-plugin', chart: 'nvidia-device-plugin', version: '0.17.0' },
  values: ({ traits }) =>
    traits.gpuEnablement === 'gpu-operator'
      ? // The NVIDIA container toolkit is installed on the hosts (cloud-init); the operator brings the driver.
        { driver: { enabled: true }, toolkit: { enabled: false }, daemonsets: { nodeSelector: { ...GPU_NODE_SELECTOR }, tolerations: [{ ...GPU_TOLERATION }] } }
      : { nodeSelector: { ...GPU_NODE_SELECTOR }, tolerations: [{ ...GPU_TOLERATION }] },
});

export const ADD_ONS: ReadonlyArray<PlatformAddOn> = [metricsServer, certManager, ingressNginx, externalSecrets, nvidiaGpuSupport];

export const ADD_ON_CATALOGUE: ReadonlyMap<string, PlatformAddOn> = new Map(ADD_ONS.map((a) => [a.id, a]));
