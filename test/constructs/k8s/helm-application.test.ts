import { HelmApplication } from '../../../constructs/k8s/helm-application';
import { errorOf, k8sChart, only, synthK8s } from '../helpers';

const chart = { repoURL: 'https://charts.example.com', chart: 'thing', version: '1.2.3' };

describe('HelmApplication', () => {
  it('defaults: pinned chart, typed values, wave 0, automated sync with CreateNamespace, the resources finalizer', () => {
    const c = k8sChart();
    new HelmApplication(c, 'a', { name: 'thing', chart, destinationNamespace: 'things', values: { replicas: 2 } });
    const app = only(synthK8s(c), 'Application');
    expect(app.metadata).toMatchObject({
      name: 'thing',
      namespace: 'argocd',
      annotations: { 'argocd.argoproj.io/sync-wave': '0' },
      finalizers: ['resources-finalizer.argocd.argoproj.io'],
    });
    expect(app.spec.source).toEqual({
      repoURL: chart.repoURL,
      chart: 'thing',
      targetRevision: '1.2.3',
      helm: { releaseName: 'thing', valuesObject: { replicas: 2 } },
    });
    expect(app.spec.syncPolicy.syncOptions).toEqual(['CreateNamespace=true']);
    expect(app.spec.project).toBe('default');
  });

  it('options: wave, project, destination server, extra sync options, Argo CD namespace', () => {
    const c = k8sChart();
    new HelmApplication(c, 'a', {
      name: 't',
      chart,
      destinationNamespace: 'n',
      values: {},
      syncWave: -5,
      project: 'platform',
      destinationServer: 'https://other',
      syncOptions: ['ServerSideApply=true'],
      argoNamespace: 'gitops',
    });
    const app = only(synthK8s(c), 'Application');
    expect(app.metadata.annotations['argocd.argoproj.io/sync-wave']).toBe('-5');
    expect(app.metadata.namespace).toBe('gitops');
    expect(app.spec).toMatchObject({ project: 'platform', destination: { server: 'https://other', namespace: 'n' } });
    expect(app.spec.syncPolicy.syncOptions).toEqual(['CreateNamespace=true', 'ServerSideApply=true']);
  });

  it('rejects a chart version that is not exact and a repository that is neither https nor OCI', () => {
    expect(
      errorOf(() => new HelmApplication(k8sChart(), 'a', { name: 't', chart: { ...chart, version: '^1.2' }, destinationNamespace: 'n', values: {} })),
    ).toBe('HelmApplication at test/a: prop "chart.version" is "^1.2"; expected an exact chart version such as 1.2.3 (no ranges, no "latest")');
    expect(
      errorOf(
        () => new HelmApplication(k8sChart(), 'a', { name: 't', chart: { ...chart, repoURL: 'http://x' }, destinationNamespace: 'n', values: {} }),
      ),
    ).toMatch(/prop "chart.repoURL"/);
  });
});
