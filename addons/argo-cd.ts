import { PinnedChart } from '../constructs/k8s/helm-application';
import { Environment } from '../lib/model/schema';

export const ARGO_CD_CHART: PinnedChart = { repoURL: 'https://argoproj.github.io/argo-helm', chart: 'argo-cd', version: '7.7.11' };

/** One set of Argo CD values for the bootstrap install and for Argo CD managing itself afterwards. */
export function argoCdValues(env: Environment) {
  return {
    global: { domain: `argocd.${env.domain}` },
    configs: { params: { 'server.insecure': false, 'application.namespaces': 'argocd' } },
    server: { replicas: 2 },
    repoServer: { replicas: 2 },
    applicationSet: { replicas: 2 },
    dex: { enabled: false },
  };
}
