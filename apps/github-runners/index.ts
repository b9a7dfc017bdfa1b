import { BuildKitDaemon } from '../../constructs/k8s/buildkit-daemon';
import { HARDENED_CONTAINER, hardenedPod } from '../../constructs/k8s/container-defaults';
import { HelmApplication } from '../../constructs/k8s/helm-application';
import { dedicatedPoolPlacement } from '../../constructs/gpu';
import { mirroredImage } from '../../constructs/image';
import { Chart, k8s } from '../../lib/core/facade/k8s';
import { ChartFacts, ChartWorkload, chartWorkloadPeer } from '../../lib/core/facts/chart-facts';
import { hostPort } from '../../lib/core/facts/connections';
import { WAVES, waveAnnotation } from '../../lib/core/facts/waves';
import { GithubRunnersConfig } from '../../lib/core/model/apps/github-runners';
import { imageRef } from '../../lib/core/model/primitives';
import { ARC_CONTROLLER_SERVICE_ACCOUNT } from '../../contracts/platform';
import { AppContext, PlatformApp } from '../../contracts/app';
import type { WorkloadIdentityRequest } from '../../contracts/identity';
import type { Environment } from '../../lib/core/model/schema';

/** GitHub App credentials a person writes to Vault (kv/<ns>/github-runners/github-app), in the keys ARC reads. */
const GITHUB_APP = { secret: 'github-app', keys: ['github_app_id', 'github_app_installation_id', 'github_app_private_key'] } as const;
/** The runners' client certificate for the builder (ca.crt, tls.crt, tls.key). */
const BUILDKIT_CLIENT = 'buildkit-client';
const BUILDKIT_TLS_DIR = '/etc/buildkit/tls';
/** The runners' own ServiceAccount (no API token): the one their push identity is bound to. */
const RUNNER_SERVICE_ACCOUNT = 'github-runner';
/** The runner image's user (runner, 1001). */
const RUNNER_UID = 1001;
/** The controller's image, which the listener runs (distroless nonroot). */
const LISTENER_UID = 65532;

const runnerLabels = (cfg: GithubRunnersConfig) => ({
  'app.kubernetes.io/name': 'github-runner',
  'actions.github.com/scale-set-name': cfg.scaleSetName,
});

/** The ephemeral runner pods the controller creates from the scale set's template, one per job. */
function runnerWorkload(cfg: GithubRunnersConfig): ChartWorkload {
  return {
    name: 'github-runner',
    kind: 'Job',
    podSecurity: 'restricted',
    podLabels: runnerLabels(cfg),
    replicas: cfg.maxRunners,
    readsSecrets: [BUILDKIT_CLIENT],
  };
}

/** Ports and purposes of what every runner reaches outside the cluster. */
const RUNNER_EGRESS = [
  { host: 'github.com', purpose: 'GitHub Actions service: jobs, logs, checkout, artifacts' },
  { host: 'package registries', purpose: 'workflow dependencies (npm, PyPI, Maven) and tools' },
] as const;

/** The repositories of the image slots the runners push (`pushes`), as the environment pins them. */
function pushedRepositories(cfg: GithubRunnersConfig, env: Environment): string[] {
  return cfg.pushes.flatMap((p) => {
    const app = env.apps.find((a) => a.app === p.app && 'images' in a && p.image in a.images);
    // Validation reports a slot that does not exist; nothing is pushed there.
    return app && 'images' in app ? [(app.images as Record<string, { repository: string }>)[p.image].repository] : [];
  });
}

