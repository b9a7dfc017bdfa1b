import { BaseService } from '../../constructs/k8s/base-service';
import { MigrationJob } from '../../constructs/k8s/migration-job';
import { ResourceProfile } from '../../constructs/k8s/resource-profiles';
import { ScheduledJob } from '../../constructs/k8s/scheduled-job';
import { Chart } from '../../lib/core/facade/k8s';
import { Peer, serviceHost } from '../../lib/core/facts/connections';
import { WAVES } from '../../lib/core/facts/waves';
import { MatomoConfig } from '../../lib/core/model/apps/matomo';
import { imageRef } from '../../lib/core/model/primitives';
import { AppContext, PlatformApp } from '../../contracts/app';
import { configFile } from '../config-file';
import { routePublic } from '../routing';
import { FPM_PORT, MATOMO_UID, SETUP_ENV, TABLE_PREFIX, WEB_ROOT, installFile, setupScript } from './install';
import { NGINX_UID, WEB_PORT, nginxConf } from './nginx';

/*
 * MariaDB (MariaDB/mariadb-docker at 1b6429b, 11.4/: the 11.4.12 LTS image): its entrypoint creates the
 * database and the user of MARIADB_DATABASE, MARIADB_USER and MARIADB_PASSWORD on an empty data directory
 * and upgrades the system tables after a version change (MARIADB_AUTO_UPGRADE); it runs as any user that
 * owns /var/lib/mysql (uid 999 is the image's mysql), and writes its socket under /run/mysqld.
 */
const MARIADB = { name: 'matomo-mariadb', port: 3306, uid: 999, dataDir: '/var/lib/mysql', database: 'matomo', user: 'matomo' } as const;
/** Vault-generated: the database logins, the first superuser's password, the salt every pod must share (sessions, tokens). */
const DB_SECRET = { secret: 'matomo-mariadb', password: 'password', rootPassword: 'rootPassword' } as const;
const ADMIN = { secret: 'matomo-admin', key: 'password' } as const;
const SALT = { secret: 'matomo-salt', key: 'value' } as const;
/** The OIDC client's secret: a person's input (the client is registered at the provider). */
const OIDC = { secret: 'matomo-oidc', key: 'clientSecret' } as const;
/** Where Jobs copy Matomo to (their only writable volume). */
const JOB_ROOT = '/tmp/matomo';
/** The dump the backup hook writes before Velero copies the volume: a consistent copy of every table. */
const DUMP = `${MARIADB.dataDir}/parity-backup.sql`;

const PHP: ResourceProfile = { requests: { cpu: '250m', memory: '256Mi' }, limits: { cpu: '2', memory: '1Gi' }, gpus: 0 };
/** nginx, and the setup that runs with the same numbers before it (copying Matomo, PHP's installer). */
const WEB: ResourceProfile = { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '1', memory: '512Mi' }, gpus: 0 };

/**
 * Velero's pre-backup hook on the database pod: dump every table in one transaction next to the data, so
 * the volume copy (Kopia, file by file) always holds a restorable state even if the live files are torn.
 */
function backupHook(): Record<string, string> {
  const dump = `MYSQL_PWD="$MARIADB_ROOT_PASSWORD" mariadb-dump -uroot --single-transaction --routines --events --all-databases > ${DUMP}.tmp && mv ${DUMP}.tmp ${DUMP}`;
  return {
    'pre.hook.backup.velero.io/container': MARIADB.name,
    'pre.hook.backup.velero.io/command': JSON.stringify(['/bin/sh', '-c', dump]),
    'pre.hook.backup.velero.io/on-error': 'Fail',
    'pre.hook.backup.velero.io/timeout': '10m',
  };
}

/** The identity provider's endpoints Matomo calls itself (token, user info), as declared external services. */
function oidcPeers(cfg: MatomoConfig, ctx: AppContext): Array<{ peer: Peer; ports: Array<{ port: number }>; purpose: string }> {
  if (!cfg.oidc) return [];
  const hosts = [...new Set([cfg.oidc.tokenUrl, cfg.oidc.userinfoUrl].map((u) => new URL(u).hostname))].sort();
  return hosts.map((host) => {
    const external = ctx.facts.external(host, `app matomo in ${cfg.namespace} (oidc)`);
    return { peer: external.peer, ports: [{ port: external.port }], purpose: 'OIDC sign-in (token, user info)' };
  });
}

/**
 * Matomo (The Lab design: web analytics under the operator's control, OIDC sign-in through LoginOIDC):
 * nginx in front of Matomo's php-fpm in each pod, both on a copy of Matomo the pod installs at start
 * (see ./install), its data in its own MariaDB (a StatefulSet on the default StorageClass, dumped before
 * each backup), reports archived hourly by a CronJob (browsers never trigger archiving). A wave Job
 * installs it on the empty database, or upgrades the schema to the image's version, before the web pods.
 * The whole host is routed, public or private: its tracker is what visitors' browsers call, and its
 * dashboard has its own login.
 */
