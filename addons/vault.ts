import { VAULT_IMAGES } from './chart-images';
import { Certificate } from '../imports/cert-manager.io';
import { Chart } from '../lib/core/facade/k8s';
import { INTERNAL_CA, VAULT_NAMESPACE } from '../lib/core/vault-naming';
import { AddOnContext } from '../contracts/addon';
import { HelmAddOn } from './helm-addon';
import { ChartWorkload, chartWorkloadPeer } from '../lib/core/facts/chart-facts';
import { WAVES, waveAnnotation } from '../lib/core/facts/waves';

const SERVER: ChartWorkload = {
  name: 'vault',
  namespace: VAULT_NAMESPACE,
  kind: 'StatefulSet',
  podSecurity: 'restricted',
  replicas: 3,
  podLabels: { 'app.kubernetes.io/name': 'vault', 'app.kubernetes.io/instance': 'vault', component: 'server' },
  readsSecrets: ['vault-server-tls'],
};

/**
 * Ready means "serving", sealed or not: a fresh Vault is uninitialised until an operator runs
 * `vault operator init`, and with the chart's default probe (`vault status`) its pods would never be
 * ready, the vault Application never healthy, and the root sync would wait at Vault's wave forever.
 */
export const VAULT_READINESS_PATH = '/v1/sys/health?standbyok=true&sealedcode=204&uninitcode=204';

const TLS_DIR = '/vault/userconfig/tls';
const REPLICAS = 3;
/** Size of each server's Raft data and audit volumes (the claims, and the local volumes a substrate provides for them). */
export const VAULT_VOLUME_SIZE = '10Gi';

/** Server configuration: TLS listener, integrated Raft joined over TLS, Kubernetes service registration, the substrate's seal. */
export function vaultServerConfig(sealHcl: string): string {
  const joins = Array.from({ length: REPLICAS }, (_, i) =>
    [
      `  retry_join {`,
      `    leader_api_addr     = "https://vault-${i}.vault-internal:8200"`,
      `    leader_ca_cert_file = "${TLS_DIR}/ca.crt"`,
      `  }`,
    ].join('\n'),
  );
  return [
    'ui = true',
    'listener "tcp" {',
    '  address            = "[::]:8200"',
    '  cluster_address    = "[::]:8201"',
    `  tls_cert_file      = "${TLS_DIR}/tls.crt"`,
    `  tls_key_file       = "${TLS_DIR}/tls.key"`,
    `  tls_client_ca_file = "${TLS_DIR}/ca.crt"`,
    '}',
    'storage "raft" {',
    '  path = "/vault/data"',
    ...joins,
    '}',
    'service_registration "kubernetes" {}',
    sealHcl,
  ].join('\n');
}

/** Vault's serving certificate from the internal CA, valid for the service and every Raft peer. */
function serverCertificate(chart: Chart): void {
  new Certificate(chart, 'server-tls', {
    metadata: { name: 'vault-server-tls', namespace: VAULT_NAMESPACE, annotations: waveAnnotation('internalCa') },
    spec: {
      secretName: 'vault-server-tls',
      commonName: 'vault.vault.svc',
      dnsNames: [
        'vault',
        'vault.vault',
        'vault.vault.svc',
        'vault.vault.svc.cluster.local',
        '*.vault-internal',
        '*.vault-internal.vault.svc.cluster.local',
      ],
      ipAddresses: ['127.0.0.1'],
      duration: '2160h',
      renewBefore: '360h',
      issuerRef: { name: INTERNAL_CA.issuer, kind: 'ClusterIssuer', group: 'cert-manager.io' },
    },
  });
}

/**
 * Vault HA with integrated Raft (The Lab design): three replicas on different nodes with a PDB, TLS
 * everywhere from the internal CA, an audit volume (the file audit device is enabled by the Vault
 * configuration stack), and auto-unseal from the cloud KMS where the substrate has one.
 */
/** Vault's ServiceAccount; the unseal identity is federated with `vault/vault`. */
export const VAULT_SERVICE_ACCOUNT = 'vault';

