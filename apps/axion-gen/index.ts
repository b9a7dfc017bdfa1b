import { WAVES } from '../../lib/core/facts/waves';
import { Chart } from '../../lib/core/facade/k8s';
import { AppContext, PlatformApp, VaultSecretSpec } from '../../contracts/app';
import { SecretKeyRef } from '../../lib/core/model/apps/secret-ref';
import { AxionGenConfig, postgresClusterName, postgresOwnerSecret } from '../../lib/core/model/apps/axion-gen';
import { PostgresCluster } from '../../constructs/k8s/postgres-cluster';
import { VendorChartApplication } from '../../constructs/k8s/vendor-chart-application';
import { Peer, PortSpec, ServiceEndpoint, connectTo, workloadPeer } from '../../lib/core/facts/connections';
import { FactRegistry } from '../../lib/core/facts/registry';
import { ChartSecretMount, ChartSecretValue, secretKeyForPath } from '../../lib/core/chart-secret-values';

/**
 * The pods the vendor's chart renders, by the component labels its guide selects them with
 * (`kubectl logs -l app.kubernetes.io/component=api`): the NetworkPolicies select them the same way.
 */
const COMPONENTS = { api: 'api', worker: 'worker', migration: 'db-migration' } as const;

function chartPeer(cfg: AxionGenConfig, component: string) {
  return workloadPeer(cfg.namespace, `${cfg.release}-${component}`, { 'app.kubernetes.io/component': component });
}

/**
 * Where axion-gen's pods connect, besides in-cluster Services: the OIDC issuer, the S3 endpoint, OpenFGA
 * and an external Postgres, each a declared external service of the environment (a host not declared
 * is a synth error naming the value it came from).
 */
function externalDependencies(cfg: AxionGenConfig, facts: FactRegistry): Array<{ peer: Peer; ports: PortSpec[]; purpose: string }> {
  const out: Array<{ peer: Peer; ports: PortSpec[]; purpose: string }> = [];
  const add = (host: string, value: string, purpose: string) => {
    if (/\.svc(\.cluster\.local)?$/.test(host)) return; // an in-cluster Service: the database check below covers it
    const ext = facts.external(host, `app axion-gen in ${cfg.namespace} (${value})`);
    out.push({ peer: ext.peer, ports: [{ port: ext.port }], purpose });
  };
  add(new URL(cfg.oidc.authority).hostname, 'oidc.authority', 'OIDC discovery and token validation');
  add(cfg.s3.host.split(':')[0], 's3.host', 'PMTiles and agent artifacts (S3)');
  if (cfg.openfga.apiUrl) add(new URL(cfg.openfga.apiUrl).hostname, 'openfga.apiUrl', 'authorization checks (OpenFGA)');
  if (!cfg.database) add(cfg.postgres.api.host, 'postgres.api.host', 'metadata and Hangfire (PostgreSQL)');
  return out;
}

/** The secret values of the chart's contract, each with the Vault secret key it comes from. */
function secretValues(cfg: AxionGenConfig): Array<{ path: string; ref: SecretKeyRef }> {
  return [
    { path: 'oidc.clientSecret', ref: cfg.oidc.clientSecret },
    { path: 's3.accessKey', ref: cfg.s3.accessKey },
    { path: 's3.secretKey', ref: cfg.s3.secretKey },
    { path: 'postgres.api.password', ref: cfg.postgres.api.password },
    { path: 'openfga.apiKey', ref: cfg.openfga.apiKey },
    ...cfg.api.apiKeys.map((k, i) => ({ path: `api.apiKeys[${i}].key`, ref: k.key })),
  ];
}

