import * as fs from 'fs';
import * as path from 'path';
import { parse, parseAllDocuments } from 'yaml';
import { ChartImageTable, chartImageSlots, chartImages } from '../lib/core/charts/chart-images';
import { TEMPORAL_IMAGES } from '../apps/axiom-platform/temporal-images';
import * as addOnTables from '../addons/chart-images';
import * as substrateTables from '../substrates/chart-images';
import { podTemplates, containersOf } from '../lib/core/k8s-objects';
import { synthesizeAll } from '../lib/pipeline/synth/pipeline';
import { REPO_ROOT, examples, fixture, manifests, terraform, resources, messageOf } from './helpers';

const MIRROR = 'registry.lab.internal';

/** Image tables by chart name, as the add-ons and substrates pin them (gpu-operator for the onprem hosts' OS). */
const TABLES: Record<string, ChartImageTable> = {
  'argo-cd': addOnTables.ARGO_CD_IMAGES,
  'argocd-apps': addOnTables.ARGOCD_APPS_IMAGES,
  'cert-manager': addOnTables.CERT_MANAGER_IMAGES,
  'cloudnative-pg': addOnTables.CLOUDNATIVE_PG_IMAGES,
  'external-secrets': addOnTables.EXTERNAL_SECRETS_IMAGES,
  'ingress-nginx': addOnTables.INGRESS_NGINX_IMAGES,
  'metrics-server': addOnTables.METRICS_SERVER_IMAGES,
  'kube-prometheus-stack': addOnTables.KUBE_PROMETHEUS_STACK_IMAGES,
  loki: addOnTables.LOKI_IMAGES,
  tempo: addOnTables.TEMPO_IMAGES,
  'opentelemetry-collector': addOnTables.OPENTELEMETRY_COLLECTOR_IMAGES,
  alloy: addOnTables.ALLOY_IMAGES,
  temporal: TEMPORAL_IMAGES,
  vault: addOnTables.VAULT_IMAGES,
  velero: addOnTables.VELERO_IMAGES,
  'tailscale-operator': addOnTables.TAILSCALE_OPERATOR_IMAGES,
  'nvidia-device-plugin': addOnTables.NVIDIA_DEVICE_PLUGIN_IMAGES,
  'gpu-operator': addOnTables.gpuOperatorImages('ubuntu24.04'),
  cilium: substrateTables.CILIUM_IMAGES,
  'rook-ceph': substrateTables.ROOK_CEPH_IMAGES,
  'rook-ceph-cluster': substrateTables.ROOK_CEPH_CLUSTER_IMAGES,
  'kubelet-csr-approver': substrateTables.KUBELET_CSR_APPROVER_IMAGES,
  karpenter: substrateTables.KARPENTER_IMAGES,
  'aws-load-balancer-controller': substrateTables.AWS_LOAD_BALANCER_CONTROLLER_IMAGES,
  'external-dns': addOnTables.EXTERNAL_DNS_IMAGES,
  reloader: addOnTables.RELOADER_IMAGES,
  'redis-operator': addOnTables.REDIS_OPERATOR_IMAGES,
  'grafana-operator': addOnTables.GRAFANA_OPERATOR_IMAGES,
};

