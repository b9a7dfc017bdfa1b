import { WAVES, waveAnnotation } from '../../lib/core/facts/waves';
import { BaseService } from '../../constructs/k8s/base-service';
import { MigrationJob } from '../../constructs/k8s/migration-job';
import { Chart, k8s } from '../../lib/core/facade/k8s';
import { imageRef } from '../../lib/core/model/primitives';
import { AppContext, PlatformApp } from '../../contracts/app';
import { sharedVolume } from '../shared-volume';
import type { InfrastructureBoundObject, StackSecret } from '../../contracts/identity';
import {
  Certificate,
  CertificateSpecPrivateKeyAlgorithm,
  CertificateSpecPrivateKeyRotationPolicy,
  CertificateSpecUsages,
  Issuer,
} from '../../imports/cert-manager.io';
import { ArbitexConfig } from '../../lib/core/model/apps/arbitex-platform';

/** Keys of `<release>-api-secrets` (Arbitex design), and the Key Vault secret names they come from. */
// The design's sensitive variables, and the SCIM provisioning token the identity team rotates in Key Vault
// (the CSI driver re-syncs it within its 2-minute rotation interval).
export const ARBITEX_API_SECRET_KEYS = [
  'DATABASE_URL',
  'SECRET_KEY',
  'AUDIT_HMAC_KEY',
  'REDIS_URL',
  'POLICY_SIGNING_KEY',
  'SCIM_BEARER_TOKEN',
] as const;

/** Ingress annotations of the Arbitex design: 50 MB uploads, unbuffered SSE streaming, certificate from cert-manager. */
export function arbitexIngressAnnotations(clusterIssuer: string): Record<string, string> {
  return {
    'nginx.ingress.kubernetes.io/proxy-body-size': '50m',
    'nginx.ingress.kubernetes.io/proxy-request-buffering': 'off',
    'nginx.ingress.kubernetes.io/proxy-buffering': 'off',
    'cert-manager.io/cluster-issuer': clusterIssuer,
  };
}

/**
 * Connection URLs the cluster stack writes into the Key Vault, from the environment's managed services;
 * a person writes the rest.
 */
function stackSecrets(cfg: ArbitexConfig): StackSecret[] {
  return [
    ...(cfg.database
      ? [
          {
            name: keyVaultSecretName('DATABASE_URL'),
            service: cfg.database.service,
            database: cfg.database.name,
            kind: 'postgres' as const,
            configPath: 'database',
          },
        ]
      : []),
    ...(cfg.cache ? [{ name: keyVaultSecretName('REDIS_URL'), service: cfg.cache.service, kind: 'redis' as const, configPath: 'cache' }] : []),
  ];
}

/** Where the API finds the Platform CA that Outpost client certificates are verified against. */
export const PLATFORM_CA_MOUNT = '/etc/arbitex/mtls';

const keyVaultIdentity = (cfg: ArbitexConfig) => `${cfg.release}-key-vault`;
/** Key Vault secret names cannot contain "_": DATABASE_URL is stored as DATABASE-URL. */
const keyVaultSecretName = (key: string) => key.replace(/_/g, '-');
/** The migration Job's own ServiceAccount: it runs before the API's exists (Sync wave 0 < 1). */
const migrationServiceAccount = (cfg: ArbitexConfig) => `${cfg.release}-alembic-migrate`;

/**
 * `<release>-api-secrets` from the app's Key Vault, read by the CSI driver as the API's workload identity.
 * Its `clientID` is the identity's, known after the cluster stack applies: the bootstrap stack writes
 * this object from the cluster stack's output, before Argo CD syncs the app.
 */
