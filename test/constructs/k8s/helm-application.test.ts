import { HelmApplication } from '../../../constructs/k8s/helm-application';
import { errorOf, k8sChart, only, synthK8s } from '../helpers';

// podinfo 6.7.1 is vendored (vendor/charts/podinfo-6.7.1): its image slots are `image` and `redis`.
const chart = {
  repoURL: 'https://stefanprodan.github.io/podinfo',
  chart: 'podinfo',
  version: '6.7.1',
  images: { image: { deployed: true }, redis: { deployed: (v: { redis: { enabled: boolean } }) => v.redis.enabled } },
};

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
      chart: 'podinfo',
      targetRevision: '6.7.1',
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
    // Into a namespace the platform creates (an app's), Argo CD creates none.
    const c2 = k8sChart();
    new HelmApplication(c2, 'a', { name: 'thing', chart, destinationNamespace: 'n', values: {}, createNamespace: false });
    expect(only(synthK8s(c2), 'Application').spec.syncPolicy.syncOptions).toBeUndefined();
  });

  it('images: the slots the values deploy, from the vendored chart; with a mirror, the values point each at <mirror>/<origin>', () => {
    const plain = new HelmApplication(k8sChart(), 'a', { name: 'p', chart, destinationNamespace: 'n', values: {} });
    expect(plain.images).toEqual([{ slot: 'image', image: 'ghcr.io/stefanprodan/podinfo:6.7.1' }]);

    const c = k8sChart();
    const mirrored = new HelmApplication(c, 'a', {
      name: 'p',
      chart,
      destinationNamespace: 'n',
      values: { redis: { enabled: true } },
      registryMirror: 'registry.example.internal',
    });
    expect(mirrored.images.map((i) => i.image)).toEqual(['ghcr.io/stefanprodan/podinfo:6.7.1', 'docker.io/library/redis:7.0.7']);
    expect(only(synthK8s(c), 'Application').spec.source.helm.valuesObject).toEqual({
      image: { repository: 'registry.example.internal/ghcr.io/stefanprodan/podinfo' },
      redis: { enabled: true, repository: 'registry.example.internal/docker.io/library/redis' },
    });
  });

  it('rejects an image table that misses a slot of the vendored chart, and a chart that is not vendored', () => {
    const partial = { ...chart, images: { image: { deployed: true } } };
    expect(errorOf(() => new HelmApplication(k8sChart(), 'a', { name: 't', chart: partial, destinationNamespace: 'n', values: {} }))).toMatch(
      /prop "chart.images".*image slot redis has no entry in the add-on's image table/,
    );
    const unknown = { ...chart, chart: 'thing', version: '1.2.3' };
    expect(errorOf(() => new HelmApplication(k8sChart(), 'a', { name: 't', chart: unknown, destinationNamespace: 'n', values: {} }))).toMatch(
      /chart thing 1.2.3 is not vendored/,
    );
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
