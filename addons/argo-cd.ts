import { ARGO_CD_IMAGES } from './chart-images';
import { PinnedChart } from '../constructs/k8s/helm-application';
import { HARDENED_CONTAINER } from '../constructs/k8s/container-defaults';
import { Environment } from '../lib/core/model/schema';
import { hostDomain } from '../lib/core/model/hosts';
import { CHART_SECRETS_DIR, ChartSecretMount, SECRET_VALUES_GENERATE, SECRET_VALUES_PLUGIN } from '../lib/core/chart-secret-values';
import { KSOPS_IMAGE, SOPS_AGE_KEY } from '../lib/core/sops';
import { mirroredImage } from '../constructs/image';

/** The repo-server's own image, as the chart templates it (so a mirror rewrite of the chart's image reaches the plugin too). */
const REPO_SERVER_IMAGE =
  '{{ default .Values.global.image.repository .Values.repoServer.image.repository }}:{{ default (include "argo-cd.defaultTag" .) .Values.repoServer.image.tag }}';

/**
 * The secret-values plugin (see chart-secret-values): a sidecar of the repo-server running Argo CD's
 * cmp-server from the same image (it has helm), hardened like the repo-server, with its own /tmp and
 * each Application's Secret mounted read-only under CHART_SECRETS_DIR. Nothing when no app needs it.
 */
function secretValuesPlugin(mounts: ReadonlyArray<ChartSecretMount>) {
  if (mounts.length === 0) return { configs: {}, repoServer: {} };
  const volume = (m: ChartSecretMount) => `chart-secrets-${m.application}`;
  return {
    configs: {
      cmp: {
        create: true,
        plugins: { [SECRET_VALUES_PLUGIN]: { generate: { command: ['sh', '-c'], args: [SECRET_VALUES_GENERATE] } } },
      },
    },
    repoServer: {
      extraContainers: [
        {
          name: `cmp-${SECRET_VALUES_PLUGIN}`,
          command: ['/var/run/argocd/argocd-cmp-server'],
          image: REPO_SERVER_IMAGE,
          // helm keeps its cache and registry config under these; the root filesystem is read-only.
          env: [
            { name: 'HELM_CACHE_HOME', value: '/tmp/helm/cache' },
            { name: 'HELM_CONFIG_HOME', value: '/tmp/helm/config' },
            { name: 'HELM_DATA_HOME', value: '/tmp/helm/data' },
          ],
          // The repo-server's user (argocd, 999).
          securityContext: { ...HARDENED_CONTAINER, runAsUser: 999 },
          volumeMounts: [
            { mountPath: '/var/run/argocd', name: 'var-files' },
            { mountPath: '/home/argocd/cmp-server/plugins', name: 'plugins' },
            { mountPath: '/home/argocd/cmp-server/config/plugin.yaml', subPath: `${SECRET_VALUES_PLUGIN}.yaml`, name: 'argocd-cmp-cm' },
            // Not the repo-server's /tmp: the separation keeps a path traversal in one from reaching the other.
            { mountPath: '/tmp', name: 'cmp-tmp' },
            ...mounts.map((m) => ({ mountPath: `${CHART_SECRETS_DIR}/${m.application}`, name: volume(m), readOnly: true })),
          ],
        },
      ],
      volumes: [
        { name: 'argocd-cmp-cm', configMap: { name: 'argocd-cmp-cm' } },
        { name: 'cmp-tmp', emptyDir: {} },
        ...mounts.map((m) => ({ name: volume(m), secret: { secretName: m.secret, defaultMode: 0o444 } })),
      ],
    },
  };
}

/**
 * KSOPS in the repo-server (seed 004: static secrets in Git, encrypted with SOPS and age): an init
 * container copies the plugin next to Argo CD's own kustomize, which runs it as an exec function
 * (alpha plugins and exec enabled), and sops finds Argo CD's private key where SOPS_AGE_KEY_FILE points.
 * The key's Secret is written by the bootstrap stack before Argo CD syncs anything; optional, so a
 * repo-server without it still starts (and fails only the encrypted Application, saying why).
 */
