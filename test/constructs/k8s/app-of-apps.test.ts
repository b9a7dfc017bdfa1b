import { AppOfApps } from '../../../constructs/k8s/app-of-apps';
import { k8sChart, only, synthK8s } from '../helpers';

describe('AppOfApps', () => {
  const props = { name: 'dev-root', repoURL: 'https://git.example/gitops.git', revision: 'main', path: '.' };

  it('defaults: the root Application in argocd, recursing the tree without bootstrap/, automated with prune, self-heal and retries', () => {
    const chart = k8sChart();
    new AppOfApps(chart, 'root', props);
    const app = only(synthK8s(chart), 'Application');
    expect(app.metadata).toEqual({ name: 'dev-root', namespace: 'argocd' });
    expect(app.spec.source).toEqual({
      repoURL: props.repoURL,
      targetRevision: 'main',
      path: '.',
      directory: { recurse: true, exclude: 'bootstrap/*' },
    });
    expect(app.spec.syncPolicy.automated).toEqual({ prune: true, selfHeal: true });
    expect(app.spec.syncPolicy.retry.limit).toBe(10);
  });

  it('option: the Argo CD namespace', () => {
    const chart = k8sChart();
    new AppOfApps(chart, 'root', { ...props, argoNamespace: 'gitops' });
    const app = only(synthK8s(chart), 'Application');
    expect(app.metadata.namespace).toBe('gitops');
    expect(app.spec.destination.namespace).toBe('gitops');
  });
});
