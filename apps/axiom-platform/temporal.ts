import { Chart } from '../../lib/core/facade/k8s';
import { HelmApplication, PinnedChart } from '../../constructs/k8s/helm-application';
import { MigrationJob } from '../../constructs/k8s/migration-job';
import { HARDENED_CONTAINER, hardenedPod } from '../../constructs/k8s/container-defaults';
import { PostgresCluster } from '../../constructs/k8s/postgres-cluster';
import { ServiceRoute } from '../../constructs/k8s/service-route';
import { RELOAD_ON_SECRETS_ANNOTATION, vaultCredentialsSecret } from '../../constructs/k8s/vault-database-credentials';
import { AppContext, routeTls } from '../../contracts/app';
import { ChartFacts, ChartWorkload, chartWorkloadPeer } from '../../lib/core/facts/chart-facts';
import { ServiceEndpoint, connectTo } from '../../lib/core/facts/connections';
import { WAVES } from '../../lib/core/facts/waves';
import { AxiomPlatformConfig } from '../../lib/core/model/apps/axiom-platform';
import { hostDomain, privateHosts } from '../../lib/core/model/hosts';
import { imageRef } from '../../lib/core/model/primitives';
import { TEMPORAL_IMAGES } from './temporal-images';

/** Release name: the chart names its Services `temporal-<component>`. */
const RELEASE = 'temporal';
/** Temporal's CloudNativePG cluster (persistence and visibility). */
export const TEMPORAL_CLUSTER = 'temporal-postgres';
/** Temporal's visibility store: a second database of its cluster, created at bootstrap. */
export const TEMPORAL_VISIBILITY_DATABASE = 'temporal_visibility';

/** The server's services with their gRPC and membership (ringpop) ports, as the chart's values set them. */
const SERVER = {
  frontend: { grpc: 7233, membership: 6933 },
  history: { grpc: 7234, membership: 6934 },
  matching: { grpc: 7235, membership: 6935 },
  worker: { grpc: 7239, membership: 6939 },
} as const;
const WEB_PORT = 8080;
/** Environment variable the servers' config template reads the SQL user from. */
const STORE_USER_ENV = 'TEMPORAL_STORE_USER';

export const TEMPORAL_CHART: Omit<PinnedChart, 'images'> = { repoURL: 'https://go.temporal.io/helm-charts', chart: 'temporal', version: '0.52.0' };

/** A component's pods, by the labels the chart's `temporal.resourceLabels` gives them. */
function workload(component: keyof typeof SERVER | 'web'): ChartWorkload {
  return {
    name: `${RELEASE}-${component}`,
    kind: 'Deployment',
    podSecurity: 'restricted',
    podLabels: { 'app.kubernetes.io/name': 'temporal', 'app.kubernetes.io/instance': RELEASE, 'app.kubernetes.io/component': component },
    // The servers log in with Vault's per-lease login; the UI talks only to the frontend.
    readsSecrets: component === 'web' ? [] : [vaultCredentialsSecret(TEMPORAL_CLUSTER)],
  };
}

/** What the chart runs with the values below: four server Deployments and the web UI. */
export function temporalChartFacts(cfg: AxiomPlatformConfig): ChartFacts {
  return {
    workloads: [...(Object.keys(SERVER) as Array<keyof typeof SERVER>).map(workload), workload('web')],
    services: [
      { name: `${RELEASE}-frontend`, ports: [{ port: SERVER.frontend.grpc, targetPort: SERVER.frontend.grpc }], workload: `${RELEASE}-frontend` },
      { name: `${RELEASE}-web`, ports: [{ port: WEB_PORT, targetPort: WEB_PORT }], workload: `${RELEASE}-web` },
    ],
    images: [imageRef(cfg.images.temporal), imageRef(cfg.images.temporalUi)],
  } as ChartFacts;
}