export const vault = new HelmAddOn({
  id: 'vault',
  description: 'HashiCorp Vault, Raft HA with TLS and audit: the single source of credentials',
  namespace: VAULT_NAMESPACE,
  syncWave: WAVES.vault,
  requires: ['cert-manager'],
  chart: () => ({ repoURL: 'https://helm.releases.hashicorp.com', chart: 'vault', version: '0.29.1', images: VAULT_IMAGES }),
  values: ({ traits, vaultSeal, vaultPlacement }: AddOnContext) => ({
    global: { tlsDisable: false },
    injector: { enabled: false },
    server: {
      extraEnvironmentVars: { VAULT_CACERT: `${TLS_DIR}/ca.crt`, VAULT_ADDR: 'https://127.0.0.1:8200' },
      volumes: [{ name: 'tls', secret: { secretName: 'vault-server-tls' } }],
      volumeMounts: [{ name: 'tls', mountPath: TLS_DIR, readOnly: true }],
      extraLabels: vaultSeal.podLabels,
      // Where the seal's identity is known only after apply, the bootstrap stack writes the ServiceAccount.
      serviceAccount: vaultSeal.serviceAccountIdentity
        ? { create: false, name: VAULT_SERVICE_ACCOUNT }
        : { create: true, name: VAULT_SERVICE_ACCOUNT, annotations: vaultSeal.serviceAccountAnnotations },
      ha: {
        enabled: true,
        replicas: REPLICAS,
        disruptionBudget: { enabled: true, maxUnavailable: 1 },
        raft: { enabled: true, setNodeId: true, config: vaultServerConfig(vaultSeal.hcl) },
      },
      dataStorage: { enabled: true, size: VAULT_VOLUME_SIZE, storageClass: vaultPlacement?.storageClass ?? traits.defaultStorageClass },
      auditStorage: { enabled: true, size: VAULT_VOLUME_SIZE, storageClass: vaultPlacement?.storageClass ?? traits.defaultStorageClass },
      ...(vaultPlacement?.nodeSelector ? { nodeSelector: vaultPlacement.nodeSelector } : {}),
      ...(vaultPlacement?.tolerations?.length ? { tolerations: vaultPlacement.tolerations } : {}),
      readinessProbe: { enabled: true, path: VAULT_READINESS_PATH },
      affinity: {
        podAntiAffinity: {
          requiredDuringSchedulingIgnoredDuringExecution: [
            { labelSelector: { matchLabels: { 'app.kubernetes.io/name': 'vault', component: 'server' } }, topologyKey: 'kubernetes.io/hostname' },
          ],
        },
      },
    },
    ui: { enabled: true },
  }),
  extras: serverCertificate,
  infrastructureBound: ({ vaultSeal }) => {
    const bound = vaultSeal.serviceAccountIdentity;
    if (!bound) return [];
    return [
      {
        manifest: {
          apiVersion: 'v1',
          kind: 'ServiceAccount',
          metadata: {
            name: VAULT_SERVICE_ACCOUNT,
            namespace: VAULT_NAMESPACE,
            labels: { 'app.kubernetes.io/name': 'vault', 'app.kubernetes.io/managed-by': 'terraform' },
            annotations: { ...vaultSeal.serviceAccountAnnotations },
          },
        },
        clientIds: [{ path: ['metadata', 'annotations', bound.annotation], identity: bound.identity }],
        requestedBy: 'add-on vault',
      },
    ];
  },
  facts: ({ traits, vaultPlacement }) => {
    const storageClass = vaultPlacement?.storageClass ?? traits.defaultStorageClass;
    const p = chartWorkloadPeer(VAULT_NAMESPACE, SERVER);
    return {
      workloads: [
        {
          ...SERVER,
          claims: [
            { storageClass, size: VAULT_VOLUME_SIZE },
            { storageClass, size: VAULT_VOLUME_SIZE },
          ],
        },
      ],
      services: [
        { name: 'vault', ports: [{ port: 8200, targetPort: 8200 }], workload: 'vault' },
        {
          name: 'vault-internal',
          ports: [
            { port: 8200, targetPort: 8200 },
            { port: 8201, targetPort: 8201 },
          ],
          workload: 'vault',
        },
      ],
      connections: [
        { from: p, to: p, ports: [{ port: 8200 }, { port: 8201 }], purpose: 'Raft replication and request forwarding' },
        { from: p, to: { kind: 'api-server' }, ports: [], purpose: 'Kubernetes auth token reviews, service registration' },
      ],
    };
  },
  publish: (facts) => {
    const p = chartWorkloadPeer(VAULT_NAMESPACE, SERVER);
    facts.provideEndpoint('vault', { namespace: VAULT_NAMESPACE, service: 'vault', port: 8200, targetPort: 8200, workload: p }, 'add-on vault');
  },
});
