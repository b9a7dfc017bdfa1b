import { GrafanaInstance, GrafanaInstanceProps } from '../../../constructs/k8s/grafana-instance';
import { workloadPeer } from '../../../lib/core/facts/connections';
import { FactRegistry } from '../../../lib/core/facts/registry';
import { errorOf, k8sChart, only, synthK8s } from '../helpers';

function chart() {
  const c = k8sChart();
  FactRegistry.of(c).provideWorkload(
    'grafana-operator',
    workloadPeer('monitoring', 'grafana-operator', { 'app.kubernetes.io/name': 'grafana-operator' }),
    'test',
  );
  FactRegistry.of(c).provideName('CRD group', 'grafana.integreatly.org', 'test');
  return c;
}

const props: GrafanaInstanceProps = {
  namespace: 'monitoring',
  image: 'docker.io/grafana/grafana:13.0.1',
  admin: { secret: 'grafana-admin', userKey: 'admin-user', passwordKey: 'admin-password' },
  dataSources: [
    { name: 'Prometheus', type: 'prometheus', uid: 'prometheus', url: 'http://prometheus.monitoring.svc:9090', isDefault: true },
    { name: 'Loki', type: 'loki', uid: 'loki', url: 'http://loki.monitoring.svc:3100' },
  ],
};

