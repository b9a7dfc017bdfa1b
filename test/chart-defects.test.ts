import { synthesizeAll } from '../lib/pipeline/synth/pipeline';
import { examples, fixture, manifests } from './helpers';
import { chartDefaults } from '../lib/core/charts/vendored';

/** Defects found reading the add-ons against their pinned charts, each pinned by its synthesized value. */
const valuesOf = (env: string, app: string) => {
  const a = manifests(examples(), env).find((o) => o.kind === 'Application' && o.metadata.name === app);
  if (!a) throw new Error(`no Application ${app} in ${env}`);
  return a.spec.source.helm.valuesObject;
};

describe('add-on defects against the pinned charts', () => {
  it('charts.txt of a mirrored environment lists the bootstrap charts too (argocd-apps)', () => {
    expect(examples().files.get('onprem/charts.txt')).toContain(
      'argoproj.github.io/argo-helm/argocd-apps:2.0.2 registry.lab.internal/charts/argoproj.github.io/argo-helm/argocd-apps:2.0.2',
    );
  });

  it('the NVIDIA device plugin is placed by the GPU pools’ label, not by node-feature-discovery labels nothing sets', () => {
    expect(valuesOf('dev', 'nvidia-gpu').affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms).toEqual([
      { matchExpressions: [{ key: 'accelerator', operator: 'In', values: ['nvidia'] }] },
    ]);
  });

  it('Cilium’s Hubble certificates come from its certgen CronJob (no drift on every render), pulled from the mirror', () => {
    const cilium = valuesOf('onprem', 'cilium');
    expect(cilium.hubble.tls.auto).toEqual({ enabled: true, method: 'cronJob' });
    expect(cilium.certgen.image.repository).toBe('registry.lab.internal/quay.io/cilium/certgen');
  });

  it('Prometheus accepts remote write and OTLP (its v3 flag), with exemplar storage for trace links', () => {
    const spec = valuesOf('dev', 'kube-prometheus-stack').prometheus.prometheusSpec;
    expect(spec).toMatchObject({
      enableRemoteWriteReceiver: true,
      enableFeatures: ['exemplar-storage'],
      additionalArgs: [{ name: 'web.enable-otlp-receiver' }],
    });
    expect(chartDefaults('kube-prometheus-stack', '67.5.0').prometheus.prometheusSpec.image.tag).toMatch(/^v3\./);
  });

  it('Alloy ships every pod’s logs to Loki from each node, through the API (no host mounts, non-root, read-only, restricted)', () => {
    const v = valuesOf('onprem', 'alloy');
    expect(v.controller).toMatchObject({ type: 'daemonset', tolerations: [{ operator: 'Exists' }] });
    expect(v.alloy.mounts).toMatchObject({ varlog: false, dockercontainers: false });
    expect(v.alloy.securityContext).toMatchObject({ runAsNonRoot: true, readOnlyRootFilesystem: true, allowPrivilegeEscalation: false });
    expect(v.global.podSecurityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 473 });
    expect(v.alloy.enableReporting).toBe(false);
    const config: string = v.alloy.configMap.content;
    // The chart sets HOSTNAME from spec.nodeName (templates/containers/_agent.yaml): each agent tails its own node's pods.
    expect(config).toContain('field = "spec.nodeName=" + sys.env("HOSTNAME")');
    expect(config).toContain('loki.source.kubernetes "pods"');
    expect(config).toContain('url = "http://loki.monitoring.svc:3100/loki/api/v1/push"');
    const flows = examples()
      .models.find((m) => m.env.name === 'onprem')!
      .platform.facts.connections()
      .filter(({ connection: c }) => c.from.kind === 'workload' && c.from.name === 'monitoring/alloy')
      .map(({ connection: c }) => `${c.to.kind === 'workload' ? c.to.name : c.to.kind}:${c.ports.map((p) => p.port).join(',')}`);
    expect(flows.sort()).toEqual(['api-server:', 'monitoring/loki:3100']);
    expect(examples().files.get('onprem/images.txt')).toContain(
      'docker.io/grafana/alloy:v1.5.1 registry.lab.internal/docker.io/grafana/alloy:v1.5.1',
    );
  });

  it('metrics-server is not installed where the substrate runs its own (AKS)', () => {
    expect(manifests(examples(), 'prod').some((o) => o.kind === 'Application' && o.metadata.name === 'metrics-server')).toBe(false);
    expect(() => synthesizeAll({ environmentsDir: fixture('prod', (e) => e.addons.push('metrics-server')) })).toThrow(
      /addons\[\d+\]: found "metrics-server"; expected no metrics-server: Azure Kubernetes Service runs it as a managed component/,
    );
  });

  it('Velero has its object-store plugin and a real location on every substrate', () => {
    const dev = valuesOf('dev', 'velero');
    expect(dev.initContainers[0]).toMatchObject({
      name: 'velero-plugin-for-aws',
      image: 'velero/velero-plugin-for-aws:v1.11.0',
      volumeMounts: [{ mountPath: '/target', name: 'plugins' }],
    });
    expect(dev.configuration.backupStorageLocation).toEqual([
      { name: 'default', provider: 'aws', bucket: 'axiom-dev-velero', config: { region: 'us-east-1' } },
    ]);
    const prod = valuesOf('prod', 'velero');
    expect(prod.initContainers[0].name).toBe('velero-plugin-for-microsoft-azure');
    expect(prod.configuration.backupStorageLocation[0]).toMatchObject({
      provider: 'azure',
      bucket: 'velero',
      config: { resourceGroup: 'rg-arbitex-prod', storageAccountKeyEnvVar: 'AZURE_STORAGE_ACCOUNT_ACCESS_KEY' },
    });
    const onprem = valuesOf('onprem', 'velero');
    expect(onprem.initContainers[0].image).toBe('registry.lab.internal/docker.io/velero/velero-plugin-for-aws:v1.11.0');
    // On AKS the plugin signs with the storage account key, from a file the Vault stack writes.
    expect(prod.configuration.backupStorageLocation[0].config).toMatchObject({ storageAccountKeyEnvVar: 'AZURE_STORAGE_ACCOUNT_ACCESS_KEY' });
    // On EKS Velero runs as its Pod Identity: no credentials Secret at all.
    expect(dev.credentials).toEqual({ useSecret: false });
    // No CRD upgrade Job: its kubectl image tag would be the cluster's version, unknown before render.
    expect([dev.upgradeCRDs, prod.upgradeCRDs, onprem.upgradeCRDs]).toEqual([false, false, false]);
    expect(onprem.configuration.backupStorageLocation[0].config).toEqual({
      region: 'us-east-1',
      s3ForcePathStyle: 'true',
      s3Url: 'https://rgw.lab.internal',
    });
    expect(() =>
      synthesizeAll({
        environmentsDir: fixture('onprem', (e) => (e.externalServices = e.externalServices.filter((s: any) => s.name !== 'object-store'))),
      }),
    ).toThrow(
      /externalServices: found \["identity","authorization"\]; expected an entry named "object-store": the site's S3-compatible object store/,
    );
  });

  it('Rook’s ceph-block class keeps the chart’s CSI secret parameters (no empty map replacing them)', () => {
    const pool = valuesOf('onprem', 'rook-ceph-cluster').cephBlockPools[0];
    expect(pool.storageClass.name).toBe('ceph-block');
    // Helm replaces lists whole and templates/cephblockpool.yaml renders only the pool's own parameters.
    expect(pool.storageClass.parameters).toMatchObject({
      'csi.storage.k8s.io/provisioner-secret-name': 'rook-csi-rbd-provisioner',
      'csi.storage.k8s.io/provisioner-secret-namespace': '{{ .Release.Namespace }}',
      'csi.storage.k8s.io/node-stage-secret-name': 'rook-csi-rbd-node',
      'csi.storage.k8s.io/controller-expand-secret-name': 'rook-csi-rbd-provisioner',
      'csi.storage.k8s.io/fstype': 'ext4',
    });
    expect(pool.storageClass.parameters).toEqual(chartDefaults('rook-ceph-cluster', 'v1.16.0').cephBlockPools[0].storageClass.parameters);
  });

  it('kube-prometheus-stack receives remote writes and has no control-plane monitors that could only fire', () => {
    for (const env of ['dev', 'prod', 'onprem']) {
      const kps = valuesOf(env, 'kube-prometheus-stack');
      expect(kps.prometheus.prometheusSpec.enableRemoteWriteReceiver).toBe(true);
      expect([kps.kubeEtcd, kps.kubeControllerManager, kps.kubeScheduler, kps.kubeProxy]).toEqual(Array(4).fill({ enabled: false }));
    }
  });

  it('external-secrets elects a leader among its two replicas', () => {
    expect(valuesOf('dev', 'external-secrets')).toMatchObject({ replicaCount: 2, leaderElect: true });
  });

  it('Loki runs its single binary only: no memcached caches, canary, gateway or rules sidecar (the chart facts list one image)', () => {
    const lokiImages = [
      ...examples()
        .models.find((m) => m.env.name === 'onprem')!
        .platform.applicationFacts.get('loki')!.images!,
    ];
    expect(lokiImages).toEqual(['docker.io/grafana/loki:3.3.2']);
  });

  it('gpu-operator gets no key its v24.9.1 chart does not have (daemonsets.nodeSelector)', () => {
    expect(valuesOf('onprem', 'nvidia-gpu').daemonsets).toEqual({
      tolerations: [{ key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' }],
    });
  });
});
