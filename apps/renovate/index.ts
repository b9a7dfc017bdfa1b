import { ScheduledJob } from '../../constructs/k8s/scheduled-job';
import { AppContext, PlatformApp } from '../../contracts/app';
import { Chart } from '../../lib/core/facade/k8s';
import { WAVES } from '../../lib/core/facts/waves';
import { RenovateConfig } from '../../lib/core/model/apps/renovate';
import { imageRef } from '../../lib/core/model/primitives';

/** The Git host's token (repository contents and pull requests), a person's input in Vault. */
const TOKEN = { secret: 'renovate-token', key: 'token' } as const;
/** The image's user (`USER 12021`, renovatebot/renovate tools/docker/Dockerfile at 39.86.1). */
const RENOVATE_UID = 12021;
/** The image's entrypoint and command at 39.86.1: the entrypoint readies containerbase's tools under /tmp. */
const COMMAND = ['/usr/local/sbin/renovate-entrypoint.sh', 'renovate'];
/** Where its work and cache go: the image's default base directory, on the pod's writable /tmp. */
const BASE_DIR = '/tmp/renovate';

/** The public API of each platform, when the environment names no endpoint. */
const PUBLIC_API: Record<RenovateConfig['platform'], string | undefined> = {
  github: 'https://api.github.com/',
  gitlab: 'https://gitlab.com/api/v4/',
  gitea: undefined,
};

/**
 * The registries its lookups reach (tags of the images it tracks): the ones Parity's pins come from.
 * Docker Hub answers on three hosts (registry, token service, the tag listing).
 */
const REGISTRY_HOSTS = [
  'registry-1.docker.io',
  'auth.docker.io',
  'hub.docker.com',
  'ghcr.io',
  'quay.io',
  'registry.k8s.io',
  'nvcr.io',
  'public.ecr.aws',
];

/**
 * Where Parity pins images, as Renovate's regex managers find them (RE2 syntax, which JavaScript reads
 * alike): the environments' `{ repository, tag[, digest] }` maps, inline or one key per line, and the
 * apps' defaults in code (`imageSchema.default({ repository: '...', tag: '...' })`).
 */
export const IMAGE_PINS = [
  {
    customType: 'regex',
    fileMatch: ['^environments/[^/]+\\.ya?ml$'],
    matchStrings: [
      'repository: "?(?<depName>[a-z0-9][^\\s,"}]*)"?,?\\s+tag: "?(?<currentValue>[^\\s,"}]+)"?(,?\\s+digest: "?(?<currentDigest>sha256:[a-f0-9]{64})"?)?',
    ],
    datasourceTemplate: 'docker',
  },
  {
    customType: 'regex',
    fileMatch: ['^lib/core/model/apps/[^/]+\\.ts$'],
    matchStrings: ["repository: '(?<depName>[a-z0-9][^']*)', tag: '(?<currentValue>[^']+)'"],
    datasourceTemplate: 'docker',
  },
] as const;

/** Renovate's configuration (its global config, as the RENOVATE_CONFIG JSON): Parity's image pins only. */
export function renovateSettings(cfg: RenovateConfig): Record<string, unknown> {
  const endpoint = cfg.endpoint ?? PUBLIC_API[cfg.platform];
  return {
    platform: cfg.platform,
    ...(endpoint ? { endpoint } : {}),
    repositories: [cfg.repository],
    // The repository needs no renovate.json of its own: this is the whole configuration.
    onboarding: false,
    requireConfig: 'optional',
    // Never install tools at run time (the root filesystem is read-only; regex managers need none).
    binarySource: 'global',
    baseDir: BASE_DIR,
    enabledManagers: ['custom.regex'],
    customManagers: IMAGE_PINS,
    branchPrefix: 'renovate/images-',
    labels: ['images'],
    // One pull request per image, a few at a time: each is synthesized and checked by CI on its own.
    prConcurrentLimit: 5,
    prHourlyLimit: 2,
  };
}

/**
 * Renovate (The Lab design: image version tracking that commits new tags back to Git). It runs as a
 * CronJob against Parity's repository, not the published GitOps tree: the tree is synthesized, so a
 * tag written there would be overwritten by the next synth. A new tag becomes a pull request to the
 * environment file or the app's default; CI synthesizes and checks it, and the merge publishes it.
 */
export const renovate: PlatformApp<RenovateConfig> = {
  id: 'renovate',
  description: 'Renovate: image tag updates as pull requests to Parity’s repository',
  usesGpu: () => false,
  requiresAddOns: () => ['external-secrets', 'vault'],
  vaultSecrets: () => [{ name: TOKEN.secret, keys: [TOKEN.key], generated: false }],
  databases: () => [],

  install(chart: Chart, cfg: RenovateConfig, _ctx: AppContext): void {
    const endpoint = cfg.endpoint ?? PUBLIC_API[cfg.platform];
    const gitHosts = [
      ...new Set([endpoint ? new URL(endpoint).hostname : undefined, cfg.platform === 'github' && !cfg.endpoint ? 'github.com' : undefined]),
    ].filter((h): h is string => !!h);
    new ScheduledJob(chart, 'renovate', {
      name: 'renovate',
      namespace: cfg.namespace,
      image: imageRef(cfg.images.renovate),
      command: COMMAND,
      schedule: cfg.schedule,
      // A run that hangs (a slow host) gives way to the next.
      activeDeadlineSeconds: 3000,
      backoffLimit: 0,
      runAsUser: RENOVATE_UID,
      resources: { requests: { cpu: '250m', memory: '512Mi' }, limits: { cpu: '1', memory: '2Gi' }, gpus: 0 },
      env: {
        RENOVATE_CONFIG: JSON.stringify(renovateSettings(cfg)),
        LOG_LEVEL: 'info',
      },
      secretEnv: { RENOVATE_TOKEN: TOKEN },
      connectsToPeers: [
        ...gitHosts.map((host) => ({
          peer: { kind: 'external' as const, host },
          ports: [{ port: 443 }],
          purpose: 'reads the repository, opens pull requests',
        })),
        ...REGISTRY_HOSTS.map((host) => ({ peer: { kind: 'external' as const, host }, ports: [{ port: 443 }], purpose: 'looks up image tags' })),
      ],
      syncWave: WAVES.appServing,
    });
  },
};
