import { EXTERNAL_SECRETS_IMAGES, RELOADER_IMAGES } from './chart-images';
import { ChartWorkload, chartWorkloadPeer } from '../lib/core/facts/chart-facts';
import { connectTo } from '../lib/core/facts/connections';
import { WAVES } from '../lib/core/facts/waves';
import { HelmAddOn } from './helm-addon';

const NS = 'external-secrets';
/** The chart's three Deployments, two replicas each, told apart by their name label. */
const esoDeployment = (name: string): ChartWorkload => ({
  name,
  kind: 'Deployment',
  podSecurity: 'restricted',
  replicas: 2,
  podLabels: { 'app.kubernetes.io/name': name, 'app.kubernetes.io/instance': 'external-secrets' },
});
const controller = esoDeployment('external-secrets');
const webhook = esoDeployment('external-secrets-webhook');
const certController = esoDeployment('external-secrets-cert-controller');

export const externalSecrets = new HelmAddOn({
  id: 'external-secrets',
  description: 'External Secrets Operator: Kubernetes Secrets from Vault',
  namespace: NS,
  syncWave: WAVES.secretsOperator,
  chart: () => ({ repoURL: 'https://charts.external-secrets.io', chart: 'external-secrets', version: '0.18.2', images: EXTERNAL_SECRETS_IMAGES }),
  // Two replicas of each controller need leader election, or both reconcile every object.
  values: () => ({ installCRDs: true, replicaCount: 2, leaderElect: true, webhook: { replicaCount: 2 }, certController: { replicaCount: 2 } }),
  facts: () => ({
    crds: [
      {
        group: 'external-secrets.io',
        kinds: ['ExternalSecret', 'ClusterExternalSecret', 'SecretStore', 'ClusterSecretStore', 'PushSecret', 'ClusterPushSecret'],
      },
      {
        group: 'generators.external-secrets.io',
        kinds: ['Password', 'VaultDynamicSecret', 'ECRAuthorizationToken', 'ACRAccessToken', 'GCRAccessToken', 'Fake', 'Webhook'],
      },
    ],
    workloads: [controller, webhook, certController],
    services: [{ name: 'external-secrets-webhook', ports: [{ port: 443, targetPort: 10250 }], workload: 'external-secrets-webhook' }],
    connections: [
      { from: chartWorkloadPeer(NS, controller), to: { kind: 'api-server' }, ports: [], purpose: 'writes Secrets, reads ServiceAccount tokens' },
      { from: chartWorkloadPeer(NS, certController), to: { kind: 'api-server' }, ports: [], purpose: 'rotates the webhook certificate' },
      { from: { kind: 'api-server' }, to: chartWorkloadPeer(NS, webhook), ports: [{ port: 10250 }], purpose: 'validating webhooks for stores' },
    ],
  }),
  publish: (facts) => facts.provideWorkload('external-secrets', chartWorkloadPeer(NS, controller), 'add-on external-secrets'),
  connect: (facts) => {
    if (facts.hasEndpoint('vault'))
      facts.connect(
        connectTo(chartWorkloadPeer(NS, controller), facts.endpoint('vault', 'add-on external-secrets'), 'reads app secrets'),
        'add-on external-secrets',
      );
  },
});

const RELOADER_NS = 'reloader';
const reloaderDeployment: ChartWorkload = {
  name: 'reloader-reloader',
  kind: 'Deployment',
  podSecurity: 'restricted',
  podLabels: { app: 'reloader-reloader', release: 'reloader' },
};

/**
 * Stakater Reloader: a rolling restart of the workloads that ask for it when a Secret they read at start
 * changes (Vault's database credentials, rotated by External Secrets). The annotations strategy: it
 * marks the pod template with an annotation instead of adding an env var, so Argo CD's diff stays clean.
 */
export const reloader = new HelmAddOn({
  id: 'reloader',
  description: 'Reloader: rolling restarts when rotated Secrets change',
  namespace: RELOADER_NS,
  syncWave: WAVES.operators,
  chart: () => ({ repoURL: 'https://stakater.github.io/stakater-charts', chart: 'reloader', version: '1.2.0', images: RELOADER_IMAGES }),
  values: () => ({
    reloader: {
      reloadStrategy: 'annotations',
      watchGlobally: true,
      // ConfigMaps change with their Application (Argo CD rolls what needs it); only Secrets rotate underneath.
      ignoreConfigMaps: true,
      readOnlyRootFileSystem: true,
      deployment: {
        containerSecurityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } },
        resources: { requests: { cpu: '10m', memory: '64Mi' }, limits: { cpu: '200m', memory: '256Mi' } },
      },
    },
  }),
  facts: () => ({
    workloads: [reloaderDeployment],
    connections: [
      {
        from: chartWorkloadPeer(RELOADER_NS, reloaderDeployment),
        to: { kind: 'api-server' },
        ports: [],
        purpose: 'watches Secrets, restarts workloads',
      },
    ],
  }),
});
