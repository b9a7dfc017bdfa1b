import { WAVES } from '../../lib/core/facts/waves';
import { ScheduledJob } from '../../constructs/k8s/scheduled-job';
import { BaseService } from '../../constructs/k8s/base-service';
import { MigrationJob } from '../../constructs/k8s/migration-job';
import { PostgresCluster } from '../../constructs/k8s/postgres-cluster';
import { ownRedis, ownRedisChartFacts } from '../redis';
import { VaultDatabaseCredentials } from '../../constructs/k8s/vault-database-credentials';
import { Chart } from '../../lib/core/facade/k8s';
import { imageRef } from '../../lib/core/model/primitives';
import { AppContext, PlatformApp, routeTls } from '../../contracts/app';
import { hostPort, serviceHost, serviceUrl } from '../../lib/core/facts/connections';
import { AxiomPlatformConfig } from '../../lib/core/model/apps/axiom-platform';
import { oidcIssuer } from '../../lib/core/model/apps/keycloak';
import { TEMPORAL_CLUSTER, TEMPORAL_VISIBILITY_DATABASE, temporal, temporalChartFacts } from './temporal';

/** Argo CD sync waves: data stores first, then migrations, then the services that need the schema. */
/**
 * Axiom's platform services as the Axiom design runs them: PostgreSQL through CloudNativePG (app and
 * Temporal each get a cluster), Redis, Temporal and MinIO, and the backend behind a Flyway
 * Job in an earlier sync wave, so only services that depend on the schema wait for the migration.
 */