function keyVaultSecretProviderClass(cfg: ArbitexConfig, kv: NonNullable<ArbitexConfig['keyVault']>): InfrastructureBoundObject {
  return {
    manifest: {
      apiVersion: 'secrets-store.csi.x-k8s.io/v1',
      kind: 'SecretProviderClass',
      metadata: { name: `${cfg.release}-key-vault`, namespace: cfg.namespace, labels: { 'app.kubernetes.io/part-of': cfg.release } },
      spec: {
        provider: 'azure',
        parameters: {
          usePodIdentity: 'false',
          clientID: '',
          keyvaultName: kv.name,
          tenantId: kv.tenantId,
          objects: `array:\n${ARBITEX_API_SECRET_KEYS.map((k) => `  - |\n    objectName: ${keyVaultSecretName(k)}\n    objectType: secret`).join('\n')}\n`,
        },
        secretObjects: [
          {
            secretName: `${cfg.release}-api-secrets`,
            type: 'Opaque',
            data: ARBITEX_API_SECRET_KEYS.map((k) => ({ objectName: keyVaultSecretName(k), key: k })),
          },
        ],
      },
    },
    clientIds: [{ path: ['spec', 'parameters', 'clientID'], identity: keyVaultIdentity(cfg) }],
    requestedBy: 'app arbitex-platform (keyVault)',
  };
}

/** The chart's PVC: the API's data directory, shared by every API replica (ReadWriteMany). Returns its name. */
function dataVolume(chart: Chart, cfg: ArbitexConfig, volume: NonNullable<ArbitexConfig['dataVolume']>, ctx: AppContext): string {
  return sharedVolume(chart, ctx, {
    name: `${cfg.release}-data`,
    namespace: cfg.namespace,
    size: volume.size,
    storageClass: volume.storageClass,
    labels: { 'app.kubernetes.io/part-of': cfg.release },
    by: `app arbitex-platform in ${cfg.namespace} (dataVolume.storageClass)`,
  });
}

/**
 * The Platform CA of the Outpost mTLS, in the app's namespace: a self-signed root issued by cert-manager
 * (its own Issuer, so the CA key never leaves the namespace), a CA Issuer, and one client certificate per
 * Outpost. Returns the CA's Secret (ca.crt is what the ingress and the API verify clients against).
 */
function outpostMtls(chart: Chart, cfg: ArbitexConfig, outposts: ReadonlyArray<string>): string {
  const ns = cfg.namespace;
  const labels = { 'app.kubernetes.io/part-of': cfg.release };
  const meta = (name: string) => ({ name, namespace: ns, labels, annotations: waveAnnotation('appSecrets') });
  const caSecret = `${cfg.release}-platform-ca`;
  new Issuer(chart, 'platform-ca-root', { metadata: meta(`${cfg.release}-selfsigned`), spec: { selfSigned: {} } });
  new Certificate(chart, 'platform-ca', {
    metadata: meta(caSecret),
    spec: {
      isCa: true,
      commonName: `${cfg.release} Platform CA`,
      secretName: caSecret,
      duration: '87600h',
      privateKey: { algorithm: CertificateSpecPrivateKeyAlgorithm.ECDSA, size: 256 },
      issuerRef: { name: `${cfg.release}-selfsigned`, kind: 'Issuer', group: 'cert-manager.io' },
    },
  });
  new Issuer(chart, 'platform-ca-issuer', { metadata: meta(caSecret), spec: { ca: { secretName: caSecret } } });
  for (const outpost of outposts) {
    new Certificate(chart, `outpost-${outpost}`, {
      metadata: meta(`${cfg.release}-outpost-${outpost}`),
      spec: {
        commonName: outpost,
        secretName: `${cfg.release}-outpost-${outpost}-client`,
        duration: '2160h',
        renewBefore: '360h',
        usages: [CertificateSpecUsages.CLIENT_AUTH, CertificateSpecUsages.DIGITAL_SIGNATURE],
        privateKey: {
          algorithm: CertificateSpecPrivateKeyAlgorithm.ECDSA,
          size: 256,
          rotationPolicy: CertificateSpecPrivateKeyRotationPolicy.ALWAYS,
        },
        issuerRef: { name: caSecret, kind: 'Issuer', group: 'cert-manager.io' },
      },
    });
  }
  return caSecret;
}

/**
 * ingress-nginx asks every client of the host for a certificate: browsers without one still pass
 * (`optional`), an Outpost's is verified against the Platform CA and handed to the API in the
 * `ssl-client-cert` header, where the backend checks it again against the CA mounted from the Secret.
 */
