import { parseAllDocuments } from 'yaml';
import { synthesizeAll } from '../lib/pipeline/synth/pipeline';
import { examples, fixture, manifests, messageOf, resources, terraform } from './helpers';

describe('GitHub Actions runners on dev (Dev Center design: ci on the compute pool)', () => {
  const objects = manifests(examples(), 'dev');
  const app = objects.find((o) => o.kind === 'Application' && o.metadata.name === 'github-runners-ci');
  const values = app.spec.source.helm.valuesObject;

  it('is a runner scale set of ARC 0.14.2 in ci, authenticated by a GitHub App from Vault, its controller named', () => {
    expect(app.spec.source).toMatchObject({
      repoURL: 'ghcr.io/actions/actions-runner-controller-charts',
      chart: 'gha-runner-scale-set',
      targetRevision: '0.14.2',
    });
    expect(app.spec.destination.namespace).toBe('ci');
    expect(values).toMatchObject({
      githubConfigUrl: 'https://github.com/entropy-sa',
      githubConfigSecret: 'github-app',
      runnerScaleSetName: 'axiom-dev',
      minRunners: 0,
      maxRunners: 8,
      controllerServiceAccount: { namespace: 'arc-systems', name: 'arc-controller' },
    });
    const es = objects.find((o) => o.kind === 'ExternalSecret' && o.metadata.name === 'github-app');
    expect(es.metadata.namespace).toBe('ci');
    expect(es.spec.data.map((d: any) => d.secretKey).sort()).toEqual(['github_app_id', 'github_app_installation_id', 'github_app_private_key']);
    // The controller's ServiceAccount is the one the scale set names.
    const controller = objects.find((o) => o.kind === 'Application' && o.metadata.name === 'actions-runner-controller');
    expect(controller.spec.source.helm.valuesObject.serviceAccount).toEqual({ create: true, name: 'arc-controller' });
    expect(controller.spec.destination.namespace).toBe('arc-systems');
    // A person gives the GitHub App; the deploy guide names it.
    expect(examples().files.get('dev/DEPLOY.md')).toContain('vault kv put kv/ci/github-runners/github-app github_app_id=<value>');
  });

  it('runs the runners on the dedicated compute pool, restricted, with the builder’s client certificate', () => {
    const spec = values.template.spec;
    expect(spec.nodeSelector).toEqual({ 'parity.dev/dedicated': 'compute' });
    expect(spec.tolerations).toEqual([{ key: 'parity.dev/dedicated', operator: 'Equal', value: 'compute', effect: 'NoSchedule' }]);
    expect(spec.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 1001, seccompProfile: { type: 'RuntimeDefault' } });
    const [runner] = spec.containers;
    expect(runner.image).toBe('ghcr.io/actions/actions-runner:2.334.0');
    expect(runner.securityContext).toMatchObject({ allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] }, runAsNonRoot: true });
    expect(runner.env).toContainEqual({ name: 'BUILDKIT_HOST', value: 'tcp://buildkitd.ci-build.svc:1234' });
    expect(spec.volumes).toEqual([{ name: 'buildkit-client', secret: { secretName: 'buildkit-client' } }]);
    expect(values.listenerTemplate.spec.containers[0].securityContext).toMatchObject({ readOnlyRootFilesystem: true, runAsNonRoot: true });
    // The compute pool carries the taint on EKS, so nothing else lands there.
    const compute = resources(terraform(examples(), 'dev', 'cluster'), 'aws_eks_node_group').find((g) => g.node_group_name === 'compute');
    expect(compute.taint).toEqual([{ key: 'parity.dev/dedicated', value: 'compute', effect: 'NO_SCHEDULE' }]);
  });

  it('builds through a shared rootless BuildKit in ci-build (privileged namespace) on the same pool, reachable only from the runners', () => {
    const builder = objects.find((o) => o.kind === 'StatefulSet' && o.metadata.name === 'buildkitd');
    expect(builder.metadata.namespace).toBe('ci-build');
    expect(builder.spec.template.spec.nodeSelector).toEqual({ 'parity.dev/dedicated': 'compute' });
    expect(builder.spec.volumeClaimTemplates[0].spec).toMatchObject({ storageClassName: 'gp3', resources: { requests: { storage: '150Gi' } } });
    const ns = objects.find((o) => o.kind === 'Namespace' && o.metadata.name === 'ci-build');
    expect(ns.metadata.labels['pod-security.kubernetes.io/enforce']).toBe('privileged');
    const policies = parseAllDocuments(examples().files.get('dev/manifests/network-policies.yaml')!).map((d) => d.toJS());
    const own = policies.find((p) => p.metadata.namespace === 'ci-build' && p.metadata.name === 'buildkitd-connections');
    expect(own.spec.ingress).toEqual([
      {
        from: [
          {
            namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'ci' } },
            podSelector: { matchLabels: { 'app.kubernetes.io/name': 'github-runner', 'actions.github.com/scale-set-name': 'axiom-dev' } },
          },
        ],
        ports: [{ protocol: 'TCP', port: 1234 }],
      },
    ]);
    // The runners reach GitHub and the builder, nothing else in the cluster.
    const runners = policies.find((p) => p.metadata.namespace === 'ci' && p.metadata.name === 'github-runner-connections');
    expect(
      runners.spec.egress
        .map((e: any) => e.ports.map((p: any) => p.port))
        .flat()
        .sort(),
    ).toEqual([1234, 443]);
  });

  it('needs a dedicated pool of its role: without one, a clear error', () => {
    const dir = fixture('dev', (e) => {
      e.cluster.nodePools.find((p: { name: string }) => p.name === 'compute').dedicated = false;
    });
    expect(messageOf(() => synthesizeAll({ environmentsDir: dir }))).toContain(
      'expected a node pool with role: compute and dedicated: true in cluster.nodePools, because github-runners runs there',
    );
    const general = fixture('dev', (e) => {
      e.cluster.nodePools.find((p: { name: string }) => p.name === 'general').dedicated = true;
    });
    expect(messageOf(() => synthesizeAll({ environmentsDir: general }))).toContain(
      'cluster.nodePools[0].dedicated: found true; expected dedicated only on a compute or gpu pool',
    );
  });
});