/** Every other value of the contract, as the guide names them (Parity's own fields are not passed on). */
export function axionGenChartValues(cfg: AxionGenConfig): object {
  const ing = cfg.api.ingress;
  const cert = cfg.api.certificate;
  const pg = cfg.postgres.api;
  return {
    global: { imagePullSecrets: cfg.global.imagePullSecrets.map((name) => ({ name })) },
    api: {
      image: cfg.api.image,
      replicaCount: cfg.api.replicaCount,
      service: cfg.api.service,
      cors: cfg.api.cors,
      resources: cfg.api.resources,
      apiKeys: cfg.api.apiKeys.map((k) => ({ serviceName: k.serviceName })),
      migration: cfg.api.migration,
      ingress: ing,
      certificate: cert,
    },
    worker: { image: cfg.worker.image, replicaCount: cfg.worker.replicaCount, resources: cfg.worker.resources, hangfire: cfg.worker.hangfire },
    oidc: {
      authority: cfg.oidc.authority,
      clientId: cfg.oidc.clientId,
      ...(cfg.oidc.audience ? { audience: cfg.oidc.audience } : {}),
      requireHttpsMetadata: cfg.oidc.requireHttpsMetadata,
    },
    s3: { host: cfg.s3.host, secured: cfg.s3.secured },
    postgres: { api: { host: pg.host, port: pg.port, database: pg.database, username: pg.username, maxPoolSize: pg.maxPoolSize } },
    openfga: { apiUrl: cfg.openfga.apiUrl, storeName: cfg.openfga.storeName },
  };
}

const chartSecretName = (cfg: AxionGenConfig) => `${cfg.release}-chart-values`;

/**
 * axion-gen as its vendor ships it: the vendor's Helm chart (API, Hangfire worker, migration hook,
 * optional ingress and certificate), delivered by Argo CD from the OCI registry at a pinned version
 * with the guide's values; its secret values from Vault through the secret-values plugin. Parity adds
 * what the guide lists as prerequisites: the PostgreSQL 15+ database, and the egress to the OIDC
 * provider, S3 and OpenFGA the environment declares.
 */