function ksops(env: Environment) {
  if (!env.gitops.sops) return { cm: {}, repoServer: { initContainers: [], volumes: [], volumeMounts: [], env: [] } };
  const image = env.registryMirror ? mirroredImage(KSOPS_IMAGE, env.registryMirror) : KSOPS_IMAGE;
  return {
    cm: { 'kustomize.buildOptions': '--enable-alpha-plugins --enable-exec' },
    repoServer: {
      initContainers: [
        {
          name: 'install-ksops',
          image,
          imagePullPolicy: 'IfNotPresent',
          command: ['/usr/local/bin/ksops', 'install', '/custom-tools'],
          securityContext: { ...HARDENED_CONTAINER, runAsUser: 999 },
          resources: { requests: { cpu: '10m', memory: '32Mi' }, limits: { cpu: '100m', memory: '64Mi' } },
          volumeMounts: [{ mountPath: '/custom-tools', name: 'custom-tools' }],
        },
      ],
      volumes: [
        { name: 'custom-tools', emptyDir: {} },
        { name: SOPS_AGE_KEY.secret, secret: { secretName: SOPS_AGE_KEY.secret, optional: true, defaultMode: 0o400 } },
      ],
      volumeMounts: [
        { mountPath: '/usr/local/bin/ksops', name: 'custom-tools', subPath: 'ksops' },
        { mountPath: SOPS_AGE_KEY.mountDir, name: SOPS_AGE_KEY.secret, readOnly: true },
      ],
      env: [{ name: 'SOPS_AGE_KEY_FILE', value: `${SOPS_AGE_KEY.mountDir}/${SOPS_AGE_KEY.key}` }],
    },
  };
}

/** Images the values above run outside the chart's image slots: KSOPS's, where static secrets are on. */
export function argoCdExtraImages(env: Environment): string[] {
  return env.gitops.sops ? [KSOPS_IMAGE] : [];
}

export const ARGO_CD_CHART: PinnedChart = {
  repoURL: 'https://argoproj.github.io/argo-helm',
  chart: 'argo-cd',
  version: '7.7.11',
  images: ARGO_CD_IMAGES,
};

/** Argo CD's own resource customization key for the health of child Applications. */
export const APPLICATION_HEALTH_KEY = 'resource.customizations.health.argoproj.io_Application';

/**
 * Health of a child Application as the app-of-apps root sees it. Argo CD 1.8 removed the built-in
 * check, so without this a child counts as healthy the moment it exists and the root's next wave
 * starts before the child's CRDs, Services and Secrets are there (Argo CD docs, "sync waves").
 */
export const APPLICATION_HEALTH_LUA = [
  'hs = {}',
  'hs.status = "Progressing"',
  'hs.message = ""',
  'if obj.status ~= nil then',
  '  if obj.status.health ~= nil then',
  '    hs.status = obj.status.health.status',
  '    if obj.status.health.message ~= nil then',
  '      hs.message = obj.status.health.message',
  '    end',
  '  end',
  'end',
  'return hs',
  '',
].join('\n');

/**
 * One set of Argo CD values for the bootstrap install and for Argo CD managing itself afterwards.
 * @param chartSecrets the Secrets the secret-values plugin mounts, one per Application that uses it
 */
export function argoCdValues(env: Environment, chartSecrets: ReadonlyArray<ChartSecretMount> = []) {
  const plugin = secretValuesPlugin(chartSecrets);
  const sops = ksops(env);
  const repoServer = { replicas: 2, ...plugin.repoServer };
  return {
    // The host its UI is routed at (and the one its links and SSO callbacks name).
    global: { domain: `argocd.${hostDomain(env)}` },
    configs: {
      params: { 'server.insecure': false, 'application.namespaces': 'argocd' },
      cm: { [APPLICATION_HEALTH_KEY]: APPLICATION_HEALTH_LUA, ...sops.cm },
      ...plugin.configs,
    },
    server: { replicas: 2 },
    repoServer: env.gitops.sops
      ? {
          ...repoServer,
          initContainers: sops.repoServer.initContainers,
          volumes: [...(repoServer.volumes ?? []), ...sops.repoServer.volumes],
          volumeMounts: sops.repoServer.volumeMounts,
          env: sops.repoServer.env,
        }
      : repoServer,
    applicationSet: { replicas: 2 },
    dex: { enabled: false },
  };
}