describe('GrafanaInstance', () => {
  it('a Grafana signed in with the platform’s admin Secret (the operator’s random one off), pinned image, no calls home', () => {
    const c = chart();
    const g = new GrafanaInstance(c, 'grafana', props);
    const grafana = only(synthK8s(c), 'Grafana');
    expect(grafana.metadata).toMatchObject({ name: 'grafana', namespace: 'monitoring', labels: { 'parity.dev/grafana': 'grafana' } });
    expect(grafana.spec.version).toBe('docker.io/grafana/grafana:13.0.1');
    expect(grafana.spec.disableDefaultAdminSecret).toBe(true);
    const container = grafana.spec.deployment.spec.template.spec.containers[0];
    expect(container.name).toBe('grafana');
    // The operator reads exactly these variables of the container to call Grafana's API (controllers/client/auth.go).
    expect(container.env).toEqual([
      { name: 'GF_SECURITY_ADMIN_USER', valueFrom: { secretKeyRef: { name: 'grafana-admin', key: 'admin-user' } } },
      { name: 'GF_SECURITY_ADMIN_PASSWORD', valueFrom: { secretKeyRef: { name: 'grafana-admin', key: 'admin-password' } } },
    ]);
    expect(container.livenessProbe.httpGet).toEqual({ path: '/api/health', port: 3000 });
    expect(container.resources).toEqual({ requests: { cpu: '100m', memory: '256Mi' }, limits: { cpu: '1', memory: '1Gi' } });
    // The operator's hardened defaults stay: nothing here turns them off.
    expect(grafana.spec.disableDefaultSecurityContext).toBeUndefined();
    expect(grafana.spec.config.analytics).toEqual({ reporting_enabled: 'false', check_for_updates: 'false', check_for_plugin_updates: 'false' });
    expect(grafana.spec.config.server).toBeUndefined();
    // The operator's Service and pod label.
    expect(g.endpoint).toMatchObject({ namespace: 'monitoring', service: 'grafana-service', port: 3000, targetPort: 3000 });
    expect(g.peer.podLabels).toEqual({ app: 'grafana' });
  });

  it('provisions each data source into this instance only, not editable in the UI', () => {
    const c = chart();
    new GrafanaInstance(c, 'grafana', props);
    const sources = synthK8s(c).filter((o) => o.kind === 'GrafanaDatasource');
    expect(sources.map((s) => [s.metadata.name, s.spec.datasource.uid, s.spec.datasource.url, s.spec.datasource.isDefault])).toEqual([
      ['grafana-prometheus', 'prometheus', 'http://prometheus.monitoring.svc:9090', true],
      ['grafana-loki', 'loki', 'http://loki.monitoring.svc:3100', false],
    ]);
    for (const s of sources) {
      expect(s.spec.instanceSelector).toEqual({ matchLabels: { 'parity.dev/grafana': 'grafana' } });
      expect(s.spec.datasource).toMatchObject({ access: 'proxy', editable: false });
    }
  });

  it('loads each dashboard from its ConfigMap key, named after the ConfigMap', () => {
    const c = chart();
    new GrafanaInstance(c, 'grafana', {
      ...props,
      dashboards: [
        { namespace: 'monitoring', configMap: 'kube-prometheus-stack-nodes', key: 'nodes.json' },
        { namespace: 'monitoring', configMap: 'team-dashboards', key: 'latency.json' },
      ],
    });
    const dashboards = synthK8s(c).filter((o) => o.kind === 'GrafanaDashboard');
    expect(dashboards.map((d) => [d.metadata.name, d.spec.configMapRef])).toEqual([
      ['kube-prometheus-stack-nodes', { name: 'kube-prometheus-stack-nodes', key: 'nodes.json' }],
      ['team-dashboards-latency', { name: 'team-dashboards', key: 'latency.json' }],
    ]);
    for (const d of dashboards) expect(d.spec.instanceSelector).toEqual({ matchLabels: { 'parity.dev/grafana': 'grafana' } });
  });

  it('declares the operator’s calls into Grafana; option monitored: a ServiceMonitor on the operator’s Service and the scrape', () => {
    const c = chart();
    FactRegistry.of(c).provideWorkload('prometheus', workloadPeer('monitoring', 'prometheus', { app: 'prometheus' }), 'test');
    FactRegistry.of(c).provideName('CRD group', 'monitoring.coreos.com', 'test');
    new GrafanaInstance(c, 'grafana', { ...props, monitored: true, rootUrl: 'https://grafana.lab.internal/', syncWave: -3 });
    const objects = synthK8s(c);
    const flows = FactRegistry.of(c)
      .connections()
      .map(
        ({ connection: x }) =>
          `${x.from.kind === 'workload' ? x.from.name : x.from.kind} -> ${x.to.kind === 'workload' ? x.to.name : x.to.kind}:${x.ports.map((p) => p.port)}`,
      );
    expect(flows).toEqual(['monitoring/grafana-operator -> monitoring/grafana:3000', 'monitoring/prometheus -> monitoring/grafana:3000']);
    expect(only(objects, 'ServiceMonitor').spec).toEqual({
      selector: { matchLabels: { 'parity.dev/grafana': 'grafana' } },
      endpoints: [{ port: 'grafana', interval: '30s' }],
    });
    expect(only(objects, 'Grafana').spec.config.server).toEqual({ root_url: 'https://grafana.lab.internal/' });
    for (const o of objects) expect(o.metadata.annotations?.['argocd.argoproj.io/sync-wave']).toBe('-3');
  });

  it('rejects two data sources with one uid, two defaults, a dashboard the operator cannot see, an untagged image', () => {
    const twice = [props.dataSources[0], { ...props.dataSources[1], uid: 'prometheus' }];
    expect(errorOf(() => new GrafanaInstance(chart(), 'grafana', { ...props, dataSources: twice }))).toMatch(
      /prop "dataSources\[1\]\.uid" is "prometheus"; expected a uid no other data source of the instance has/,
    );
    const defaults = props.dataSources.map((d) => ({ ...d, isDefault: true }));
    expect(errorOf(() => new GrafanaInstance(chart(), 'grafana', { ...props, dataSources: defaults }))).toMatch(/at most one default data source/);
    expect(
      errorOf(() => new GrafanaInstance(chart(), 'grafana', { ...props, dashboards: [{ namespace: 'apps', configMap: 'x', key: 'x.json' }] })),
    ).toMatch(/prop "dashboards\[0\]\.namespace" is "apps"; expected "monitoring": the operator watches only its instance's namespace/);
    expect(errorOf(() => new GrafanaInstance(chart(), 'grafana', { ...props, image: 'grafana/grafana' }))).toMatch(/image/);
  });

  it('needs the operator and its CRDs', () => {
    expect(errorOf(() => new GrafanaInstance(k8sChart(), 'grafana', props))).toMatch(/needs CRD group "grafana.integreatly.org"/);
    const c = k8sChart();
    FactRegistry.of(c).provideName('CRD group', 'grafana.integreatly.org', 'test');
    expect(errorOf(() => new GrafanaInstance(c, 'grafana', props))).toMatch(/grafana-operator/);
  });
});
