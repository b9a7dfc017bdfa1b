import { ARGO_CD_IMAGES } from './chart-images';
import { PinnedChart } from '../constructs/k8s/helm-application';
import { Environment } from '../lib/core/model/schema';

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

/** One set of Argo CD values for the bootstrap install and for Argo CD managing itself afterwards. */
export function argoCdValues(env: Environment) {
  return {
    global: { domain: `argocd.${env.domain}` },
    configs: {
      params: { 'server.insecure': false, 'application.namespaces': 'argocd' },
      cm: { [APPLICATION_HEALTH_KEY]: APPLICATION_HEALTH_LUA },
    },
    server: { replicas: 2 },
    repoServer: { replicas: 2 },
    applicationSet: { replicas: 2 },
    dex: { enabled: false },
  };
}
