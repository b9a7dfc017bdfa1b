import { examples, manifests } from './helpers';

describe('namespace layer', () => {
  for (const envName of ['dev', 'prod', 'onprem']) {
    describe(envName, () => {
      const objects = manifests(examples(), envName);
      const namespaces = objects.filter((o) => o.kind === 'Namespace' && o.metadata.labels['parity.dev/tier'] !== 'platform');
      const platformNamespaces = objects.filter((o) => o.kind === 'Namespace' && o.metadata.labels['parity.dev/tier'] === 'platform');
      const inNs = (kind: string, ns: string) => objects.filter((o) => o.kind === kind && o.metadata.namespace === ns);

      it('declares namespaces', () => expect(namespaces.length).toBeGreaterThan(0));

      it('gives every namespace a quota, container defaults, Pod Security labels and a default-deny policy', () => {
        for (const ns of namespaces) {
          const name = ns.metadata.name;
          // Privileged only where the environment says why (dev's image builder: rootless BuildKit).
          expect(ns.metadata.labels['pod-security.kubernetes.io/enforce']).toMatch(name === 'ci-build' ? /^privileged$/ : /^(restricted|baseline)$/);
          expect(ns.metadata.labels['pod-security.kubernetes.io/warn']).toBe('restricted');
          const [quota] = inNs('ResourceQuota', name);
          expect(Object.keys(quota.spec.hard)).toEqual(
            expect.arrayContaining(['requests.cpu', 'requests.memory', 'limits.cpu', 'limits.memory', 'pods']),
          );
          const [limits] = inNs('LimitRange', name);
          expect(limits.spec.limits[0]).toMatchObject({ type: 'Container', default: expect.any(Object), defaultRequest: expect.any(Object) });
          const deny = inNs('NetworkPolicy', name).find((p) => p.metadata.name === 'default-deny-all');
          expect(deny.spec).toEqual({ podSelector: {}, policyTypes: ['Ingress', 'Egress'] });
          expect(ns.metadata.annotations['argocd.argoproj.io/sync-wave']).toBe('-40');
        }
      });

      it('creates every add-on namespace in the first wave, at the Pod Security level its chart needs', () => {
        expect(platformNamespaces.length).toBeGreaterThan(0);
        for (const ns of platformNamespaces) expect(ns.metadata.annotations['argocd.argoproj.io/sync-wave']).toBe('-40');
        const level = (name: string) =>
          platformNamespaces.find((n) => n.metadata.name === name)?.metadata.labels['pod-security.kubernetes.io/enforce'];
        expect(level('cert-manager')).toBe('restricted');
        expect(level('monitoring-agents')).toBe('privileged'); // node-exporter: host network and paths
        expect(level('nvidia-gpu')).toBe('privileged');
        expect(level('velero')).toBe('privileged'); // node agent reads volumes through hostPath
      });
    });
  }

  /** Objects of the namespace layer (namespaces.yaml), without platform-owned namespaces such as private-access. */
  const namespaceLayer = (env: string) => {
    const { parseAllDocuments } = require('yaml') as typeof import('yaml');
    return parseAllDocuments(examples().files.get(`${env}/manifests/namespaces.yaml`)!).map((d) => d.toJS());
  };

  it('Dev Center design: dev has the five Dev Center namespaces, and the CI runners’ image builder', () => {
    const names = namespaceLayer('dev')
      .filter((o) => o.kind === 'Namespace' && o.metadata.labels['parity.dev/tier'] !== 'platform')
      .map((o) => o.metadata.name);
    expect(names).toEqual(['dev-center', 'monitoring', 'ci', 'ci-build', 'ai-platform', 'auth']);
  });

  it('Arbitex design: the GPU namespace enforces baseline and warns on restricted', () => {
    const ns = manifests(examples(), 'prod').find((o) => o.kind === 'Namespace' && o.metadata.name === 'arbitex');
    expect(ns.metadata.labels).toMatchObject({
      'pod-security.kubernetes.io/enforce': 'baseline',
      'pod-security.kubernetes.io/warn': 'restricted',
      'pod-security.kubernetes.io/audit': 'restricted',
    });
  });

  it('Dev Center design: binds team groups to the built-in admin/edit/view roles', () => {
    const bindings = manifests(examples(), 'dev').filter((o) => o.kind === 'RoleBinding' && o.metadata.namespace === 'dev-center');
    expect(bindings.map((b) => [b.metadata.name, b.roleRef.name, b.subjects.map((s: any) => s.name)])).toEqual([
      ['team-edit', 'edit', ['dev-center-engineers']],
      ['team-view', 'view', ['platform-readers']],
    ]);
    const everyNamespaceHasRbac = namespaceLayer('dev')
      .filter((o) => o.kind === 'Namespace' && o.metadata.labels['parity.dev/tier'] !== 'platform')
      .every((ns) => namespaceLayer('dev').some((o) => o.kind === 'RoleBinding' && o.metadata.namespace === ns.metadata.name));
    expect(everyNamespaceHasRbac).toBe(true);
  });

  it('opens nothing beyond DNS at namespace level: traffic is per workload, from declared connections', () => {
    const policies = manifests(examples(), 'dev').filter((o) => o.kind === 'NetworkPolicy' && o.metadata.namespace === 'dev-center');
    expect(policies.map((p) => p.metadata.name)).not.toContain('allow-same-namespace');
    const backend = policies.find((p) => p.metadata.name === 'axiom-backend-connections');
    expect(backend.spec.podSelector.matchLabels).toEqual({ 'app.kubernetes.io/name': 'axiom-backend', 'app.kubernetes.io/instance': 'dev-center' });
    // Egress to exactly the declared services: its database, Redis, MinIO, Temporal, the OTLP collector.
    const egressPorts = backend.spec.egress.map((r: any) => r.ports[0].port);
    expect(egressPorts).toEqual([5432, 6379, 9000, 7233, 4318]);
    const collector = backend.spec.egress.find((r: any) => r.ports[0].port === 4318).to[0];
    expect(collector.namespaceSelector.matchLabels['kubernetes.io/metadata.name']).toBe('monitoring');
    // Ingress only from the internal gateway (its route) and Prometheus (its ServiceMonitor).
    const sources = backend.spec.ingress.map((r: any) => r.from[0].namespaceSelector.matchLabels['kubernetes.io/metadata.name']).sort();
    expect(sources).toEqual(['monitoring', 'private-access']);
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
