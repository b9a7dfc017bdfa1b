import { stringify } from 'yaml';
import { BaseService } from '../../constructs/k8s/base-service';
import { Chart } from '../../lib/core/facade/k8s';
import { ServiceEndpoint, serviceUrl } from '../../lib/core/facts/connections';
import { WAVES } from '../../lib/core/facts/waves';
import { hostDomain } from '../../lib/core/model/hosts';
import { GatusConfig } from '../../lib/core/model/apps/gatus';
import { imageRef } from '../../lib/core/model/primitives';
import { ownDatabase } from '../database';
import { AppContext, PlatformApp } from '../../contracts/app';
import { routeApp, routePublic } from '../routing';
import { configFile } from '../config-file';

const DATABASE = { cluster: 'gatus-postgres', name: 'gatus' } as const;
const PORT = 8080;
const CONFIG_DIR = '/config';
const STATUS_PORT = 8080;
/** Gatus's image is FROM scratch with no user of its own: any non-root uid runs it. */
const GATUS_UID = 65532;

/** The port a check's URL reaches: its own, else HTTPS's. */
const portOf = (url: string) => Number(new URL(url).port || 443);

/**
 * Gatus's configuration: every check with its conditions (status, response time, certificate life),
 * history in PostgreSQL (the login expanded from the environment Gatus starts with, which Vault issues
 * per lease), metrics on its web port.
 */
export function gatusConfigFile(cfg: GatusConfig, databaseHost: string): string {
  return stringify({
    storage: {
      type: 'postgres',
      path: `postgres://\${GATUS_DB_USER}:\${GATUS_DB_PASSWORD}@${databaseHost}:5432/${DATABASE.name}?sslmode=require`,
      caching: true,
    },
    metrics: true,
    web: { port: PORT },
    endpoints: cfg.checks.map((c) => ({
      name: c.name,
      ...(c.group ? { group: c.group } : {}),
      url: c.url,
      interval: c.interval,
      conditions: ['[STATUS] == 200', `[RESPONSE_TIME] < ${c.maxResponseMs}`, `[CERTIFICATE_EXPIRATION] > ${c.certificateDays * 24}h`],
    })),
  });
}

/**
 * The organization's status service: reads Gatus's results (and Prometheus's cluster signals, where it
 * runs) and serves them read-only to the public through the ingress, which limits each client's rate
 * and answers CORS for the listed sites only. Its contract is these variables: GATUS_URL,
 * PROMETHEUS_URL (optional), CORS_ORIGINS (comma-separated), LISTEN_ADDR; /healthz for probes.
 */
function statusService(chart: Chart, s: NonNullable<GatusConfig['statusService']>, gatus: ServiceEndpoint, ns: string, ctx: AppContext): void {
  const by = `app gatus in ${ns} (status service)`;
  const prometheus = ctx.facts.hasEndpoint('prometheus') ? ctx.facts.endpoint('prometheus', by) : undefined;
  const service = new BaseService(chart, 'status-service', {
    name: 'status-service',
    namespace: ns,
    component: 'status-api',
    image: imageRef(s.image),
    containerPort: STATUS_PORT,
    replicas: s.replicas,
    resources: { requests: { cpu: '50m', memory: '64Mi' }, limits: { cpu: '500m', memory: '256Mi' }, gpus: 0 },
    runAsUser: GATUS_UID,
    env: {
      GATUS_URL: serviceUrl(gatus, 'http'),
      ...(prometheus ? { PROMETHEUS_URL: serviceUrl(prometheus, 'http') } : {}),
      CORS_ORIGINS: s.corsOrigins.join(','),
      LISTEN_ADDR: `:${STATUS_PORT}`,
    },
    readinessProbe: { path: '/healthz' },
    connectsTo: [{ endpoint: gatus, purpose: 'endpoint statuses' }, ...(prometheus ? [{ endpoint: prometheus, purpose: 'cluster signals' }] : [])],
    syncWave: WAVES.appServing,
  });
  routePublic(service, ctx, s.host, { rateLimitRps: s.rateLimitRps, cors: { origins: s.corsOrigins, methods: ['GET', 'OPTIONS'] } });
}

/**
 * Gatus (The Lab design: status monitoring under the operator's control): health checks of the
 * environment's endpoints as their users reach them, history in PostgreSQL on CloudNativePG with Vault
 * logins per lease (rolled by Reloader), metrics for Prometheus, and its status page routed where the
 * environment's hosts are private (the public status API is the platform's status service, upstream of
 * which Gatus sits). Its configuration is a ConfigMap named by its content: a changed check rolls the pod.
 */
export const gatus: PlatformApp<GatusConfig> = {
  id: 'gatus',
  description: 'Gatus uptime checks and status page on CloudNativePG',
  usesGpu: () => false,
  requiresAddOns: () => ['cloudnative-pg', 'cert-manager', 'external-secrets', 'vault', 'reloader'],
  vaultSecrets: () => [],
  databases: () => [{ cluster: DATABASE.cluster, database: DATABASE.name }],

  install(chart: Chart, cfg: GatusConfig, ctx: AppContext): void {
    const ns = cfg.namespace;
    const { cluster: db, login } = ownDatabase(chart, cfg, ctx, DATABASE);
    const config = gatusConfigFile(cfg, db.host);
    const configMap = configFile(chart, 'config', { prefix: 'gatus-config', namespace: ns, file: 'config.yaml', content: config });
    const service = new BaseService(chart, 'gatus', {
      name: 'gatus',
      namespace: ns,
      component: 'status',
      image: imageRef(cfg.images.gatus),
      containerPort: PORT,
      // A small Go binary: the smallest profile's numbers.
      resources: { requests: { cpu: '50m', memory: '64Mi' }, limits: { cpu: '500m', memory: '256Mi' }, gpus: 0 },
      runAsUser: GATUS_UID,
      env: { GATUS_CONFIG_PATH: `${CONFIG_DIR}/config.yaml`, GATUS_LOG_LEVEL: 'INFO' },
      secretEnv: { GATUS_DB_USER: { secret: login, key: 'username' }, GATUS_DB_PASSWORD: { secret: login, key: 'password' } },
      rotatedSecrets: [login],
      mounts: [{ name: 'config', mountPath: CONFIG_DIR, configMap }],
      readinessProbe: { path: '/health' },
      connectsTo: [{ endpoint: db.endpoint, purpose: 'check history' }],
      // Each checked host, as its users reach it: from outside the cluster's ranges.
      connectsToPeers: [...new Map(cfg.checks.map((c) => [new URL(c.url).hostname, portOf(c.url)]))]
        .sort(([a], [b]) => (a < b ? -1 : 1))
        .map(([host, port]) => ({ peer: { kind: 'external' as const, host }, ports: [{ port }], purpose: 'health check' })),
      syncWave: WAVES.appServing,
    });
    if (ctx.facts.hasWorkload('prometheus')) service.scrapeWith({ path: '/metrics' });
    if (cfg.statusService) statusService(chart, cfg.statusService, service.endpoint, ns, ctx);
    routeApp(service, ctx, `status.${hostDomain(ctx.env)}`);
  },
};
