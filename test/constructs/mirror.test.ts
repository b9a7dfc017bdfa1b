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
});
