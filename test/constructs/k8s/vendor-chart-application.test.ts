import { parse } from 'yaml';
import { VendorChartApplication, VendorChartApplicationProps } from '../../../constructs/k8s/vendor-chart-application';
import { errorOf, k8sChart, only, synthK8s } from '../helpers';

const props: VendorChartApplicationProps = {
  name: 'gen',
  destinationNamespace: 'gen',
  chart: { repository: 'vendor.example.com/charts', name: 'gen', version: '1.0.0' },
  values: { api: { image: { repository: 'vendor.example.com/gen-api', tag: '1.0.0' } }, oidc: { clientId: 'gen' } },
  source: { repoURL: 'https://git.example.com/gitops.git', revision: 'main', path: 'envs/x' },
};

const env = (app: any): Record<string, string> => Object.fromEntries(app.spec.source.plugin.env.map((e: any) => [e.name, e.value]));

describe('VendorChartApplication', () => {
  it('defaults: the secret-values plugin on the GitOps path, the pinned chart and its values, no secret values, wave 0, automated sync', () => {
    const c = k8sChart();
    const v = new VendorChartApplication(c, 'v', props);
    const app = only(synthK8s(c), 'Application');
    expect(app.metadata).toMatchObject({ name: 'gen', namespace: 'argocd', annotations: { 'argocd.argoproj.io/sync-wave': '0' } });
    expect(app.spec.source).toMatchObject({ repoURL: 'https://git.example.com/gitops.git', targetRevision: 'main', path: 'envs/x' });
    expect(app.spec.source.plugin.name).toBe('helm-secret-values');
    expect(env(app)).toMatchObject({ CHART_REPOSITORY: 'vendor.example.com/charts', CHART_NAME: 'gen', CHART_VERSION: '1.0.0', SECRET_VALUES: '' });
    expect(parse(env(app).HELM_VALUES)).toEqual(props.values);
    expect(app.spec.syncPolicy.automated).toEqual({ prune: true, selfHeal: true });
    expect(v.images).toEqual([]);
  });

  it('options: secret values as path=key pairs; image values rewritten to a mirror and reported; argo namespace; wave', () => {
    const c = k8sChart();
    const v = new VendorChartApplication(c, 'v', {
      ...props,
      secretValues: [
        { path: 'oidc.clientSecret', key: 'oidc.clientSecret' },
        { path: 'api.apiKeys[0].key', key: 'api.apiKeys.0.key' },
      ],
      imageValues: ['api.image'],
      registryMirror: 'registry.lab',
      argoNamespace: 'gitops',
      syncWave: 3,
    });
    const app = only(synthK8s(c), 'Application');
    expect(app.metadata.namespace).toBe('gitops');
    expect(app.metadata.annotations['argocd.argoproj.io/sync-wave']).toBe('3');
    expect(env(app).SECRET_VALUES).toBe('oidc.clientSecret=oidc.clientSecret api.apiKeys[0].key=api.apiKeys.0.key');
    expect(parse(env(app).HELM_VALUES).api.image).toEqual({ repository: 'registry.lab/vendor.example.com/gen-api', tag: '1.0.0' });
    expect(v.images).toEqual(['vendor.example.com/gen-api:1.0.0']);
    // The caller's values are not modified.
    expect((props.values as any).api.image.repository).toBe('vendor.example.com/gen-api');
  });

  it('rejects a moving or ranged version, a scheme in the registry path, a secret value also set as a value, and a bad image path', () => {
    const err = (p: Partial<VendorChartApplicationProps>) => errorOf(() => new VendorChartApplication(k8sChart(), 'v', { ...props, ...p }));
    expect(err({ chart: { ...props.chart, version: '0.0.0-latest' } })).toBe(
      'VendorChartApplication at test/v: prop "chart.version" is "0.0.0-latest"; expected an exact released chart version such as 1.2.3 (a "latest" version moves under the same name)',
    );
    expect(err({ chart: { ...props.chart, version: '^1.0.0' } })).toMatch(/prop "chart.version" is "\^1.0.0"/);
    expect(err({ chart: { ...props.chart, repository: 'oci://vendor.example.com/charts' } })).toMatch(
      /prop "chart.repository" is "oci:\/\/vendor.example.com\/charts"; expected an OCI registry path without scheme/,
    );
    expect(err({ values: { oidc: { clientSecret: 'x' } }, secretValues: [{ path: 'oidc.clientSecret', key: 'oidc.clientSecret' }] })).toBe(
      'VendorChartApplication at test/v: prop "values.oidc.clientSecret" is "(set)"; expected unset: it is a secret value, read from the Secret by the plugin',
    );
    expect(err({ secretValues: [{ path: 'oidc..x', key: 'k' }] })).toMatch(/prop "secretValues\[0\].path" is "oidc..x"/);
    expect(err({ imageValues: ['worker.image'] })).toMatch(/prop "values.worker.image" is .*; expected an image object \{ repository, tag \}/);
  });
});
