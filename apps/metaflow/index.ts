import { BaseService } from '../../constructs/k8s/base-service';
import { MigrationJob } from '../../constructs/k8s/migration-job';
import { Chart } from '../../lib/core/facade/k8s';
import { WAVES } from '../../lib/core/facts/waves';
import { hostDomain } from '../../lib/core/model/hosts';
import { MetaflowConfig } from '../../lib/core/model/apps/metaflow';
import { imageRef } from '../../lib/core/model/primitives';
import { ownDatabase } from '../database';
import { AppContext, PlatformApp } from '../../contracts/app';
import { routeApp } from '../routing';

const DATABASE = { cluster: 'metaflow-postgres', name: 'metaflow' } as const;
const PORT = 8080;
/** The virtualenv the image installs the services into. */
const PYTHON = '/opt/latest/bin/python3';

/**
 * Metaflow's metadata service (Axiom design: ML pipelines): the flows, runs, steps and artifacts every
 * Metaflow client records, in PostgreSQL on CloudNativePG with logins from Vault per lease (rolled by
 * Reloader), its schema migrated by goose in a wave Job before the service. The service has no login
 * of its own: routed only where the environment's hosts are private.
 */
export const metaflow: PlatformApp<MetaflowConfig> = {
  id: 'metaflow',
  description: 'Metaflow metadata service on CloudNativePG',
  usesGpu: () => false,
  requiresAddOns: () => ['cloudnative-pg', 'cert-manager', 'external-secrets', 'vault', 'reloader'],
  vaultSecrets: () => [],
  databases: () => [{ cluster: DATABASE.cluster, database: DATABASE.name }],

  install(chart: Chart, cfg: MetaflowConfig, ctx: AppContext): void {
    const ns = cfg.namespace;
    const { cluster: db, login } = ownDatabase(chart, cfg, ctx, DATABASE);
    // The service and its migrations read the database from these (services/utils DBConfiguration).
    const dbEnv = {
      MF_METADATA_DB_HOST: db.host,
      MF_METADATA_DB_PORT: '5432',
      MF_METADATA_DB_NAME: DATABASE.name,
      MF_METADATA_DB_SSL_MODE: 'require',
      HOME: '/tmp',
    };
    const dbLogin = { MF_METADATA_DB_USER: { secret: login, key: 'username' }, MF_METADATA_DB_PSWD: { secret: login, key: 'password' } };

    new MigrationJob(chart, 'migrate', {
      name: 'metaflow-migrate',
      namespace: ns,
      image: imageRef(cfg.images.service),
      // goose applies the migrations the image carries (run_goose.py, as Metaflow's own chart runs it).
      command: [PYTHON, '/root/run_goose.py', '--wait', '60'],
      env: dbEnv,
      secretEnv: dbLogin,
      runs: { syncWave: WAVES.appMigrations },
      backoffLimit: 5,
      profile: 'python',
      connectsTo: [db.endpoint],
    });

    const service = new BaseService(chart, 'metadata', {
      name: 'metaflow-metadata',
      namespace: ns,
      component: 'metadata-service',
      image: imageRef(cfg.images.service),
      containerPort: PORT,
      profile: 'python',
      command: [PYTHON, '-m', 'services.metadata_service.server'],
      env: { ...dbEnv, MF_METADATA_PORT: String(PORT) },
      secretEnv: dbLogin,
      rotatedSecrets: [login],
      readinessProbe: { path: '/ping' },
      connectsTo: [{ endpoint: db.endpoint, purpose: 'Metaflow metadata (flows, runs, steps, artifacts)' }],
      syncWave: WAVES.appServing,
    });
    routeApp(service, ctx, `metaflow.${hostDomain(ctx.env)}`);
  },
};