export function outpostClientCertAnnotations(namespace: string, caSecret: string): Record<string, string> {
  return {
    'nginx.ingress.kubernetes.io/auth-tls-secret': `${namespace}/${caSecret}`,
    'nginx.ingress.kubernetes.io/auth-tls-verify-client': 'optional',
    'nginx.ingress.kubernetes.io/auth-tls-verify-depth': '1',
    'nginx.ingress.kubernetes.io/auth-tls-pass-certificate-to-upstream': 'true',
  };
}

/**
 * The Arbitex platform exactly as the Arbitex on AKS design deploys it: four services with their ports, the API
 * behind an Alembic init container and a pre-sync migration Job, one Ingress for api and frontend, HPA
 * and PDB, secrets from Azure Key Vault through the CSI driver into `<release>-api-secrets`.
 */
export const arbitexPlatform: PlatformApp<ArbitexConfig> = {
  id: 'arbitex-platform',
  description: 'Arbitex platform: API, frontend, NER (GPU), DeBERTa validator (GPU)',
  usesGpu: () => true,
  requiresAddOns: (cfg) => ['cert-manager', 'ingress-nginx', 'nvidia-gpu', ...(cfg.keyVault ? [] : ['external-secrets', 'vault'])],
  vaultSecrets: (cfg) => (cfg.keyVault ? [] : [{ name: `${cfg.release}-api-secrets`, keys: [...ARBITEX_API_SECRET_KEYS], generated: false }]),
  databases: () => [],
  workloadIdentities: (cfg) =>
    cfg.keyVault
      ? [
          {
            id: keyVaultIdentity(cfg),
            namespace: cfg.namespace,
            serviceAccounts: [`${cfg.release}-api`, migrationServiceAccount(cfg)],
            secretStore: {
              name: cfg.keyVault.name,
              tenantId: cfg.keyVault.tenantId,
              personSecrets: ARBITEX_API_SECRET_KEYS.map(keyVaultSecretName).filter((k) => !stackSecrets(cfg).some((s) => s.name === k)),
              stackSecrets: stackSecrets(cfg),
            },
            requestedBy: 'app arbitex-platform (keyVault)',
          },
        ]
      : [],
  infrastructureBound: (cfg) => (cfg.keyVault ? [keyVaultSecretProviderClass(cfg, cfg.keyVault)] : []),

  install(chart: Chart, cfg: ArbitexConfig, ctx: AppContext): void {
    const r = cfg.release;
    const ns = cfg.namespace;
    const apiSecrets = `${r}-api-secrets`;
    const spc = cfg.keyVault ? `${r}-key-vault` : undefined;
    const common = { namespace: ns, labels: { 'app.kubernetes.io/part-of': r } };

    const consumer = `app arbitex-platform in ${ns}`;
    const managed = [
      ...(cfg.database
        ? [{ ...ctx.facts.managed(cfg.database.service, 'postgres', `${consumer} (database.service)`), purpose: 'DATABASE_URL (PostgreSQL)' }]
        : []),
      ...(cfg.cache
        ? [{ ...ctx.facts.managed(cfg.cache.service, 'redis', `${consumer} (cache.service)`), purpose: 'REDIS_URL (Redis over TLS)' }]
        : []),
    ].map((m) => ({ peer: m.peer, ports: [{ port: m.port }], purpose: m.purpose }));
    const dataClaim = cfg.dataVolume ? dataVolume(chart, cfg, cfg.dataVolume, ctx) : undefined;
    const platformCa = cfg.outpostMtls ? outpostMtls(chart, cfg, cfg.outpostMtls.outposts) : undefined;

    const apiImage = imageRef(cfg.images.api);
    const api = new BaseService(chart, 'api', {
      ...common,
      name: `${r}-api`,
      component: 'api',
      image: apiImage,
      containerPort: 8000,
      servicePort: 8100,
      profile: 'python',
      env: { PYTHONDONTWRITEBYTECODE: '1', PYTHONUNBUFFERED: '1', PYTHONPATH: '/app' },
      envFromSecrets: [apiSecrets],
      csiSecretProviderClass: spc,
      readinessProbe: { path: '/health' },
      initContainers: cfg.alembicInitContainer ? [{ name: 'alembic-migrate', command: ['python', '-m', 'alembic', 'upgrade', 'head'] }] : [],
      connectsToPeers: managed,
      mounts: [
        ...(dataClaim ? [{ name: 'data', mountPath: '/app/data', claim: dataClaim }] : []),
        ...(platformCa ? [{ name: 'platform-ca', mountPath: PLATFORM_CA_MOUNT, secret: platformCa, items: ['ca.crt'] }] : []),
      ],
      syncWave: WAVES.appServices,
    });
    if (cfg.autoscaling.api) api.autoscale(cfg.autoscaling.api);
    api.scrapeWith({ path: '/metrics' });
    if (cfg.keyVault)
      new k8s.KubeServiceAccount(chart, 'alembic-migrate-sa', {
        metadata: { ...common, name: migrationServiceAccount(cfg), annotations: waveAnnotation('appSecrets') },
        automountServiceAccountToken: false,
      });
    new MigrationJob(chart, 'alembic-migrate', {
      name: `${r}-alembic-migrate`,
      namespace: ns,
      image: apiImage,
      command: ['python', '-m', 'alembic', 'upgrade', 'head'],
      envFromSecrets: [apiSecrets],
      csiSecretProviderClass: spc,
      // The CSI driver reads Key Vault as the pod's ServiceAccount, which the identity must trust.
      serviceAccountName: cfg.keyVault ? migrationServiceAccount(cfg) : undefined,
      runs: { hook: 'Sync', syncWave: WAVES.appData },
      connectsToPeers: managed.filter((m) => m.purpose.startsWith('DATABASE_URL')),
      backoffLimit: 3,
      ttlSecondsAfterFinished: 300,
    });
    const frontend = new BaseService(chart, 'frontend', {
      ...common,
      name: `${r}-frontend`,
      component: 'frontend',
      image: imageRef(cfg.images.frontend),
      containerPort: 8080,
      servicePort: 3100,
      runAsUser: 101,
      writablePaths: ['/tmp', '/var/cache/nginx', '/var/run'],
      readinessProbe: { path: '/healthz' },
      syncWave: WAVES.appServices,
    });
    if (cfg.autoscaling.frontend) frontend.autoscale(cfg.autoscaling.frontend);
    for (const [id, port, image] of [
      ['ner-gpu', 8200, cfg.images.nerGpu],
      ['deberta', 8201, cfg.images.deberta],
    ] as const) {
      new BaseService(chart, id, {
        ...common,
        name: `${r}-${id}`,
        component: id,
        image: imageRef(image),
        containerPort: port,
        gpus: 1,
        replicas: 1,
        readinessProbe: { path: '/health' },
        syncWave: WAVES.appServices,
      });
    }

    if (ctx.env.access.kind !== 'ingress') throw new Error(`arbitex-platform in ${ctx.env.name} needs access.kind "ingress" for its public host`);
    const backend = (svc: BaseService) => ({ service: { name: svc.serviceName, port: { number: svc.servicePort } } });
    const controller = ctx.facts.workload(`ingress-controller:${ctx.routeClass}`, `app arbitex-platform in ${ns}`);
    api.allowFrom(controller, `routes ${cfg.host}/api`);
    frontend.allowFrom(controller, `routes ${cfg.host}/`);
    new k8s.KubeIngress(chart, 'ingress', {
      metadata: {
        name: r,
        namespace: ns,
        labels: common.labels,
        annotations: {
          ...arbitexIngressAnnotations(ctx.facts.name('ClusterIssuer', ctx.env.access.tls.clusterIssuer, `${consumer} (ingress TLS)`)),
          ...(platformCa ? outpostClientCertAnnotations(ns, platformCa) : {}),
        },
      },
      spec: {
        ingressClassName: ctx.routeClass,
        tls: [{ hosts: [cfg.host], secretName: 'arbitex-tls' }],
        rules: [
          {
            host: cfg.host,
            http: {
              paths: [
                { path: '/api', pathType: 'Prefix', backend: backend(api) },
                { path: '/', pathType: 'Prefix', backend: backend(frontend) },
              ],
            },
          },
        ],
      },
    });
  },
};
