import { BaseService } from '../../constructs/k8s/base-service';
import { Chart } from '../../lib/core/facade/k8s';
import { WAVES } from '../../lib/core/facts/waves';
import { N8nConfig } from '../../lib/core/model/apps/n8n';
import { imageRef } from '../../lib/core/model/primitives';
import { ownDatabase } from '../database';
import { AppContext, PlatformApp } from '../../contracts/app';
import { routeApp } from '../routing';

const DATABASE = { cluster: 'n8n-postgres', name: 'n8n' } as const;
const PORT = 5678;
/** The node user of n8n's image. */
const NODE_UID = 1000;
/** The key n8n encrypts the credentials it stores with, generated once by Vault: losing it loses them. */
const ENCRYPTION = { secret: 'n8n-encryption', key: 'key' } as const;
/** Production webhooks (`/webhook/...`): what outside services and forms call. */
const WEBHOOK_PATH = '/webhook/';

/**
 * n8n (The Lab design: workflow automation for the contact form, list sign-ups and glue between
 * services): its workflows and executions in PostgreSQL on CloudNativePG over TLS with Vault logins per
 * lease (rolled by Reloader), credentials it stores encrypted with a key Vault generates, no telemetry or
 * update calls. Where the environment's hosts are private it is routed whole; on a public environment
 * only its production webhooks are, so forms and services can call it while the editor stays inside.
 */
export const n8n: PlatformApp<N8nConfig> = {
  id: 'n8n',
  description: 'n8n workflow automation on CloudNativePG',
  usesGpu: () => false,
  requiresAddOns: () => ['cloudnative-pg', 'cert-manager', 'external-secrets', 'vault', 'reloader'],
  vaultSecrets: () => [{ name: ENCRYPTION.secret, keys: [ENCRYPTION.key], generated: true }],
  databases: () => [{ cluster: DATABASE.cluster, database: DATABASE.name }],

  install(chart: Chart, cfg: N8nConfig, ctx: AppContext): void {
    const ns = cfg.namespace;
    const { cluster: db, login } = ownDatabase(chart, cfg, ctx, DATABASE);
    const service = new BaseService(chart, 'n8n', {
      name: 'n8n',
      namespace: ns,
      component: 'automation',
      image: imageRef(cfg.images.n8n),
      containerPort: PORT,
      resources: { requests: { cpu: '200m', memory: '512Mi' }, limits: { cpu: '1', memory: '2Gi' }, gpus: 0 },
      runAsUser: NODE_UID,
      env: {
        DB_TYPE: 'postgresdb',
        DB_POSTGRESDB_HOST: db.host,
        DB_POSTGRESDB_PORT: '5432',
        DB_POSTGRESDB_DATABASE: DATABASE.name,
        DB_POSTGRESDB_SSL_ENABLED: 'true',
        N8N_PORT: String(PORT),
        N8N_HOST: cfg.host,
        N8N_PROTOCOL: 'https',
        WEBHOOK_URL: `https://${cfg.host}/`,
        // Behind one proxy (the ingress controller): client addresses and https come from its headers.
        N8N_PROXY_HOPS: '1',
        N8N_USER_FOLDER: '/home/node',
        N8N_DIAGNOSTICS_ENABLED: 'false',
        N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
        N8N_METRICS: 'true',
        GENERIC_TIMEZONE: cfg.timezone,
        TZ: cfg.timezone,
      },
      secretEnv: {
        DB_POSTGRESDB_USER: { secret: login, key: 'username' },
        DB_POSTGRESDB_PASSWORD: { secret: login, key: 'password' },
        N8N_ENCRYPTION_KEY: ENCRYPTION,
      },
      rotatedSecrets: [login],
      // Its settings file and binary data under the user folder; /tmp for task runners.
      writablePaths: ['/home/node/.n8n', '/tmp'],
      readinessProbe: { path: '/healthz' },
      connectsTo: [{ endpoint: db.endpoint, purpose: 'workflows, credentials and executions' }],
      syncWave: WAVES.appServing,
    });
    if (ctx.facts.hasWorkload('prometheus')) service.scrapeWith({ path: '/metrics' });
    routeApp(service, ctx, cfg.host, [WEBHOOK_PATH]);
  },
};
