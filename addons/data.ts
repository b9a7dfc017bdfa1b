import { CLOUDNATIVE_PG_IMAGES, VELERO_IMAGES } from './chart-images';
import { mirroredImage } from '../constructs/image';
import { VaultAppSecrets } from '../constructs/k8s/vault-app-secrets';
import type { VaultAppAccess } from '../constructs/vault/vault-platform-config';
import { ChartFacts, ChartWorkload, chartWorkloadPeer } from '../lib/core/facts/chart-facts';
import { WAVES } from '../lib/core/facts/waves';
import { HelmAddOn } from './helm-addon';
import { VELERO_SERVICE_ACCOUNT } from '../contracts/platform';

const CNPG_NS = 'cnpg-system';
const CNPG_OPERATOR: ChartWorkload = {
  name: 'cloudnative-pg',
  kind: 'Deployment',
  podSecurity: 'restricted',
  replicas: 2,
  podLabels: { 'app.kubernetes.io/name': 'cloudnative-pg', 'app.kubernetes.io/instance': 'cloudnative-pg' },
};

export const cloudnativePg = new HelmAddOn({
  id: 'cloudnative-pg',
  description: 'CloudNativePG operator: PostgreSQL clusters as custom resources',
  namespace: CNPG_NS,
  syncWave: WAVES.operators,
  chart: () => ({ repoURL: 'https://cloudnative-pg.github.io/charts', chart: 'cloudnative-pg', version: '0.23.0', images: CLOUDNATIVE_PG_IMAGES }),
  values: () => ({ replicaCount: 2, monitoring: { podMonitorEnabled: true } }),
  syncOptions: ['ServerSideApply=true'],
  facts: () => {
    const op = chartWorkloadPeer(CNPG_NS, CNPG_OPERATOR);
    return {
      crds: [
        {
          group: 'postgresql.cnpg.io',
          kinds: ['Cluster', 'Backup', 'ScheduledBackup', 'Pooler', 'ClusterImageCatalog', 'ImageCatalog', 'Database', 'Publication', 'Subscription'],
        },
      ],
      workloads: [CNPG_OPERATOR],
      services: [{ name: 'cnpg-webhook-service', ports: [{ port: 443, targetPort: 9443 }], workload: 'cloudnative-pg' }],
      connections: [
        { from: op, to: { kind: 'api-server' }, ports: [], purpose: 'reconciles PostgreSQL clusters' },
        { from: { kind: 'api-server' }, to: op, ports: [{ port: 9443 }], purpose: 'defaulting and validating webhooks' },
      ],
    };
  },
  publish: (facts) => facts.provideWorkload('cnpg-operator', chartWorkloadPeer(CNPG_NS, CNPG_OPERATOR), 'add-on cloudnative-pg'),
  connect: (facts) => facts.scrape(chartWorkloadPeer(CNPG_NS, CNPG_OPERATOR), 8080, 'add-on cloudnative-pg'),
});

const VELERO_NS = VELERO_SERVICE_ACCOUNT.namespace;
/** The object-store credentials Velero mounts (`cloud` key, AWS shared-credentials format), kept in Vault. */
const VELERO_CREDENTIALS = { secret: 'velero-credentials', key: 'cloud' } as const;

const VELERO_VAULT_ACCESS: VaultAppAccess = {
  identity: { app: 'velero', namespace: VELERO_NS },
  secrets: [{ name: VELERO_CREDENTIALS.secret, keys: [VELERO_CREDENTIALS.key], generated: false }],
  databases: [],
};

/**
 * Velero with the Kopia node agent for volume data; the storage location's credentials are an input a
 * person writes to Vault (`kv/velero/velero/velero-credentials`), delivered by External Secrets.
 */
/** Velero's credentials file in Vault, where its store authenticates with a key. */
export const VELERO_CREDENTIALS_SECRET = {
  identity: VELERO_VAULT_ACCESS.identity,
  secret: VELERO_CREDENTIALS.secret,
  key: VELERO_CREDENTIALS.key,
} as const;

