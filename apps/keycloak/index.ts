import { Keycloak, KeycloakRealmImport, KeycloakSpecResourcesLimits, KeycloakSpecResourcesRequests } from '../../imports/k8s.keycloak.org';
import { KEYCLOAK_CRD_GROUP, KeycloakOperator } from '../../constructs/k8s/keycloak-operator';
import { ServiceRoute } from '../../constructs/k8s/service-route';
import { HARDENED_CONTAINER } from '../../constructs/k8s/container-defaults';
import { mirroredImage } from '../../constructs/image';
import { Chart } from '../../lib/core/facade/k8s';
import { workloadPeer } from '../../lib/core/facts/connections';
import { WAVES, waveAnnotation } from '../../lib/core/facts/waves';
import { imageRef } from '../../lib/core/model/primitives';
import { KeycloakConfig } from '../../lib/core/model/apps/keycloak';
import { ownDatabase } from '../database';
import { AppContext, PlatformApp, routeTls } from '../../contracts/app';

const DATABASE = { cluster: 'keycloak-postgres', name: 'keycloak', owner: 'keycloak' } as const;
/** The Keycloak resource's name: the operator names its StatefulSet and `<name>-service` after it. */
const NAME = 'keycloak';
const HTTP_PORT = 8080;
/** Infinispan's clustering (JGroups) and failure detection between the instances. */
const CLUSTER_PORTS = [7800, 57800];

/**
 * Keycloak as the Axiom design runs it, through its operator: the operator in the app's namespace, a
 * Keycloak resource on CloudNativePG with logins from Vault (the operator polls the Secret it names and
 * rolls the servers when it rotates), realms from KeycloakRealmImport resources, and a route to the
 * operator's Service at `host` through the environment's ingress.
 */
export const keycloak: PlatformApp<KeycloakConfig> = {
  id: 'keycloak',
  description: 'Keycloak through its operator, on CloudNativePG, realms imported, routed',
  usesGpu: () => false,
  requiresAddOns: () => ['cloudnative-pg', 'cert-manager', 'external-secrets', 'vault'],
  vaultSecrets: () => [],
  databases: () => [{ cluster: DATABASE.cluster, database: DATABASE.name, owner: DATABASE.owner }],
  chartFacts: (cfg) => [{ application: `keycloak-${cfg.namespace}`, facts: { images: [imageRef(cfg.images.keycloak)] } }],

  install(chart: Chart, cfg: KeycloakConfig, ctx: AppContext): void {
    const ns = cfg.namespace;
    const mirror = ctx.env.registryMirror;
    const { cluster: db, login } = ownDatabase(chart, cfg, ctx, DATABASE);

    // The server image is an operator setting (not a pod template here): pointed at the mirror by hand.
    const keycloakImage = imageRef(cfg.images.keycloak);
    new KeycloakOperator(chart, 'operator', {
      namespace: ns,
      image: imageRef(cfg.images.operator),
      keycloakImage: mirror ? mirroredImage(keycloakImage, mirror) : keycloakImage,
      syncWave: WAVES.appSecrets,
    });

    ctx.facts.name('CRD group', KEYCLOAK_CRD_GROUP, `app keycloak in ${ns}`);
    new Keycloak(chart, 'keycloak', {
      metadata: { name: NAME, namespace: ns, annotations: waveAnnotation('appServices') },
      spec: {
        instances: cfg.instances,
        db: {
          vendor: 'postgres',
          host: db.host,
          port: 5432,
          database: DATABASE.name,
          usernameSecret: { name: login, key: 'username' },
          passwordSecret: { name: login, key: 'password' },
        },
        // TLS ends at the ingress; the servers speak HTTP inside the cluster, behind NetworkPolicies.
        http: { httpEnabled: true },
        hostname: { hostname: `https://${cfg.host}` },
        proxy: { headers: 'xforwarded' },
        // Routed by the platform's own Ingress below (class, TLS and NetworkPolicy like every route).
        ingress: { enabled: false },
        resources: {
          requests: { cpu: KeycloakSpecResourcesRequests.fromString('500m'), memory: KeycloakSpecResourcesRequests.fromString('1Gi') },
          limits: { cpu: KeycloakSpecResourcesLimits.fromString('2'), memory: KeycloakSpecResourcesLimits.fromString('2Gi') },
        },
        // Restricted Pod Security: the operator's pod, hardened; the build step writes lib/quarkus.
        unsupported: {
          podTemplate: {
            spec: {
              securityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } },
              containers: [
                {
                  securityContext: {
                    allowPrivilegeEscalation: HARDENED_CONTAINER.allowPrivilegeEscalation,
                    readOnlyRootFilesystem: HARDENED_CONTAINER.readOnlyRootFilesystem,
                    runAsNonRoot: HARDENED_CONTAINER.runAsNonRoot,
                    capabilities: { drop: ['ALL'] },
                    seccompProfile: { type: 'RuntimeDefault' },
                  },
                  volumeMounts: ['/tmp', '/opt/keycloak/data', '/opt/keycloak/lib/quarkus'].map((mountPath, i) => ({
                    name: `writable-${i}`,
                    mountPath,
                  })),
                },
              ],
              volumes: [0, 1, 2].map((i) => ({ name: `writable-${i}`, emptyDir: {} })),
            },
          },
        },
      },
    });
    for (const realm of cfg.realms)
      new KeycloakRealmImport(chart, `realm-${realm.name}`, {
        metadata: { name: `${NAME}-${realm.name}`, namespace: ns, annotations: waveAnnotation('appMigrations') },
        spec: {
          keycloakCrName: NAME,
          realm: {
            realm: realm.name,
            displayName: realm.displayName,
            enabled: true,
            sslRequired: 'external',
            clients: realm.clients.map((c) => ({
              clientId: c.clientId,
              publicClient: c.publicClient,
              standardFlowEnabled: true,
              redirectUris: c.redirectUris,
            })),
          },
        },
      });

    // The operator's pods (and its realm-import Jobs, built from the same template) by its labels.
    const servers = workloadPeer(ns, NAME, { app: 'keycloak', 'app.kubernetes.io/instance': NAME });
    const { facts } = ctx;
    const by = `app keycloak in ${ns}`;
    facts.connect({ from: servers, to: db.peer, ports: [{ port: 5432 }], purpose: 'Keycloak database' }, by);
    facts.connect({ from: servers, to: servers, ports: CLUSTER_PORTS.map((port) => ({ port })), purpose: 'Infinispan clustering' }, by);
    new ServiceRoute(chart, 'route', {
      name: NAME,
      namespace: ns,
      host: cfg.host,
      className: ctx.routeClass,
      service: { name: `${NAME}-service`, port: HTTP_PORT },
      target: { workload: servers, port: HTTP_PORT },
      tls: routeTls(ctx, cfg.host),
    });
  },
};
