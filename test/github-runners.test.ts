import { parseAllDocuments } from 'yaml';
import { synthesizeAll } from '../lib/pipeline/synth/pipeline';
import { examples, fixture, manifests, messageOf, resources, terraform } from './helpers';
import { substrateFor } from '../substrates';

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
    // The runners reach GitHub, the builder and (for their push identity) the Pod Identity agent, nothing else in the cluster.
    const runners = policies.find((p) => p.metadata.namespace === 'ci' && p.metadata.name === 'github-runner-connections');
    expect(
      runners.spec.egress
        .map((e: any) => e.ports.map((p: any) => p.port))
        .flat()
        .sort(),
    ).toEqual([1234, 443, 80]);
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

  it('pushes the images it is told to (pushes: app and slot) as its own ServiceAccount’s Pod Identity, the repositories created with it', () => {
    expect(values.template.spec.serviceAccountName).toBe('github-runner');
    const sa = objects.find((o) => o.kind === 'ServiceAccount' && o.metadata.name === 'github-runner');
    expect(sa).toMatchObject({ metadata: { namespace: 'ci' }, automountServiceAccountToken: false });
    const tf = terraform(examples(), 'dev', 'cluster');
    expect(resources(tf, 'aws_eks_pod_identity_association').filter((a) => a.namespace === 'ci')).toEqual([
      expect.objectContaining({ service_account: 'github-runner', role_arn: expect.stringMatching(/identity-ci-image-push_role/) }),
    ]);
    // The repositories of mlflow's server and metaflow's service image slots, nothing else.
    expect(resources(tf, 'aws_ecr_repository').map((r) => r.name)).toEqual(['axiom/metaflow-service', 'axiom/mlflow']);
    // Its credentials come from the Pod Identity agent: that call is a declared connection.
    const policy = objects.find(
      (o) => o.kind === 'NetworkPolicy' && o.metadata.namespace === 'ci' && o.spec.podSelector.matchLabels?.['actions.github.com/scale-set-name'],
    );
    expect(policy.spec.egress).toContainEqual({ ports: [{ port: 80, protocol: 'TCP' }], to: [{ ipBlock: { cidr: '169.254.170.23/32' } }] });
  });

  it('refuses a push that names no image slot of the environment, or a repository the cluster cannot push to', () => {
    const unknown = fixture('dev', (e) => {
      e.apps.find((a: { app: string }) => a.app === 'github-runners').pushes = [{ app: 'mlflow', image: 'ui' }];
    });
    expect(messageOf(() => synthesizeAll({ environmentsDir: unknown }))).toMatch(
      /apps\[\d+\]\.pushes\[0\]: found \{"app":"mlflow","image":"ui"\}; expected an app of this environment and one of its image slots \(mlflow: server, minio, minioClient\)/,
    );
    const elsewhere = fixture('dev', (e) => {
      e.apps.find((a: { app: string }) => a.app === 'mlflow').images.server.repository = 'ghcr.io/entropy-sa/mlflow';
    });
    expect(messageOf(() => synthesizeAll({ environmentsDir: elsewhere }))).toMatch(
      /apps\[\d+\]\.pushes\[1\]: found "ghcr.io\/entropy-sa\/mlflow"; expected an ECR repository in us-east-1/,
    );
  });

  it('a substrate without registry push identities says so instead of dropping the request', () => {
    const request = {
      id: 'ci-image-push',
      namespace: 'ci',
      serviceAccounts: ['github-runner'],
      registryPush: { repositories: ['111122223333.dkr.ecr.us-east-1.amazonaws.com/axiom/mlflow'], configPath: 'pushes' },
      requestedBy: 'app github-runners in ci',
    };
    const env = (name: string) => examples().models.find((m) => m.env.name === name)!.env;
    expect(substrateFor('aks').workloadIdentityProblems(env('prod'), request)).toEqual([
      { path: 'pushes', found: request.registryPush.repositories, expected: 'no registry push identity on AKS (built for ECR on EKS)' },
    ]);
    expect(substrateFor('kubeadm').workloadIdentityProblems(env('onprem'), request)[0].expected).toMatch(/no cloud workload identity on bare metal/);
    expect(substrateFor('eks').workloadIdentityProblems(env('dev'), request)).toEqual([]);
  });
});
