import { HelmAddOn } from './helm-addon';

export const externalSecrets = new HelmAddOn({
  id: 'external-secrets',
  description: 'External Secrets Operator: Kubernetes Secrets from Vault',
  namespace: 'external-secrets',
  syncWave: -8,
  chart: () => ({ repoURL: 'https://charts.external-secrets.io', chart: 'external-secrets', version: '0.10.7' }),
  values: () => ({ installCRDs: true, replicaCount: 2, webhook: { replicaCount: 2 }, certController: { replicaCount: 2 } }),
});

/** Vault with integrated Raft storage, three replicas spread over nodes (seed 004: Raft HA, audit log). */
export const vault = new HelmAddOn({
  id: 'vault',
  description: 'HashiCorp Vault, Raft HA: the single source of credentials',
  namespace: 'vault',
  syncWave: -7,
  chart: () => ({ repoURL: 'https://helm.releases.hashicorp.com', chart: 'vault', version: '0.29.1' }),
  values: ({ traits }) => ({
    injector: { enabled: false },
    server: {
      ha: { enabled: true, replicas: 3, raft: { enabled: true, setNodeId: true } },
      dataStorage: { enabled: true, size: '10Gi', storageClass: traits.defaultStorageClass },
      auditStorage: { enabled: true, size: '10Gi', storageClass: traits.defaultStorageClass },
      affinity: { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ labelSelector: { matchLabels: { 'app.kubernetes.io/name': 'vault', component: 'server' } }, topologyKey: 'kubernetes.io/hostname' }] } },
    },
    ui: { enabled: true },
  }),
});
