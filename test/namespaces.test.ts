import { examples, manifests } from './helpers';

describe('namespace layer', () => {
  for (const envName of ['dev', 'prod', 'onprem']) {
    describe(envName, () => {
      const objects = manifests(examples(), envName);
      const namespaces = objects.filter((o) => o.kind === 'Namespace');
      const inNs = (kind: string, ns: string) => objects.filter((o) => o.kind === kind && o.metadata.namespace === ns);

      it('declares namespaces', () => expect(namespaces.length).toBeGreaterThan(0));

      it('gives every namespace a quota, container defaults, Pod Security labels and a default-deny policy', () => {
        for (const ns of namespaces) {
          const name = ns.metadata.name;
          expect(ns.metadata.labels['pod-security.kubernetes.io/enforce']).toMatch(/^(restricted|baseline)$/);
          expect(ns.metadata.labels['pod-security.kubernetes.io/warn']).toBe('restricted');
          const [quota] = inNs('ResourceQuota', name);
          expect(Object.keys(quota.spec.hard)).toEqual(
            expect.arrayContaining(['requests.cpu', 'requests.memory', 'limits.cpu', 'limits.memory', 'pods']),
          );
          const [limits] = inNs('LimitRange', name);
          expect(limits.spec.limits[0]).toMatchObject({ type: 'Container', default: expect.any(Object), defaultRequest: expect.any(Object) });
          const deny = inNs('NetworkPolicy', name).find((p) => p.metadata.name === 'default-deny-all');
          expect(deny.spec).toEqual({ podSelector: {}, policyTypes: ['Ingress', 'Egress'] });
        }
      });
    });
  }

  /** Objects of the namespace layer (namespaces.yaml), without platform-owned namespaces such as private-access. */
  const namespaceLayer = (env: string) => {
    const { parseAllDocuments } = require('yaml') as typeof import('yaml');
    return parseAllDocuments(examples().files.get(`${env}/manifests/namespaces.yaml`)!).map((d) => d.toJS());
  };

  it('seed 003: dev has the five Dev Center namespaces', () => {
    const names = namespaceLayer('dev')
      .filter((o) => o.kind === 'Namespace')
      .map((o) => o.metadata.name);
    expect(names).toEqual(['dev-center', 'monitoring', 'ci', 'ai-platform', 'auth']);
  });

  it('seed 001: the GPU namespace enforces baseline and warns on restricted', () => {
    const ns = manifests(examples(), 'prod').find((o) => o.kind === 'Namespace' && o.metadata.name === 'arbitex');
    expect(ns.metadata.labels).toMatchObject({
      'pod-security.kubernetes.io/enforce': 'baseline',
      'pod-security.kubernetes.io/warn': 'restricted',
      'pod-security.kubernetes.io/audit': 'restricted',
    });
  });

  it('seed 003: binds team groups to the built-in admin/edit/view roles', () => {
    const bindings = manifests(examples(), 'dev').filter((o) => o.kind === 'RoleBinding' && o.metadata.namespace === 'dev-center');
    expect(bindings.map((b) => [b.metadata.name, b.roleRef.name, b.subjects.map((s: any) => s.name)])).toEqual([
      ['team-edit', 'edit', ['dev-center-engineers']],
      ['team-view', 'view', ['platform-readers']],
    ]);
    const everyNamespaceHasRbac = namespaceLayer('dev')
      .filter((o) => o.kind === 'Namespace')
      .every((ns) => namespaceLayer('dev').some((o) => o.kind === 'RoleBinding' && o.metadata.namespace === ns.metadata.name));
    expect(everyNamespaceHasRbac).toBe(true);
  });

  it('opens only the namespaces listed in allowFrom', () => {
    const policy = manifests(examples(), 'dev').find(
      (o) => o.kind === 'NetworkPolicy' && o.metadata.namespace === 'auth' && o.metadata.name === 'allow-same-namespace',
    );
    const sources = policy.spec.ingress[0].from.map((f: any) => f.namespaceSelector?.matchLabels['kubernetes.io/metadata.name'] ?? 'same-namespace');
    expect(sources).toEqual(['same-namespace', 'dev-center', 'ingress-nginx', 'monitoring']);
  });

  it('snapshot: the dev-center namespace as a whole', () => {
    const { parseAllDocuments } = require('yaml') as typeof import('yaml');
    const docs = parseAllDocuments(examples().files.get('dev/manifests/namespaces.yaml')!)
      .map((d) => d.toJS())
      .filter((o) => o.metadata.namespace === 'dev-center' || o.metadata.name === 'dev-center');
    expect(docs).toMatchSnapshot();
  });
});

describe('GitOps root', () => {
  it('points Argo CD at the environment path of its GitOps repository', () => {
    const root = manifests(examples(), 'prod').find((o) => o.kind === 'Application' && o.metadata.name === 'prod-root');
    expect(root.spec.source).toEqual({
      repoURL: 'https://git.arbitex.ai/platform/gitops-prod.git',
      targetRevision: 'main',
      path: 'manifests',
      directory: { recurse: true, exclude: 'bootstrap/*' },
    });
    expect(root.spec.syncPolicy.automated).toEqual({ prune: true, selfHeal: true });
  });

  it('pins every add-on chart to an exact version', () => {
    for (const env of ['dev', 'prod', 'onprem']) {
      const apps = manifests(examples(), env).filter((o) => o.kind === 'Application' && o.spec.source.chart);
      expect(apps.length).toBeGreaterThan(0);
      for (const app of apps) expect(app.spec.source.targetRevision).toMatch(/^v?\d+\.\d+\.\d+$/);
    }
  });

  it('GPU enablement follows the substrate trait: device plugin in the cloud, GPU operator on bare metal', () => {
    const chartOf = (env: string) => manifests(examples(), env).find((o) => o.metadata.name === 'nvidia-gpu').spec.source.chart;
    expect([chartOf('dev'), chartOf('prod'), chartOf('onprem')]).toEqual(['nvidia-device-plugin', 'nvidia-device-plugin', 'gpu-operator']);
  });
});