export const axionGen: PlatformApp<AxionGenConfig> = {
  id: 'axion-gen',
  description: 'axion-gen: the vendor chart (Gen API and Hangfire worker)',
  usesGpu: () => false,
  requiresAddOns: (cfg) => [
    'argo-cd',
    'external-secrets',
    'vault',
    ...(cfg.api.certificate.enabled ? ['cert-manager'] : []),
    ...(cfg.database ? ['cloudnative-pg'] : []),
  ],
  // Every secret reference of the config, grouped by Vault secret: the partner's credentials, written
  // to Vault by their owners; the database owner's login, generated by Vault.
  vaultSecrets: (cfg) => {
    const owner = cfg.database ? postgresOwnerSecret(cfg.release) : undefined;
    const bySecret = new Map<string, Set<string>>();
    for (const { ref } of secretValues(cfg).filter((v) => v.ref.secret !== owner))
      bySecret.set(ref.secret, (bySecret.get(ref.secret) ?? new Set()).add(ref.key));
    const own: VaultSecretSpec[] = [...bySecret]
      .sort(([a], [b]) => (a < b ? -1 : 1))
      // Read by the chart's plugin only (through chartSecrets): no copy in the app's namespace.
      .map(([name, keys]) => ({ name, keys: [...keys].sort(), generated: false, sync: false }));
    const database: VaultSecretSpec[] = owner
      ? [
          {
            name: owner,
            keys: ['password', 'username'],
            generated: true,
            fixed: { username: cfg.postgres.api.username },
            type: 'kubernetes.io/basic-auth',
          },
        ]
      : [];
    // global.imagePullSecrets: the registry's login, written to Vault by the site, synced as dockerconfigjson.
    const pull = cfg.global.imagePullSecrets.map((name) => ({
      name,
      keys: ['.dockerconfigjson'],
      generated: false,
      type: 'kubernetes.io/dockerconfigjson',
    }));
    return [...own, ...database, ...pull];
  },
  databases: (cfg) => (cfg.database ? [{ cluster: postgresClusterName(cfg.release), database: cfg.postgres.api.database }] : []),
  chartFacts: (cfg) => [{ application: cfg.release, facts: { images: [cfg.api.image, cfg.worker.image].map((i) => `${i.repository}:${i.tag}`) } }],
  chartSecrets: (cfg): ChartSecretMount[] => [
    {
      application: cfg.release,
      secret: chartSecretName(cfg),
      values: secretValues(cfg).map((v) => ({ key: secretKeyForPath(v.path), vaultSecret: v.ref.secret, property: v.ref.key })),
    },
  ],

  install(chart: Chart, cfg: AxionGenConfig, ctx: AppContext): void {
    const r = cfg.release;
    const database: ServiceEndpoint | undefined = cfg.database
      ? new PostgresCluster(chart, 'postgres', {
          name: postgresClusterName(r),
          namespace: cfg.namespace,
          instances: cfg.database.instances,
          storageSize: cfg.database.storageSize,
          storageClass: ctx.traits.defaultStorageClass,
          database: { name: cfg.postgres.api.database, owner: cfg.postgres.api.username },
          ownerSecret: postgresOwnerSecret(r),
          syncWave: WAVES.appData,
        }).endpoint
      : undefined;

    // What the chart's pods call: the database, and the declared services outside the cluster.
    const external = externalDependencies(cfg, ctx.facts);
    const components = [COMPONENTS.api, COMPONENTS.worker, ...(cfg.api.migration.enabled ? [COMPONENTS.migration] : [])];
    for (const component of components) {
      const from = chartPeer(cfg, component);
      const by = `app axion-gen (${component})`;
      if (database)
        ctx.facts.connect(
          connectTo(from, database, component === COMPONENTS.migration ? 'schema migration' : 'metadata and Hangfire (PostgreSQL)'),
          by,
        );
      // The migration only touches the database (an external one is among `external`).
      for (const e of external.filter((x) => component !== COMPONENTS.migration || x.purpose.includes('PostgreSQL')))
        ctx.facts.connect({ from, to: e.peer, ports: e.ports, purpose: e.purpose }, by);
    }
    // The chart's container port is not part of its values contract: clients are admitted on the api pods' ports.
    const api = chartPeer(cfg, COMPONENTS.api);
    const ing = cfg.api.ingress;
    if (ing.enabled) {
      const controller = ctx.facts.workload(`ingress-controller:${ing.className}`, `app axion-gen in ${cfg.namespace} (api.ingress.className)`);
      ctx.facts.connect({ from: controller, to: api, ports: [], purpose: `routes ${ing.hosts.map((h) => h.host).join(', ')}` }, 'app axion-gen');
    }
    if (cfg.api.service.type !== 'ClusterIP')
      ctx.facts.connect(
        {
          from: { kind: 'external', host: `clients of the ${cfg.api.service.type}` },
          to: api,
          ports: [],
          purpose: `${cfg.api.service.type} Service`,
        },
        'app axion-gen',
      );
    if (cfg.api.certificate.enabled)
      ctx.facts.name('ClusterIssuer', cfg.api.certificate.issuerRef.name, `app axion-gen in ${cfg.namespace} (api.certificate.issuerRef.name)`);

    const values: ChartSecretValue[] = secretValues(cfg).map((v) => ({ path: v.path, key: secretKeyForPath(v.path) }));
    new VendorChartApplication(chart, 'chart', {
      name: r,
      destinationNamespace: cfg.namespace,
      chart: cfg.chart,
      values: axionGenChartValues(cfg),
      secretValues: values,
      imageValues: ['api.image', 'worker.image'],
      registryMirror: ctx.env.registryMirror,
      source: { repoURL: ctx.env.gitops.repoURL, revision: ctx.env.gitops.branch, path: ctx.env.gitops.path },
      // After its database (appData) is healthy: the chart's migration hook runs first thing.
      syncWave: WAVES.appServing,
    });
  },
};
