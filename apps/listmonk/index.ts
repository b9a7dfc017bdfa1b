import { BaseService } from '../../constructs/k8s/base-service';
import { MigrationJob } from '../../constructs/k8s/migration-job';
import { Chart } from '../../lib/core/facade/k8s';
import { WAVES } from '../../lib/core/facts/waves';
import { ListmonkConfig } from '../../lib/core/model/apps/listmonk';
import { imageRef } from '../../lib/core/model/primitives';
import { ownDatabase } from '../database';
import { AppContext, PlatformApp } from '../../contracts/app';
import { routeApp } from '../routing';

const DATABASE = { cluster: 'listmonk-postgres', name: 'listmonk' } as const;
const PORT = 9000;
/** Any non-root uid: the binary needs none of the users the image's entrypoint would create as root. */
const UID = 65532;
/** The first admin, created by the install step: a login Vault generates. */
const ADMIN = { secret: 'listmonk-admin', userKey: 'username', passwordKey: 'password' } as const;
/**
 * What subscribers reach (cmd/handlers.go at v6.2.0): the subscription form and its API, opt-in
 * confirmations and preferences, tracked links and campaign views, the public archive, public assets.
 */
const PUBLIC_PATHS = ['/subscription/', '/api/public/', '/link/', '/campaign/', '/archive', '/public/'];

/**
 * listmonk (The Lab design: newsletters and list management with double opt-in, fed by the contact
 * flow): subscribers, lists and campaigns in PostgreSQL on CloudNativePG over TLS with Vault logins per
 * lease (rolled by Reloader), configured from the environment only (`--config ''`), its schema installed
 * once and upgraded in a wave Job before the server, the first admin a login Vault generates. Routed
 * whole where hosts are private; on a public environment only the pages subscribers use are.
 */
export const listmonk: PlatformApp<ListmonkConfig> = {
  id: 'listmonk',
  description: 'listmonk newsletters and lists on CloudNativePG',
  usesGpu: () => false,
  requiresAddOns: () => ['cloudnative-pg', 'cert-manager', 'external-secrets', 'vault', 'reloader'],
  vaultSecrets: () => [{ name: ADMIN.secret, keys: [ADMIN.userKey, ADMIN.passwordKey], generated: true, fixed: { [ADMIN.userKey]: 'admin' } }],
  databases: () => [{ cluster: DATABASE.cluster, database: DATABASE.name }],

  install(chart: Chart, cfg: ListmonkConfig, ctx: AppContext): void {
    const ns = cfg.namespace;
    const { cluster: db, login } = ownDatabase(chart, cfg, ctx, DATABASE);
    // listmonk's settings as variables (LISTMONK_<section>__<key>), the login from the lease.
    const env = {
      LISTMONK_app__address: `0.0.0.0:${PORT}`,
      LISTMONK_app__root_url: `https://${cfg.host}`,
      LISTMONK_db__host: db.host,
      LISTMONK_db__port: '5432',
      LISTMONK_db__database: DATABASE.name,
      LISTMONK_db__ssl_mode: 'require',
      TZ: 'Etc/UTC',
    };
    const secretEnv = { LISTMONK_db__user: { secret: login, key: 'username' }, LISTMONK_db__password: { secret: login, key: 'password' } };
    const image = imageRef(cfg.images.listmonk);
    new MigrationJob(chart, 'install', {
      name: 'listmonk-install',
      namespace: ns,
      image,
      // The schema on an empty database only (idempotent), then every migration of this version.
      command: ['sh', '-c', "./listmonk --install --idempotent --yes --config '' && ./listmonk --upgrade --yes --config ''"],
      env,
      secretEnv: {
        ...secretEnv,
        LISTMONK_ADMIN_USER: { secret: ADMIN.secret, key: ADMIN.userKey },
        LISTMONK_ADMIN_PASSWORD: { secret: ADMIN.secret, key: ADMIN.passwordKey },
      },
      runs: { syncWave: WAVES.appMigrations },
      backoffLimit: 5,
      runAsUser: UID,
      connectsTo: [db.endpoint],
    });
    const service = new BaseService(chart, 'listmonk', {
      name: 'listmonk',
      namespace: ns,
      component: 'newsletters',
      image,
      containerPort: PORT,
      resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '1', memory: '512Mi' }, gpus: 0 },
      runAsUser: UID,
      command: ['./listmonk', '--config', ''],
      env,
      secretEnv,
      rotatedSecrets: [login],
      // Media uploads (the filesystem provider) and temporary files.
      writablePaths: ['/listmonk/uploads', '/tmp'],
      readinessProbe: { path: '/health' },
      connectsTo: [{ endpoint: db.endpoint, purpose: 'subscribers, lists and campaigns' }],
      syncWave: WAVES.appServing,
    });
    routeApp(service, ctx, cfg.host, PUBLIC_PATHS);
  },
};