/** `tag[@digest]` for a chart that renders `repository:tag`. */
function chartImage(image: AxiomPlatformConfig['images']['temporal'], field: string): { repository: string; tag: string } {
  if (!image.tag) throw new Error(`app axiom-platform: images.${field} needs a tag (Temporal's chart renders repository:tag)`);
  return { repository: image.repository, tag: image.digest ? `${image.tag}@${image.digest}` : image.tag };
}

/**
 * Temporal through its Helm chart (the Axiom design; auto-setup is for development only): the server's
 * four services and the web UI, persistence and visibility on the app's CloudNativePG cluster, the
 * schema set up and migrated by a wave Job before the server syncs (the chart's own schema Job would be
 * deleted by its TTL and re-run by self-heal). Every login is Vault's (`login`: a VaultDatabaseCredentials
 * Secret of `db`): the chart takes one SQL user name, so its value is the server's own config template
 * reading the user from the environment at start, and Reloader rolls the servers when the lease renews.
 * Returns the frontend, which clients call.
 */
export function temporal(chart: Chart, cfg: AxiomPlatformConfig, ctx: AppContext, db: PostgresCluster, login: string): ServiceEndpoint {
  const ns = cfg.namespace;
  const peer = (w: ChartWorkload) => chartWorkloadPeer(ns, w);
  const by = `app axiom-platform in ${ns} (Temporal)`;
  if (db.name !== TEMPORAL_CLUSTER || login !== vaultCredentialsSecret(TEMPORAL_CLUSTER))
    throw new Error(`app axiom-platform: Temporal's chart facts name cluster ${TEMPORAL_CLUSTER} and its login Secret; got ${db.name}, ${login}`);
  const password = { secret: login, key: 'password' };

  new MigrationJob(chart, 'temporal-schema', {
    name: 'temporal-schema',
    namespace: ns,
    image: imageRef(cfg.images.temporalAdminTools),
    // setup-schema -v 0.0 only creates the version tables where they are missing; update-schema applies what is new.
    command: [
      'sh',
      '-c',
      [
        'set -eu',
        'SQL_DATABASE=temporal temporal-sql-tool setup-schema -v 0.0',
        'SQL_DATABASE=temporal temporal-sql-tool update-schema --schema-dir /etc/temporal/schema/postgresql/v12/temporal/versioned',
        `SQL_DATABASE=${TEMPORAL_VISIBILITY_DATABASE} temporal-sql-tool setup-schema -v 0.0`,
        `SQL_DATABASE=${TEMPORAL_VISIBILITY_DATABASE} temporal-sql-tool update-schema --schema-dir /etc/temporal/schema/postgresql/v12/visibility/versioned`,
      ].join('\n'),
    ],
    env: { SQL_PLUGIN: 'postgres12', SQL_HOST: db.host, SQL_PORT: '5432' },
    secretEnv: { SQL_USER: { secret: login, key: 'username' }, SQL_PASSWORD: password },
    runs: { syncWave: WAVES.appMigrations },
    backoffLimit: 5,
    connectsTo: [db.endpoint],
  });

  const sql = (database: string) => ({
    driver: 'postgres12',
    host: db.host,
    port: 5432,
    database,
    // Rendered by the server's entrypoint (dockerize) from TEMPORAL_STORE_USER below, as the chart does
    // for the password: Helm writes the value into config_template.yaml verbatim.
    user: `{{ .Env.${STORE_USER_ENV} }}`,
    existingSecret: login,
    maxConns: 20,
    maxConnLifetime: '1h',
  });
  const serverResources = { requests: { cpu: '200m', memory: '512Mi' }, limits: { cpu: '1', memory: '1Gi' } };
  const component = { containerSecurityContext: HARDENED_CONTAINER };
  const scraped = ctx.facts.hasWorkload('prometheus');
  const values = {
    server: {
      image: chartImage(cfg.images.temporal, 'temporal'),
      replicaCount: 1,
      securityContext: hardenedPod(1000),
      resources: serverResources,
      // The entrypoint renders docker.yaml next to the mounted template: a writable config directory.
      additionalVolumes: [
        { name: 'rendered-config', emptyDir: {} },
        { name: 'tmp', emptyDir: {} },
      ],
      additionalVolumeMounts: [
        { name: 'rendered-config', mountPath: '/etc/temporal/config' },
        { name: 'tmp', mountPath: '/tmp' },
      ],
      metrics: { serviceMonitor: { enabled: scraped } },
      additionalEnv: [{ name: STORE_USER_ENV, valueFrom: { secretKeyRef: { name: login, key: 'username' } } }],
      // A renewed lease is a new user: the servers restart on it while the previous login is still valid.
      deploymentAnnotations: { [RELOAD_ON_SECRETS_ANNOTATION]: login },
      config: {
        persistence: {
          defaultStore: 'default',
          default: { driver: 'sql', sql: sql('temporal') },
          visibility: { driver: 'sql', sql: sql(TEMPORAL_VISIBILITY_DATABASE) },
        },
      },
      frontend: component,
      history: component,
      matching: component,
      worker: component,
    },
    admintools: { enabled: false },
    web: {
      enabled: true,
      image: chartImage(cfg.images.temporalUi, 'temporalUi'),
      // The UI image's user (temporal, 5000) owns /home/ui-server; its start script renders config/ there.
      securityContext: hardenedPod(5000),
      containerSecurityContext: HARDENED_CONTAINER,
      additionalVolumes: [
        { name: 'config', emptyDir: {} },
        { name: 'tmp', emptyDir: {} },
      ],
      additionalVolumeMounts: [
        { name: 'config', mountPath: '/home/ui-server/config' },
        { name: 'tmp', mountPath: '/tmp' },
      ],
      resources: { requests: { cpu: '50m', memory: '128Mi' }, limits: { cpu: '500m', memory: '256Mi' } },
    },
    schema: { createDatabase: { enabled: false }, setup: { enabled: false }, update: { enabled: false } },
    cassandra: { enabled: false },
    elasticsearch: { enabled: false },
    prometheus: { enabled: false },
    grafana: { enabled: false },
  };
  new HelmApplication(chart, 'temporal', {
    name: RELEASE,
    chart: { ...TEMPORAL_CHART, images: TEMPORAL_IMAGES },
    destinationNamespace: ns,
    values,
    registryMirror: ctx.env.registryMirror,
    createNamespace: false,
    // After the schema Job (appMigrations), with the services that call it.
    syncWave: WAVES.appServing,
  });

  // The cluster's own traffic: every server service reaches every other on gRPC and membership.
  const servers = (Object.keys(SERVER) as Array<keyof typeof SERVER>).map((s) => ({ w: peer(workload(s)), ports: SERVER[s] }));
  for (const from of servers) {
    ctx.facts.connect(connectTo(from.w, db.endpoint, 'Temporal persistence and visibility'), by);
    for (const to of servers)
      ctx.facts.connect(
        { from: from.w, to: to.w, ports: [{ port: to.ports.grpc }, { port: to.ports.membership }], purpose: 'Temporal cluster (gRPC, membership)' },
        by,
      );
    if (scraped) ctx.facts.scrape(from.w, 9090, by);
  }
  const frontend: ServiceEndpoint = {
    namespace: ns,
    service: `${RELEASE}-frontend`,
    port: SERVER.frontend.grpc,
    targetPort: SERVER.frontend.grpc,
    workload: peer(workload('frontend')),
  };
  const web = peer(workload('web'));
  ctx.facts.connect(connectTo(web, frontend, 'Temporal web UI'), by);
  // The UI has no login of its own: routed only where the environment's hosts are private.
  if (privateHosts(ctx.env)) {
    const host = `temporal.${hostDomain(ctx.env)}`;
    new ServiceRoute(chart, 'temporal-web-route', {
      name: `${RELEASE}-web`,
      namespace: ns,
      host,
      className: ctx.routeClass,
      service: { name: `${RELEASE}-web`, port: WEB_PORT },
      target: { workload: web, port: WEB_PORT },
      tls: routeTls(ctx, host),
    });
  }
  return frontend;
}