export const matomo: PlatformApp<MatomoConfig> = {
  id: 'matomo',
  description: 'Matomo web analytics on MariaDB',
  usesGpu: () => false,
  requiresAddOns: () => ['cert-manager', 'external-secrets', 'vault'],
  vaultSecrets: (cfg) => [
    { name: DB_SECRET.secret, keys: [DB_SECRET.password, DB_SECRET.rootPassword], generated: true },
    { name: ADMIN.secret, keys: [ADMIN.key], generated: true },
    { name: SALT.secret, keys: [SALT.key], generated: true },
    ...(cfg.oidc ? [{ name: OIDC.secret, keys: [OIDC.key], generated: false }] : []),
  ],
  databases: () => [],

  install(chart: Chart, cfg: MatomoConfig, ctx: AppContext): void {
    const ns = cfg.namespace;
    const db = new BaseService(chart, 'mariadb', {
      name: MARIADB.name,
      namespace: ns,
      component: 'database',
      image: imageRef(cfg.images.mariadb),
      containerPort: MARIADB.port,
      resources: { requests: { cpu: '250m', memory: '512Mi' }, limits: { cpu: '2', memory: '2Gi' }, gpus: 0 },
      runAsUser: MARIADB.uid,
      // Matomo's recommendation for its bulk inserts.
      args: ['--max-allowed-packet=64M'],
      env: { MARIADB_DATABASE: MARIADB.database, MARIADB_USER: MARIADB.user, MARIADB_AUTO_UPGRADE: '1' },
      secretEnv: {
        MARIADB_PASSWORD: { secret: DB_SECRET.secret, key: DB_SECRET.password },
        MARIADB_ROOT_PASSWORD: { secret: DB_SECRET.secret, key: DB_SECRET.rootPassword },
      },
      writablePaths: ['/run/mysqld', '/tmp'],
      persistence: { size: cfg.databaseStorage, mountPath: MARIADB.dataDir, storageClass: ctx.traits.defaultStorageClass },
      readinessProbe: { tcp: true },
      podAnnotations: backupHook(),
      syncWave: WAVES.appServices,
    });

    const image = imageRef(cfg.images.matomo);
    const env = {
      [SETUP_ENV.installFile]: JSON.stringify(installFile(cfg)),
      MATOMO_DB_HOST: serviceHost(db.endpoint),
      MATOMO_DB_PORT: String(db.endpoint.port),
      MATOMO_DB_NAME: MARIADB.database,
      MATOMO_DB_USERNAME: MARIADB.user,
      MATOMO_DB_PREFIX: TABLE_PREFIX,
      MATOMO_FIRST_USER_NAME: 'admin',
      MATOMO_FIRST_USER_EMAIL: cfg.adminEmail,
    };
    const secretEnv = {
      MATOMO_DB_PASSWORD: { secret: DB_SECRET.secret, key: DB_SECRET.password },
      MATOMO_FIRST_USER_PASSWORD: ADMIN,
      [SETUP_ENV.salt]: SALT,
      ...(cfg.oidc ? { [SETUP_ENV.oidcClientSecret]: OIDC } : {}),
    };
    const peers = oidcPeers(cfg, ctx);
    const jobScript = (then: string) => ['sh', '-c', `${setupScript(JOB_ROOT)}\n${then}`];

    new MigrationJob(chart, 'install', {
      name: 'matomo-install',
      namespace: ns,
      image,
      // The tables and the first superuser on an empty database; after an image upgrade, its migrations.
      command: jobScript('./console core:update --yes --no-interaction'),
      env,
      secretEnv,
      runs: { syncWave: WAVES.appMigrations },
      backoffLimit: 5,
      runAsUser: MATOMO_UID,
      connectsTo: [db.endpoint],
    });

    const configMap = configFile(chart, 'nginx-config', { prefix: 'matomo-nginx', namespace: ns, file: 'nginx.conf', content: nginxConf() });
    const web = new BaseService(chart, 'web', {
      name: 'matomo',
      namespace: ns,
      component: 'web',
      image: imageRef(cfg.images.nginx),
      containerPort: WEB_PORT,
      replicas: cfg.replicas,
      resources: WEB,
      runAsUser: NGINX_UID,
      command: ['nginx', '-c', '/etc/matomo-nginx/nginx.conf', '-g', 'daemon off;'],
      // The pod's copy of Matomo (php-fpm writes its caches in it), and nginx's and PHP's temporary files.
      writablePaths: [WEB_ROOT, '/tmp'],
      mounts: [{ name: 'nginx-config', mountPath: '/etc/matomo-nginx', configMap }],
      // A static file of Matomo's: nginx serves; php-fpm's own probe covers PHP.
      readinessProbe: { path: '/matomo.js' },
      initContainers: [{ name: 'setup', image, command: ['sh', '-c', setupScript(WEB_ROOT)], env, secretEnv, runAsUser: MATOMO_UID }],
      // php-fpm reads config.ini.php, which the setup wrote with the database login: it needs no secret of its own.
      sidecars: [{ name: 'php-fpm', image, port: FPM_PORT, resources: PHP, runAsUser: MATOMO_UID, writablePaths: [WEB_ROOT, '/tmp'] }],
      connectsTo: [{ endpoint: db.endpoint, purpose: 'visits, reports, users and sessions' }],
      connectsToPeers: peers,
      syncWave: WAVES.appServing,
    });

    new ScheduledJob(chart, 'archive', {
      name: 'matomo-archive',
      namespace: ns,
      image,
      schedule: '5 * * * *',
      command: jobScript('./console core:archive'),
      env,
      secretEnv,
      // A run can take long after a traffic peak; the next one waits rather than archiving the same periods twice.
      concurrencyPolicy: 'Forbid',
      activeDeadlineSeconds: 6 * 3600,
      resources: { requests: { cpu: '250m', memory: '512Mi' }, limits: { cpu: '2', memory: '2Gi' }, gpus: 0 },
      runAsUser: MATOMO_UID,
      connectsTo: [{ endpoint: db.endpoint, purpose: 'archives reports from visits' }],
      syncWave: WAVES.appServing,
    });

    routePublic(web, ctx, cfg.host);
  },
};