export const velero = new HelmAddOn({
  id: 'velero',
  description: 'Backup and restore of namespaces, PVCs and cluster state',
  namespace: VELERO_NS,
  syncWave: WAVES.collectors,
  requires: ['external-secrets', 'vault'],
  chart: () => ({ repoURL: 'https://vmware-tanzu.github.io/helm-charts', chart: 'velero', version: '8.2.0', images: VELERO_IMAGES }),
  values: ({ backupStorage: store, env }) => ({
    deployNodeAgent: true,
    snapshotsEnabled: false,
    // Argo CD applies the chart's crds/ on every sync; the CRD upgrade Job would only add a cluster-admin
    // pod whose kubectl image tag is the cluster's version, unknown until render time.
    upgradeCRDs: false,
    // With a workload identity the AWS/Azure SDK in the plugin takes the pod's credentials; no Secret at all.
    credentials: store.credentials !== 'workload-identity' ? { useSecret: true, existingSecret: VELERO_CREDENTIALS.secret } : { useSecret: false },
    serviceAccount: { server: { name: VELERO_SERVICE_ACCOUNT.name } },
    // Velero's chart ships no object-store plugin: the substrate's is copied in before Velero starts.
    initContainers: [
      {
        name: store.plugin.name,
        image: env.registryMirror ? mirroredImage(store.plugin.image, env.registryMirror) : store.plugin.image,
        imagePullPolicy: 'IfNotPresent',
        volumeMounts: [{ mountPath: '/target', name: 'plugins' }],
        securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, runAsNonRoot: true, capabilities: { drop: ['ALL'] } },
      },
    ],
    configuration: {
      // File-system backups of volumes with Kopia (deduplicated, encrypted repositories in the store).
      uploaderType: 'kopia',
      defaultVolumesToFsBackup: true,
      backupStorageLocation: [{ name: 'default', provider: store.provider, bucket: store.bucket, config: { ...store.config } }],
    },
    schedules: { daily: { schedule: '0 2 * * *', template: { ttl: '720h', includedNamespaces: ['*'] } } },
  }),
  extraImages: ({ backupStorage }) => [backupStorage.plugin.image],
  vaultAccess: (_env, { backupStorage }) => (backupStorage.credentials !== 'workload-identity' ? [VELERO_VAULT_ACCESS] : []),
  // Velero's pods mount the credentials: they must exist by the end of Velero's own wave.
  extras: (chart, { backupStorage }) => {
    if (backupStorage.credentials !== 'workload-identity')
      new VaultAppSecrets(chart, 'credentials', { ...VELERO_VAULT_ACCESS, syncWave: WAVES.collectors });
  },
  facts: ({ backupStorage }): ChartFacts => ({
    crds: [
      {
        group: 'velero.io',
        kinds: [
          'Backup',
          'BackupRepository',
          'BackupStorageLocation',
          'DataDownload',
          'DataUpload',
          'DeleteBackupRequest',
          'DownloadRequest',
          'PodVolumeBackup',
          'PodVolumeRestore',
          'Restore',
          'Schedule',
          'ServerStatusRequest',
          'VolumeSnapshotLocation',
        ],
      },
    ],
    workloads: [
      {
        name: 'velero',
        kind: 'Deployment',
        podSecurity: 'restricted',
        podLabels: { 'app.kubernetes.io/name': 'velero', 'app.kubernetes.io/instance': 'velero' },
        readsSecrets: backupStorage.credentials !== 'workload-identity' ? [VELERO_CREDENTIALS.secret] : [],
      },
      {
        name: 'node-agent',
        kind: 'DaemonSet',
        podSecurity: 'privileged',
        podSecurityReason: 'hostPath /var/lib/kubelet/pods to read volume data (velero node-agent-daemonset.yaml)',
        podLabels: { name: 'node-agent' },
        readsSecrets: backupStorage.credentials !== 'workload-identity' ? [VELERO_CREDENTIALS.secret] : [],
      },
    ],
  }),
});
