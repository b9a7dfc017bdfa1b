import { HelmAddOn } from './helm-addon';

export const cloudnativePg = new HelmAddOn({
  id: 'cloudnative-pg',
  description: 'CloudNativePG operator: PostgreSQL clusters as custom resources',
  namespace: 'cnpg-system',
  syncWave: -6,
  chart: () => ({ repoURL: 'https://cloudnative-pg.github.io/charts', chart: 'cloudnative-pg', version: '0.23.0' }),
  values: () => ({ replicaCount: 2, monitoring: { podMonitorEnabled: true } }),
  syncOptions: ['ServerSideApply=true'],
});

/** Velero with the Kopia node agent for PV data (seed 004); storage location credentials come from Vault. */
export const velero = new HelmAddOn({
  id: 'velero',
  description: 'Backup and restore of namespaces, PVCs and cluster state',
  namespace: 'velero',
  syncWave: -2,
  chart: () => ({ repoURL: 'https://vmware-tanzu.github.io/helm-charts', chart: 'velero', version: '8.2.0' }),
  values: ({ env }) => ({
    deployNodeAgent: true,
    snapshotsEnabled: false,
    credentials: { useSecret: true, existingSecret: 'velero-credentials' },
    configuration: {
      defaultVolumesToFsBackup: true,
      backupStorageLocation: [{ name: 'default', provider: 'aws', bucket: `${env.name}-velero`, config: { region: 'auto', s3ForcePathStyle: 'true' } }],
    },
    schedules: { daily: { schedule: '0 2 * * *', template: { ttl: '720h', includedNamespaces: ['*'] } } },
  }),
});
