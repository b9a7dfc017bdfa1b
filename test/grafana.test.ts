import { synthesizeAll } from '../lib/pipeline/synth/pipeline';
import { chartDashboards } from '../lib/core/charts/vendored';
import { examples, fixture, manifests } from './helpers';

const of = (env: string) => manifests(examples(), env);
const kpsValues = (env: string) =>
  of(env).find((o) => o.kind === 'Application' && o.metadata.name === 'kube-prometheus-stack').spec.source.helm.valuesObject;

describe('Grafana through its operator (add-on grafana-operator)', () => {
  it('kube-prometheus-stack runs no Grafana of its own, but still renders its dashboards for the operator to load', () => {
    expect(kpsValues('dev').grafana).toEqual({ enabled: false, forceDeployDashboards: true, defaultDashboardsEnabled: true });
    const operator = of('dev').find((o) => o.kind === 'Application' && o.metadata.name === 'grafana-operator');
    expect(operator.spec.source).toMatchObject({ repoURL: 'ghcr.io/grafana/helm-charts', chart: 'grafana-operator', targetRevision: '5.24.0' });
    // It watches and is bound only in monitoring, where its Grafana lives.
    expect(operator.spec.source.helm.valuesObject.namespaceScope).toBe(true);
    expect(operator.spec.syncPolicy.syncOptions).toContain('ServerSideApply=true');
    expect(
      of('dev')
        .filter((o) => o.kind === 'Grafana')
        .map((o) => `${o.metadata.namespace}/${o.metadata.name}`),
    ).toEqual(['monitoring/grafana']);
  });

  it('provisions Prometheus (default), Alertmanager, Loki and Tempo, linked: exemplars open traces, traces open logs and the service graph', () => {
    const sources = of('dev')
      .filter((o) => o.kind === 'GrafanaDatasource')
      .map((o) => o.spec.datasource);
    expect(sources.map((d) => [d.uid, d.type, d.url, d.isDefault])).toEqual([
      ['prometheus', 'prometheus', 'http://kube-prometheus-stack-prometheus.monitoring.svc:9090', true],
      ['alertmanager', 'alertmanager', 'http://kube-prometheus-stack-alertmanager.monitoring.svc:9093', false],
      ['loki', 'loki', 'http://logs-query-frontend-http.monitoring.svc:3100', false],
      ['tempo', 'tempo', 'http://tempo-traces.monitoring.svc:3200', false],
    ]);
    expect(sources[0].jsonData).toEqual({ exemplarTraceIdDestinations: [{ datasourceUid: 'tempo', name: 'trace_id' }] });
    expect(sources[3].jsonData).toMatchObject({ serviceMap: { datasourceUid: 'prometheus' }, tracesToLogsV2: { datasourceUid: 'loki' } });
    // Every query is a declared connection, so the monitoring namespace's policies admit it.
    const flows = examples()
      .models.find((m) => m.env.name === 'dev')!
      .platform.facts.connections()
      .filter(({ connection: c }) => c.from.kind === 'workload' && c.from.name === 'monitoring/grafana')
      .map(({ connection: c }) => c.purpose);
    expect(flows.sort()).toEqual(['queries logs', 'queries metrics', 'queries traces', 'reads alerts']);
    // Without Loki and Tempo there is nothing to link.
    const bare = synthesizeAll({
      environmentsDir: fixture(
        'prod',
        (e) => (e.addons = e.addons.filter((a: string) => !['loki', 'loki-operator', 'tempo', 'opentelemetry-collector', 'alloy'].includes(a))),
      ),
    });
    const bareSources = manifests(bare, 'prod').filter((o) => o.kind === 'GrafanaDatasource');
    expect(bareSources.map((o) => o.spec.datasource.uid)).toEqual(['prometheus', 'alertmanager']);
    expect(bareSources[0].spec.datasource.jsonData).toBeUndefined();
  });

  it('loads exactly the dashboards kube-prometheus-stack renders with its values, from their ConfigMaps', () => {
    const rendered = chartDashboards('kube-prometheus-stack', '67.5.0', kpsValues('dev'));
    const dashboards = of('dev').filter((o) => o.kind === 'GrafanaDashboard');
    expect(dashboards.map((d) => d.spec.configMapRef)).toEqual(rendered.map((d) => ({ name: `kube-prometheus-stack-${d.suffix}`, key: d.key })));
    const names = rendered.map((d) => d.suffix);
    expect(names).toEqual(expect.arrayContaining(['apiserver', 'kubelet', 'nodes', 'k8s-coredns', 'k8s-resources-namespace', 'grafana-overview']));
    // The control-plane monitors are off (unreachable components), so their dashboards are not rendered;
    // nor are Windows, AIX and macOS nodes’ (Linux nodes only).
    for (const absent of ['etcd', 'scheduler', 'controller-manager', 'proxy', 'nodes-aix', 'nodes-darwin', 'k8s-resources-windows-pod'])
      expect(names).not.toContain(absent);
    expect(dashboards).toHaveLength(22);
    for (const d of dashboards) expect(d.metadata.namespace).toBe('monitoring');
  });

  it('evaluates the chart’s dashboard conditions against its values merged into the defaults', () => {
    expect(chartDashboards('kube-prometheus-stack', '67.5.0', { grafana: { enabled: false } })).toEqual([]);
    const withEtcd = chartDashboards('kube-prometheus-stack', '67.5.0', { grafana: { enabled: true }, kubeEtcd: { enabled: true } });
    expect(withEtcd.map((d) => d.suffix)).toContain('etcd');
    const withoutEtcd = chartDashboards('kube-prometheus-stack', '67.5.0', { grafana: { enabled: true }, kubeEtcd: { enabled: false } });
    expect(withoutEtcd.map((d) => d.suffix)).not.toContain('etcd');
    expect(chartDashboards('grafana-operator', '5.24.0', {})).toEqual([]);
  });

  it('signs in with a login Vault generates and External Secrets delivers before Grafana is created, never a default', () => {
    const objects = of('dev');
    const es = objects.find((o) => o.kind === 'ExternalSecret' && o.metadata.name === 'grafana-admin');
    expect(es.metadata.namespace).toBe('monitoring');
    expect(es.spec.data.map((d: any) => d.secretKey)).toEqual(['admin-password', 'admin-user']);
    const grafana = objects.find((o) => o.kind === 'Grafana');
    const wave = (o: any) => Number(o.metadata.annotations['argocd.argoproj.io/sync-wave']);
    expect(wave(es)).toBeLessThan(wave(grafana));
    // After kube-prometheus-stack, whose dashboard ConfigMaps and ServiceMonitor CRD it needs.
    const kps = objects.find((o) => o.kind === 'Application' && o.metadata.name === 'kube-prometheus-stack');
    expect(wave(kps)).toBeLessThan(wave(grafana));
    expect(examples().files.get('dev/terraform/vault/cdk.tf.json')).toContain('monitoring/grafana/grafana-admin');
  });

  it('is routed on private hosts under its own URL; air-gapped, Grafana and the operator come from the mirror', () => {
    const ingress = of('onprem').find((o) => o.kind === 'Ingress' && o.metadata.name === 'grafana-operator-grafana');
    expect(ingress.spec.rules[0].http.paths[0].backend.service).toEqual({ name: 'grafana-service', port: { number: 3000 } });
    const grafana = of('onprem').find((o) => o.kind === 'Grafana');
    expect(grafana.spec.config.server).toEqual({ root_url: `https://${ingress.spec.rules[0].host}/` });
    expect(grafana.spec.version).toBe('registry.lab.internal/docker.io/grafana/grafana:13.0.1');
    const images = examples().files.get('onprem/images.txt')!;
    expect(images).toContain('docker.io/grafana/grafana:13.0.1 registry.lab.internal/docker.io/grafana/grafana:13.0.1');
    expect(images).toContain('ghcr.io/grafana/grafana-operator:v5.24.0 registry.lab.internal/ghcr.io/grafana/grafana-operator:v5.24.0');
    // A public environment keeps Grafana off the internet.
    expect(of('axiom-prod').some((o) => o.kind === 'Ingress' && o.metadata.name === 'grafana-operator-grafana')).toBe(false);
  });
});