describe('chart images', () => {
  it('every image slot of every vendored chart the platform pins is in its table, and the table names no other', () => {
    for (const [chart, table] of Object.entries(TABLES)) {
      const dir = fs
        .readdirSync(path.join(REPO_ROOT, 'vendor', 'charts'))
        .find((d) => d.startsWith(`${chart}-`) && /^\d|^v\d/.test(d.slice(chart.length + 1)));
      expect(dir).toBeDefined();
      const version = dir!.slice(chart.length + 1);
      const slots = chartImageSlots(chart, version)!.map((s) => s.path);
      expect(
        Object.keys(table)
          .filter((k) => !k.startsWith('subchart:'))
          .sort(),
      ).toEqual([...slots].sort());
    }
  });

  it('renders each convention as the chart templates do: cilium operator, kube-prometheus-stack subcharts, gpu-operator driver per host OS', () => {
    const cilium = chartImages({ chart: 'cilium', version: '1.16.5' }, substrateTables.CILIUM_IMAGES, {}).images;
    expect(cilium).toContainEqual({
      slot: 'operator.image',
      image: 'quay.io/cilium/operator-generic:v1.16.5@sha256:f7884848483bbcd7b1e0ccfd34ba4546f258b460cb4b7e2f06a1bcc96ef88039',
    });
    const kps = chartImages({ chart: 'kube-prometheus-stack', version: '67.5.0' }, addOnTables.KUBE_PROMETHEUS_STACK_IMAGES, {}).images;
    expect(kps).toContainEqual({ slot: 'kube-state-metrics.image', image: 'registry.k8s.io/kube-state-metrics/kube-state-metrics:v2.14.0' });
    expect(kps).toContainEqual({ slot: 'grafana.image', image: 'docker.io/grafana/grafana:11.4.0' });
    const gpu = chartImages({ chart: 'gpu-operator', version: 'v24.9.1' }, addOnTables.gpuOperatorImages('ubuntu22.04'), {}).images;
    expect(gpu).toContainEqual({ slot: 'driver', image: 'nvcr.io/nvidia/driver:550.127.08-ubuntu22.04' });
    expect(gpu).toContainEqual({ slot: 'operator', image: 'nvcr.io/nvidia/gpu-operator:v24.9.1' });
  });

  it('imageName+imageTag (redis-operator): the tag falls back to v + appVersion, and the mirror rewrites imageName only', () => {
    const chart = { chart: 'redis-operator', version: '0.25.0' };
    expect(chartImages(chart, addOnTables.REDIS_OPERATOR_IMAGES, {}).images).toEqual([
      { slot: 'redisOperator', image: 'quay.io/opstree/redis-operator:v0.25.0' },
    ]);
    const { values } = chartImages(chart, addOnTables.REDIS_OPERATOR_IMAGES, { redisOperator: { webhook: false } }, MIRROR);
    expect(values.redisOperator).toEqual({ webhook: false, imageName: `${MIRROR}/quay.io/opstree/redis-operator` });
  });

  it('refuses values that enable a subchart that is not vendored (its images are unknown)', () => {
    expect(() => chartImages({ chart: 'loki', version: '6.24.0' }, addOnTables.LOKI_IMAGES, { minio: { enabled: true } })).toThrow(
      'chart loki 6.24.0: the values enable subchart minio, which is not vendored, so its images are unknown',
    );
  });

  it('a mirrored environment pulls every chart image from the mirror: the rewritten values render <mirror>/<origin>', () => {
    const { images, values } = chartImages({ chart: 'ingress-nginx', version: '4.11.3' }, addOnTables.INGRESS_NGINX_IMAGES, {}, MIRROR);
    expect(values.controller.image).toEqual({ registry: MIRROR, image: 'registry.k8s.io/ingress-nginx/controller' });
    const again = chartImages({ chart: 'ingress-nginx', version: '4.11.3' }, addOnTables.INGRESS_NGINX_IMAGES, values).images;
    expect(again.map((i) => i.image)).toEqual(images.map((i) => `${MIRROR}/${i.image}`));
  });

  it('a Kubernetes release whose kubeadm images are not vendored is a clear error naming the field', () => {
    const dir = fixture('onprem', (e) => {
      e.kubernetesVersion = '1.31.99';
    });
    expect(messageOf(() => synthesizeAll({ environmentsDir: dir }))).toContain(
      'onprem (environments/onprem.yaml): kubernetesVersion: found "1.31.99"; expected a release whose kubeadm images are vendored (vendor/kubeadm/images.json), e.g. ',
    );
  });
});

/**
 * images.txt of a mirrored environment against what the synthesized output will pull, read from the
 * output itself: pod templates and CloudNativePG clusters, every chart's rewritten values (Argo CD
 * Applications and the bootstrap Helm releases), the kubeadm configuration by kubeadm's own naming
 * rules, and the hosts' containerd and kube-vip manifests in cloud-init.
 */
