import { HelmAddOn } from './helm-addon';

export const externalSecrets = new HelmAddOn({
  id: 'external-secrets',
  description: 'External Secrets Operator: Kubernetes Secrets from Vault',
  namespace: 'external-secrets',
  syncWave: -8,
  chart: () => ({ repoURL: 'https://charts.external-secrets.io', chart: 'external-secrets', version: '0.18.2' }),
  values: () => ({ installCRDs: true, replicaCount: 2, webhook: { replicaCount: 2 }, certController: { replicaCount: 2 } }),
});
