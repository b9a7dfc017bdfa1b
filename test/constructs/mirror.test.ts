import { applyMirror, chartOrigin } from '../../constructs/mirror';

describe('applyMirror', () => {
  it('rewrites container images and Helm chart sources to the mirror and records each in the plan', () => {
    const docs: any[] = [
      { kind: 'Deployment', metadata: { name: 'a' }, spec: { template: { spec: { containers: [{ name: 'a', image: 'ghcr.io/org/a:1.0' }] } } } },
      {
        kind: 'Application',
        apiVersion: 'argoproj.io/v1alpha1',
        metadata: { name: 'c' },
        spec: { source: { repoURL: 'https://charts.example.com', chart: 'c', targetRevision: '1.0.0' } },
      },
    ];
    const plan = { images: new Map<string, string>(), charts: new Map<string, string>() };
    applyMirror(docs, 'registry.lab', plan);
    expect(docs[0].spec.template.spec.containers[0].image).toBe('registry.lab/ghcr.io/org/a:1.0');
    expect(docs[1].spec.source.repoURL).toBe(`registry.lab/charts/${chartOrigin('https://charts.example.com')}`);
    expect([...plan.images.keys()]).toEqual(['ghcr.io/org/a:1.0']);
  });

  it("rewrites a vendor chart rendered by the secret-values plugin: its registry in the plugin's environment", () => {
    const env = [
      { name: 'CHART_REPOSITORY', value: 'vendor.example.com/charts' },
      { name: 'CHART_NAME', value: 'v' },
      { name: 'CHART_VERSION', value: '2.0.0' },
    ];
    const docs: any[] = [
      {
        kind: 'Application',
        metadata: { name: 'v' },
        spec: { source: { repoURL: 'https://git', path: '.', plugin: { name: 'helm-secret-values', env } } },
      },
    ];
    const plan = { images: new Map<string, string>(), charts: new Map<string, string>() };
    applyMirror(docs, 'registry.lab', plan);
    expect(env[0].value).toBe('registry.lab/charts/vendor.example.com/charts');
    expect([...plan.charts]).toEqual([['vendor.example.com/charts/v:2.0.0', 'registry.lab/charts/vendor.example.com/charts/v:2.0.0']]);
    expect(docs[0].spec.source.repoURL).toBe('https://git');
  });
});
