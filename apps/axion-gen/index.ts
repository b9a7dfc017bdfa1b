import { WAVES } from '../../lib/core/facts/waves';
import { BaseService } from '../../constructs/k8s/base-service';
import { MigrationJob } from '../../constructs/k8s/migration-job';
import { Certificate } from '../../imports/cert-manager.io';
import { Chart, k8s } from '../../lib/core/facade/k8s';
import { imageRef } from '../../lib/core/model/primitives';
import { AppContext, PlatformApp } from '../../contracts/app';
import { SecretKeyRef } from '../../lib/core/model/apps/secret-ref';
import { AxionGenConfig, postgresClusterName } from '../../lib/core/model/apps/axion-gen';
import { PostgresCluster } from '../../constructs/k8s/postgres-cluster';
import { Peer, PortSpec, ServiceEndpoint } from '../../lib/core/facts/connections';
import { FactRegistry } from '../../lib/core/facts/registry';

/**
 * Where axion-gen's pods connect, besides in-cluster Services: the OIDC issuer, the S3 endpoint, OpenFGA
 * and an external Postgres, each a declared external service of the environment (a host not declared
 * is a synth error naming the value it came from).
 */
function externalDependencies(cfg: AxionGenConfig, facts: FactRegistry): Array<{ peer: Peer; ports: PortSpec[]; purpose: string }> {
  const out: Array<{ peer: Peer; ports: PortSpec[]; purpose: string }> = [];
  const add = (host: string, value: string, purpose: string) => {
    if (/\.svc(\.cluster\.local)?$/.test(host)) return; // an in-cluster Service: the rehearsal checks it exists
    const ext = facts.external(host, `app axion-gen in ${cfg.namespace} (${value})`);
    out.push({ peer: ext.peer, ports: [{ port: ext.port }], purpose });
  };
  add(new URL(cfg.oidc.authority).hostname, 'oidc.authority', 'OIDC discovery and token validation');
  add(cfg.s3.host.split(':')[0], 's3.host', 'PMTiles and agent artifacts (S3)');
  if (cfg.openfga.apiUrl) add(new URL(cfg.openfga.apiUrl).hostname, 'openfga.apiUrl', 'authorization checks (OpenFGA)');
  if (!cfg.database) add(cfg.postgres.api.host, 'postgres.api.host', 'metadata and Hangfire (PostgreSQL)');
  return out;
}

/** .NET configuration keys (`Section__Key`) shared by API, worker and migration. */
function configuration(cfg: AxionGenConfig): { env: Record<string, string>; secretEnv: Record<string, SecretKeyRef> } {
  const pg = cfg.postgres.api;
  const env: Record<string, string> = {
    Oidc__Authority: cfg.oidc.authority,
    Oidc__ClientId: cfg.oidc.clientId,
    Oidc__Audience: cfg.oidc.audience ?? cfg.oidc.clientId,
    Oidc__RequireHttpsMetadata: String(cfg.oidc.requireHttpsMetadata),
    S3__Host: cfg.s3.host,
    S3__Secured: String(cfg.s3.secured),
    Postgres__Api__Host: pg.host,
    Postgres__Api__Port: String(pg.port),
    Postgres__Api__Database: pg.database,
    Postgres__Api__Username: pg.username,
    Postgres__Api__MaxPoolSize: String(pg.maxPoolSize),
    OpenFga__ApiUrl: cfg.openfga.apiUrl,
    OpenFga__StoreName: cfg.openfga.storeName,
  };
  const secretEnv: Record<string, SecretKeyRef> = {
    Oidc__ClientSecret: cfg.oidc.clientSecret,
    S3__AccessKey: cfg.s3.accessKey,
    S3__SecretKey: cfg.s3.secretKey,
    Postgres__Api__Password: pg.password,
    OpenFga__ApiKey: cfg.openfga.apiKey,
  };
  return { env, secretEnv };
}

/**
 * axion-gen as its vendor's installation guide ships it: the API (Hangfire client) and the worker (Hangfire server) sharing
 * Postgres and S3, the database migration before the API, optional ingress and certificate.
 */