export const axiomPlatform: PlatformApp<AxiomPlatformConfig> = {
  id: 'axiom-platform',
  description: 'Axiom backend with CloudNativePG, Redis, Temporal, MinIO and Flyway (Keycloak: the keycloak app)',
  usesGpu: () => false,
  requiresAddOns: () => ['cloudnative-pg', 'redis-operator', 'external-secrets', 'vault', 'reloader', 'cert-manager'],
  // Redis and MinIO credentials nobody sets by hand: Vault generates them (Axiom design).
  vaultSecrets: () => [
    { name: 'redis-auth', keys: ['password'], generated: true },
    { name: 'minio-root', keys: ['password', 'user'], generated: true },
  ],
  chartFacts: (cfg) => [
    { application: 'temporal', facts: temporalChartFacts(cfg) },
    // Redis and Sentinel pods are the operator's: their images come from the custom resources.
    ownRedisChartFacts(cfg),
  ],
  databases: () => [
    { cluster: 'axiom-postgres', database: 'axiom' },
    { cluster: TEMPORAL_CLUSTER, database: 'temporal' },
  ],

  install(chart: Chart, cfg: AxiomPlatformConfig, ctx: AppContext): void {
    const ns = cfg.namespace;
    const storageClass = ctx.traits.defaultStorageClass;
    const pg = (name: string, owner: string, instances: number, storageSize: string, additionalDatabases: string[] = []) =>
      new PostgresCluster(chart, name, {
        name,
        namespace: ns,
        storageSize,
        storageClass,
        instances,
        database: { name: owner, owner },
        additionalDatabases,
        syncWave: WAVES.appData,
      });
    const appDb = pg('axiom-postgres', 'axiom', cfg.postgres.instances, cfg.postgres.storage);
    const temporalDb = pg(TEMPORAL_CLUSTER, 'temporal', 2, '20Gi', [TEMPORAL_VISIBILITY_DATABASE]);
    // Logins from Vault's database engine (a user per lease, rotated twice a day), never the owner's
    // static password: the backend, Flyway, scheduled jobs and Temporal's servers and schema Job.
    const identity = { app: cfg.app, namespace: ns };
    const vaultLogin = (cluster: PostgresCluster) =>
      new VaultDatabaseCredentials(chart, `${cluster.name}-credentials`, { identity, cluster: cluster.name }).secret;
    const logins = new Map([appDb, temporalDb].map((c) => [c, vaultLogin(c)]));
    const dbSecret = (cluster: PostgresCluster, key: 'username' | 'password') => ({ secret: logins.get(cluster)!, key });
    const common = { namespace: ns, syncWave: WAVES.appServices };
    // Hosts are served by the environment's route class, with TLS from its wildcard or issuer.
    const route = (host: string) => ({ host, className: ctx.routeClass, tls: routeTls(ctx, host) });

    // Replication with Sentinel failover (Axiom design: an operator, not a single StatefulSet).
    const redis = ownRedis(chart, cfg, ctx, { secret: 'redis-auth', key: 'password' });

    const minio = new BaseService(chart, 'minio', {
      ...common,
      name: 'minio',
      component: 'object-storage',
      image: imageRef(cfg.images.minio),
      containerPort: 9000,
      profile: 'python',
      args: ['server', '/data', '--console-address', ':9001'],
      secretEnv: { MINIO_ROOT_USER: { secret: 'minio-root', key: 'user' }, MINIO_ROOT_PASSWORD: { secret: 'minio-root', key: 'password' } },
      readinessProbe: { path: '/minio/health/ready' },
      livenessProbe: { path: '/minio/health/live' },
      persistence: { size: cfg.minioStorage, mountPath: '/data', storageClass },
    });

    const temporalFrontend = temporal(chart, cfg, ctx, temporalDb, logins.get(temporalDb)!);

    const issuer = oidcIssuer(ctx.env.apps, cfg.oidcRealm);
    if (!issuer) throw new Error(`app axiom-platform in ${ns}: no keycloak app imports realm ${cfg.oidcRealm} (checked by validation)`);
    const dbEnv = { DB_HOST: appDb.host, DB_PORT: '5432', DB_NAME: 'axiom' };
    const otlp = ctx.facts.hasEndpoint('otlp-http') ? ctx.facts.endpoint('otlp-http', `app axiom-platform in ${ns}`) : undefined;
    new MigrationJob(chart, 'flyway', {
      name: 'axiom-flyway-migrate',
      namespace: ns,
      image: imageRef(cfg.images.migrations),
      command: ['flyway', 'migrate'],
      env: { FLYWAY_URL: `jdbc:postgresql://${appDb.host}:5432/axiom`, FLYWAY_LOCATIONS: 'filesystem:/flyway/sql' },
      secretEnv: { FLYWAY_USER: dbSecret(appDb, 'username'), FLYWAY_PASSWORD: dbSecret(appDb, 'password') },
      runs: { syncWave: WAVES.appMigrations },
      backoffLimit: 2,
      connectsTo: [appDb.endpoint],
    });

    new BaseService(chart, 'backend', {
      namespace: ns,
      name: 'axiom-backend',
      component: 'backend',
      image: imageRef(cfg.images.backend),
      containerPort: 8000,
      profile: 'python',
      replicas: cfg.replicas.backend,
      env: {
        ...dbEnv,
        REDIS_HOST: serviceHost(redis.endpoint),
        S3_ENDPOINT: serviceUrl(minio.endpoint, 'http'),
        TEMPORAL_ADDRESS: hostPort(temporalFrontend),
        OIDC_ISSUER: issuer,
        ...(otlp ? { OTEL_EXPORTER_OTLP_ENDPOINT: serviceUrl(otlp, 'http') } : {}),
      },
      secretEnv: {
        DB_USER: dbSecret(appDb, 'username'),
        DB_PASSWORD: dbSecret(appDb, 'password'),
        REDIS_PASSWORD: { secret: 'redis-auth', key: 'password' },
        S3_ACCESS_KEY: { secret: 'minio-root', key: 'user' },
        S3_SECRET_KEY: { secret: 'minio-root', key: 'password' },
      },
      readinessProbe: { path: '/health' },
      rotatedSecrets: [logins.get(appDb)!],
      connectsTo: [
        { endpoint: appDb.endpoint, purpose: 'application database' },
        { endpoint: redis.endpoint, purpose: 'cache and sessions' },
        { endpoint: minio.endpoint, purpose: 'object storage' },
        { endpoint: temporalFrontend, purpose: 'workflows' },
        ...(otlp ? [{ endpoint: otlp, purpose: 'traces, metrics and logs (OTLP)' }] : []),
      ],
      syncWave: WAVES.appServing,
    })
      .exposeViaIngress(route(cfg.backendHost))
      .scrapeWith({ path: '/metrics' });

    // What a scheduled run may use, with the backend's settings for it.
    const uses = {
      database: {
        env: dbEnv,
        secretEnv: { DB_USER: dbSecret(appDb, 'username'), DB_PASSWORD: dbSecret(appDb, 'password') },
        endpoint: appDb.endpoint,
      },
      cache: {
        env: { REDIS_HOST: serviceHost(redis.endpoint) },
        secretEnv: { REDIS_PASSWORD: { secret: 'redis-auth', key: 'password' } },
        endpoint: redis.endpoint,
      },
      objectStore: {
        env: { S3_ENDPOINT: serviceUrl(minio.endpoint, 'http') },
        secretEnv: { S3_ACCESS_KEY: { secret: 'minio-root', key: 'user' }, S3_SECRET_KEY: { secret: 'minio-root', key: 'password' } },
        endpoint: minio.endpoint,
      },
    };
    for (const job of cfg.scheduledJobs) {
      const used = job.uses.map((u) => uses[u]);
      new ScheduledJob(chart, `job-${job.name}`, {
        namespace: ns,
        name: job.name,
        image: imageRef(cfg.images.backend),
        schedule: job.schedule,
        timeZone: job.timeZone,
        command: job.command,
        args: job.args,
        env: Object.assign({}, ...used.map((u) => u.env)),
        secretEnv: Object.assign({}, ...used.map((u) => u.secretEnv)),
        connectsTo: job.uses.map((u) => ({ endpoint: uses[u].endpoint, purpose: `scheduled job ${job.name}` })),
        // Runs need the migrated schema: after the backend's wave.
        syncWave: WAVES.appServing,
      });
    }
  },
};