describe('images.txt of onprem equals what onprem pulls', () => {
  const result = examples();
  const lines = (result.files.get('onprem/images.txt') ?? '').split('\n').filter((l) => l && !l.startsWith('#'));
  const destinations = new Set(lines.map((l) => l.split(' ')[1]));
  const pulled = new Set<string>();

  const docs = manifests(result, 'onprem');
  for (const t of podTemplates(docs)) for (const { container } of containersOf(t)) pulled.add(container.image);
  for (const d of docs) if (d.kind === 'Cluster' && d.spec?.imageName) pulled.add(d.spec.imageName);
  // Images operators start from their resources: Grafana's (spec.version) and the Tempo operator's Tempo.
  for (const d of docs) if (d.kind === 'Grafana') pulled.add(d.spec.version);
  for (const t of podTemplates(docs))
    for (const { container } of containersOf(t)) for (const e of container.env ?? []) if (e.name === 'RELATED_IMAGE_TEMPO') pulled.add(e.value);

  const fromChart = (chart: string, version: string, values: { initContainers?: Array<{ image: string }> }) => {
    for (const i of chartImages({ chart, version }, TABLES[chart], values).images) pulled.add(i.image);
    // Containers the values add, which the chart renders as given (Velero's object-store plugin).
    for (const c of values.initContainers ?? []) pulled.add(c.image);
  };
  for (const d of docs)
    if (d.kind === 'Application' && d.spec.source.chart)
      fromChart(d.spec.source.chart, d.spec.source.targetRevision, d.spec.source.helm.valuesObject);
  for (const r of resources(terraform(result, 'onprem', 'bootstrap'), 'helm_release')) fromChart(r.chart, r.version, parse(r.values[0]));
  // Vendor charts rendered by the secret-values plugin: every image object ({ repository, tag }) of their values.
  const imageObjects = (v: any): string[] =>
    v && typeof v === 'object'
      ? Object.entries(v).flatMap(([k, x]: [string, any]) =>
          k === 'image' && typeof x?.repository === 'string' ? [`${x.repository}:${x.tag}`] : imageObjects(x),
        )
      : [];
  for (const d of docs)
    if (d.kind === 'Application' && d.spec.source.plugin)
      for (const i of imageObjects(parse(d.spec.source.plugin.env.find((e: any) => e.name === 'HELM_VALUES').value))) pulled.add(i);

  const kubeadm = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'vendor', 'kubeadm', 'images.json'), 'utf8')).releases;
  for (const [file, text] of result.files) {
    if (!file.startsWith('onprem/kubeadm/')) continue;
    for (const doc of parseAllDocuments(text).map((d) => d.toJS())) {
      if (doc.kind !== 'ClusterConfiguration') continue;
      const repo = doc.imageRepository ?? 'registry.k8s.io';
      const release = kubeadm[doc.kubernetesVersion.slice(1)];
      for (const c of ['kube-apiserver', 'kube-controller-manager', 'kube-scheduler']) pulled.add(`${repo}/${c}:${doc.kubernetesVersion}`);
      pulled.add(`${repo}/etcd:${release.etcd}`);
      // kubeadm GetDNSImage: the DNS repository, or the image repository; upstream's gets /coredns appended.
      const dns = doc.dns?.imageRepository ?? (repo === 'registry.k8s.io' ? 'registry.k8s.io/coredns' : repo);
      pulled.add(`${dns}/coredns:${release['coredns/coredns']}`);
    }
  }
  for (const [file, text] of result.files) {
    if (!file.startsWith('onprem/cloud-init/')) continue;
    for (const m of text.matchAll(/sandbox_image = "([^"]+)"/g)) pulled.add(m[1]);
    for (const m of text.matchAll(/^\s+image: (\S+)$/gm)) pulled.add(m[1]);
  }

  it('every image onprem pulls comes from the mirror and is listed', () => {
    const offMirror = [...pulled].filter((i) => !i.startsWith(`${MIRROR}/`));
    expect(offMirror).toEqual([]);
    expect([...pulled].filter((i) => !destinations.has(i))).toEqual([]);
  });

  it('every listed image is pulled by something (no stale line)', () => {
    expect([...destinations].filter((d) => !pulled.has(d))).toEqual([]);
    expect(lines.length).toBeGreaterThan(60);
  });

  it('containerd resolves every origin registry of images.txt through the mirror, at the mirror’s layout', () => {
    const origins = [...new Set(lines.map((l) => l.split(' ')[0].split('/')[0]))].sort();
    for (const [file, text] of result.files) {
      if (!file.startsWith('onprem/cloud-init/')) continue;
      const hosts = (parse(text).write_files as Array<{ path: string; content: string }>).filter((f) =>
        f.path.startsWith('/etc/containerd/certs.d/'),
      );
      expect(hosts.map((h) => h.path.split('/')[4]).sort()).toEqual(origins);
      for (const h of hosts) expect(h.content).toContain(`[host."https://${MIRROR}/v2/${h.path.split('/')[4]}"]`);
    }
  });

  it('each line copies <origin> to <mirror>/<origin>', () => {
    for (const l of lines) {
      const [from, to] = l.split(' ');
      expect(to).toBe(`${MIRROR}/${from}`);
    }
  });
});