export const axionGen: PlatformApp<AxionGenConfig> = {
  id: 'axion-gen',
  description: 'axion-gen: Gen API and Hangfire worker',
  usesGpu: () => false,
  requiresAddOns: (cfg) => [
    'external-secrets',
    'vault',
    ...(cfg.api.certificate.enabled ? ['cert-manager'] : []),
    ...(cfg.database ? ['cloudnative-pg'] : []),
  ],
  // Every secret reference of the config, grouped by Secret: these are the partner's credentials,
  // written to Vault by their owners and read from there.
  vaultSecrets: (cfg) => {
    const { secretEnv } = configuration(cfg);
    // A database Parity deploys has its password in the owner Secret CloudNativePG writes, not in Vault.
    const owned = cfg.database ? `${postgresClusterName(cfg.release)}-app` : undefined;
    const refs = [...Object.values(secretEnv), ...cfg.api.apiKeys.map((k) => k.key)].filter((r) => r.secret !== owned);
    const bySecret = new Map<string, Set<string>>();
    for (const r of refs) bySecret.set(r.secret, (bySecret.get(r.secret) ?? new Set()).add(r.key));
    // global.imagePullSecrets: the vendor registry's login, written to Vault by the site and synced as a
    // dockerconfigjson Secret the kubelet pulls with.
    const pull = cfg.imagePullSecrets.map((name) => ({
      name,
      keys: ['.dockerconfigjson'],
      generated: false,
      type: 'kubernetes.io/dockerconfigjson',
    }));
    const own = [...bySecret].sort(([a], [b]) => (a < b ? -1 : 1)).map(([name, keys]) => ({ name, keys: [...keys].sort(), generated: false }));
    return [...own, ...pull];
  },
  databases: () => [],

  install(chart: Chart, cfg: AxionGenConfig, ctx: AppContext): void {
    const r = cfg.release;
    const { env, secretEnv } = configuration(cfg);
    const profile = (res: AxionGenConfig['api']['resources']) => ({ requests: res.requests, limits: res.limits, gpus: 0 });
    const database: ServiceEndpoint | undefined = cfg.database
      ? new PostgresCluster(chart, 'postgres', {
          name: postgresClusterName(r),
          namespace: cfg.namespace,
          instances: cfg.database.instances,
          storageSize: cfg.database.storageSize,
          storageClass: ctx.traits.defaultStorageClass,
          database: { name: cfg.postgres.api.database, owner: cfg.postgres.api.username },
          syncWave: WAVES.appData,
        }).endpoint
      : undefined;
    const connectsTo = database ? [{ endpoint: database, purpose: 'metadata and Hangfire (PostgreSQL)' }] : [];
    const connectsToPeers = externalDependencies(cfg, ctx.facts);

    if (cfg.api.migration.enabled) {
      new MigrationJob(chart, 'migration', {
        name: `${r}-db-migration`,
        namespace: cfg.namespace,
        image: imageRef(cfg.api.image),
        command: ['dotnet', 'Axion.Gen.Api.dll', '--migrate'],
        env,
        secretEnv,
        imagePullSecrets: cfg.imagePullSecrets,
        // After the database (appData) is healthy, before the API and worker serve on its schema.
        runs: { hook: 'Sync', syncWave: WAVES.appMigrations },
        connectsTo: database ? [database] : [],
      });
    }

    const apiKeyEnv = Object.fromEntries(cfg.api.apiKeys.flatMap((k, i) => [[`Api__ApiKeys__${i}__Key`, k.key]]));
    const apiKeyNames = Object.fromEntries(cfg.api.apiKeys.map((k, i) => [`Api__ApiKeys__${i}__ServiceName`, k.serviceName]));
    const api = new BaseService(chart, 'api', {
      name: `${r}-api`,
      namespace: cfg.namespace,
      component: 'api',
      image: imageRef(cfg.api.image),
      containerPort: 8080,
      servicePort: 80,
      resources: profile(cfg.api.resources),
      replicas: cfg.api.replicaCount,
      env: {
        ...env,
        ...apiKeyNames,
        ...Object.fromEntries(cfg.api.cors.allowedOrigins.map((o, i) => [`Cors__AllowedOrigins__${i}`, o])),
        Hangfire__Role: 'client',
      },
      secretEnv: { ...secretEnv, ...apiKeyEnv },
      readinessProbe: { path: '/health/ready' },
      livenessProbe: { path: '/health/live' },
      syncWave: WAVES.appServing,
      connectsTo,
      connectsToPeers,
      imagePullSecrets: cfg.imagePullSecrets,
    });
    if (cfg.api.service.type !== 'ClusterIP') api.exposeOnService(cfg.api.service.type);

    const hf = cfg.worker.hangfire;
    new BaseService(chart, 'worker', {
      name: `${r}-worker`,
      namespace: cfg.namespace,
      component: 'worker',
      image: imageRef(cfg.worker.image),
      containerPort: 8080,
      servicePort: 80,
      resources: profile(cfg.worker.resources),
      replicas: cfg.worker.replicaCount,
      env: {
        ...env,
        Hangfire__Role: 'server',
        Hangfire__DashboardEnabled: String(hf.dashboardEnabled),
        Hangfire__WorkerCount: String(hf.workerCount),
        ...Object.fromEntries(hf.queues.map((q, i) => [`Hangfire__Queues__${i}`, q])),
        ...Object.fromEntries(hf.allowedEmails.map((e, i) => [`Hangfire__AllowedEmails__${i}`, e])),
      },
      secretEnv,
      readinessProbe: { path: '/health/ready' },
      livenessProbe: { path: '/health/live' },
      syncWave: WAVES.appServing,
      connectsTo,
      connectsToPeers,
      imagePullSecrets: cfg.imagePullSecrets,
    });

    const ing = cfg.api.ingress;
    if (ing.enabled) {
      api.allowFrom(
        ctx.facts.workload(`ingress-controller:${ing.className}`, `app axion-gen in ${cfg.namespace}`),
        `routes ${ing.hosts.map((h) => h.host).join(', ')}`,
      );
      new k8s.KubeIngress(chart, 'ingress', {
        metadata: { name: `${r}-api`, namespace: cfg.namespace, annotations: Object.keys(ing.annotations).length ? ing.annotations : undefined },
        spec: {
          ingressClassName: ing.className,
          tls: ing.tls.length ? ing.tls.map((t) => ({ hosts: t.hosts, secretName: t.secretName })) : undefined,
          rules: ing.hosts.map((h) => ({
            host: h.host,
            http: {
              paths: h.paths.map((p) => ({ path: p.path, pathType: p.pathType, backend: { service: { name: `${r}-api`, port: { number: 80 } } } })),
            },
          })),
        },
      });
    }
    const cert = cfg.api.certificate;
    if (cert.enabled) {
      new Certificate(chart, 'certificate', {
        metadata: { name: `${r}-api`, namespace: cfg.namespace },
        spec: { secretName: `${r}-api-tls`, dnsNames: cert.dnsNames, issuerRef: { name: cert.issuerRef.name, kind: cert.issuerRef.kind } },
      });
    }
  },
};