export const githubRunners: PlatformApp<GithubRunnersConfig> = {
  id: 'github-runners',
  description: 'Self-hosted GitHub Actions runners (ARC runner scale set) with a shared BuildKit layer cache',
  usesGpu: () => false,
  requiresAddOns: () => ['actions-runner-controller', 'cert-manager', 'external-secrets', 'vault'],
  dedicatedPool: (cfg) => cfg.pool,
  // A GitHub App of the organization (id, installation id, private key): only a person can create it.
  vaultSecrets: () => [{ name: GITHUB_APP.secret, keys: [...GITHUB_APP.keys], generated: false }],
  databases: () => [],
  // Pushing the organization's images: a cloud identity of the runners' ServiceAccount, allowed exactly
  // the pushed repositories (no registry key in Vault or in the repository's settings).
  workloadIdentities: (cfg, env): WorkloadIdentityRequest[] =>
    cfg.pushes.length === 0
      ? []
      : [
          {
            id: `${cfg.namespace}-image-push`,
            namespace: cfg.namespace,
            serviceAccounts: [RUNNER_SERVICE_ACCOUNT],
            registryPush: { repositories: [...new Set(pushedRepositories(cfg, env))].sort(), configPath: 'pushes' },
            requestedBy: `app github-runners in ${cfg.namespace}`,
          },
        ],
  chartFacts: (cfg) => [
    {
      application: `github-runners-${cfg.namespace}`,
      facts: {
        workloads: [runnerWorkload(cfg)],
        images: [imageRef(cfg.images.runner)],
      } satisfies ChartFacts,
    },
  ],

  install(chart: Chart, cfg: GithubRunnersConfig, ctx: AppContext): void {
    const ns = cfg.namespace;
    const mirror = ctx.env.registryMirror;
    const placement = dedicatedPoolPlacement(cfg.pool);
    const builder = new BuildKitDaemon(chart, 'buildkit', {
      namespace: cfg.builder.namespace,
      image: imageRef(cfg.images.buildkit),
      cacheSize: cfg.builder.cacheSize,
      storageClass: ctx.traits.defaultStorageClass,
      dedicatedPool: cfg.pool,
      registries: cfg.registries,
      syncWave: WAVES.appServices,
    });
    const runners = chartWorkloadPeer(ns, runnerWorkload(cfg));
    builder.addClient(runners, BUILDKIT_CLIENT, 'image builds (BuildKit over mutual TLS)');
    for (const e of RUNNER_EGRESS)
      ctx.facts.connect(
        { from: runners, to: { kind: 'external', host: e.host }, ports: [{ port: 443 }], purpose: e.purpose },
        `app github-runners in ${ns}`,
      );
    new k8s.KubeServiceAccount(chart, 'runner-service-account', {
      metadata: { name: RUNNER_SERVICE_ACCOUNT, namespace: ns, annotations: waveAnnotation('appSecrets') },
      automountServiceAccountToken: false,
    });
    // With a push identity, runners fetch its credentials where the substrate hands them out.
    const credentials = ctx.traits.cloudCredentialsEndpoint;
    if (cfg.pushes.length > 0 && credentials)
      ctx.facts.connect(
        {
          from: runners,
          to: { kind: 'external', host: credentials.name, cidr: credentials.cidr },
          ports: [{ port: credentials.port }],
          purpose: 'credentials of the image push identity',
        },
        `app github-runners in ${ns}`,
      );
    // The runner image is the scale set's pod template (not a chart image slot): pointed at the mirror here.
    const runnerImage = imageRef(cfg.images.runner);
    new HelmApplication(chart, 'scale-set', {
      name: `github-runners-${ns}`,
      chart: { repoURL: 'ghcr.io/actions/actions-runner-controller-charts', chart: 'gha-runner-scale-set', version: '0.14.2', images: {} },
      destinationNamespace: ns,
      registryMirror: mirror,
      createNamespace: false,
      syncWave: WAVES.appServing,
      values: {
        githubConfigUrl: cfg.githubConfigUrl,
        githubConfigSecret: GITHUB_APP.secret,
        runnerScaleSetName: cfg.scaleSetName,
        minRunners: cfg.minRunners,
        maxRunners: cfg.maxRunners,
        // Named: the chart would otherwise look the controller up in the cluster, which Argo CD's render cannot.
        controllerServiceAccount: { ...ARC_CONTROLLER_SERVICE_ACCOUNT },
        listenerTemplate: {
          spec: {
            securityContext: hardenedPod(LISTENER_UID),
            containers: [
              {
                name: 'listener',
                securityContext: HARDENED_CONTAINER,
                resources: { requests: { cpu: '50m', memory: '64Mi' }, limits: { cpu: '200m', memory: '256Mi' } },
              },
            ],
          },
        },
        template: {
          metadata: { labels: runnerLabels(cfg) },
          spec: {
            ...placement,
            serviceAccountName: RUNNER_SERVICE_ACCOUNT,
            securityContext: hardenedPod(RUNNER_UID),
            containers: [
              {
                name: 'runner',
                image: mirror ? mirroredImage(runnerImage, mirror) : runnerImage,
                command: ['/home/runner/run.sh'],
                // The runner writes its registration and work tree under its home: the root filesystem
                // stays writable; no root, no capabilities, no escalation (no sudo in jobs).
                securityContext: { ...HARDENED_CONTAINER, readOnlyRootFilesystem: false },
                resources: { requests: { cpu: '1', memory: '2Gi' }, limits: { cpu: '2', memory: '4Gi' } },
                env: [
                  { name: 'BUILDKIT_HOST', value: `tcp://${hostPort(builder.endpoint)}` },
                  { name: 'BUILDKIT_TLS_DIR', value: BUILDKIT_TLS_DIR },
                ],
                volumeMounts: [{ name: BUILDKIT_CLIENT, mountPath: BUILDKIT_TLS_DIR, readOnly: true }],
              },
            ],
            volumes: [{ name: BUILDKIT_CLIENT, secret: { secretName: BUILDKIT_CLIENT } }],
          },
        },
      },
    });
  },
};
