import { Construct } from 'constructs';
import {
  LokiStack,
  LokiStackSpecNetworkPoliciesRuleSet as RuleSet,
  LokiStackSpecSize as Size,
  LokiStackSpecStorageSchemasVersion as SchemaVersion,
  LokiStackSpecStorageSecretCredentialMode as CredentialMode,
  LokiStackSpecStorageSecretType as SecretType,
} from '../../imports/loki.grafana.com';
import { ServiceMonitor } from '../../imports/monitoring.coreos.com';
import { ServiceEndpoint, WorkloadPeer, serviceEndpoint, workloadPeer } from '../../lib/core/facts/connections';
import { FactRegistry } from '../../lib/core/facts/registry';
import { SYNC_WAVE_ANNOTATION } from '../../lib/core/facts/waves';
import { propError } from '../props';

/** Loki's ports in every component (operator internal/manifests/var.go). */
const LOKI_PORTS = { http: 3100, grpc: 9095, gossip: 7946 } as const;
/** The header Loki reads the tenant from (the operator always runs Loki with auth_enabled). */
const TENANT_HEADER = 'X-Scope-OrgID';
const SIZES: ReadonlyArray<string> = [Size.VALUE_1X_PERIOD_DEMO, Size.VALUE_1X_PERIOD_PICO];
/**
 * The first day of the v13 (TSDB) schema. Loki reads a schema from its effective date on; a fixed day
 * in the past keeps the spec identical on every synth, and a new store has no older data to misread.
 */
const SCHEMA_START = '2025-01-01';
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

type Component = 'distributor' | 'ingester' | 'querier' | 'query-frontend' | 'compactor' | 'index-gateway';

/** Pods of one component of LokiStack `name` (var.go ComponentLabels). */
const componentPeer = (namespace: string, name: string, component: Component): WorkloadPeer =>
  workloadPeer(namespace, `${name}-${component}`, {
    'app.kubernetes.io/name': 'lokistack',
    'app.kubernetes.io/instance': name,
    'app.kubernetes.io/component': component,
  });

/**
 * The pods and endpoints of LokiStack `name` (var.go): every component in the gossip ring; pushes to
 * the distributor's HTTP Service, queries to the query frontend's, both with the tenant header.
 */
export function lokiInstanceEndpoints(
  namespace: string,
  name: string,
  tenant: string,
): { peer: WorkloadPeer; push: ServiceEndpoint; query: ServiceEndpoint } {
  const peer = workloadPeer(namespace, name, {
    'app.kubernetes.io/name': 'lokistack',
    'app.kubernetes.io/instance': name,
    'loki.grafana.com/gossip': 'true',
  });
  const headers = { [TENANT_HEADER]: tenant };
  return {
    peer,
    push: { ...serviceEndpoint(`${name}-distributor-http`, LOKI_PORTS.http, componentPeer(namespace, name, 'distributor')), headers },
    query: { ...serviceEndpoint(`${name}-query-frontend-http`, LOKI_PORTS.http, componentPeer(namespace, name, 'query-frontend')), headers },
  };
}

export interface LokiInstanceProps {
  /** Name of the LokiStack; the operator names every component after it (`<name>-distributor`). */
  readonly name: string;
  readonly namespace: string;
  /**
   * The operator's t-shirt size: replicas, requests (as limits here) and volume sizes of each
   * component. `1x.demo` runs one replica of each without requests, for development clusters; `1x.pico`
   * three ingesters (replication factor 2) and two of the rest, 5.8 CPUs and 15 GiB. The larger sizes
   * are left out until the deploy rehearsal's quota check knows their pods.
   */
  readonly size: '1x.demo' | '1x.pico';
  /**
   * The object store: a Secret of the operator's S3 keys (`bucketnames`, `region`, and `role_arn` for
   * token sign-in or `endpoint`, `access_key_id`, `access_key_secret` for static keys), and how Loki
   * signs in: `token` exchanges the pods' ServiceAccount token (web identity), `static` uses the keys.
   */
  readonly storage: { readonly secret: string; readonly credentialMode: 'static' | 'token' };
  /** Hosts Loki's pods call for the object store (and the token exchange), on 443. */
  readonly objectStoreHosts: ReadonlyArray<string>;
  /** StorageClass of the write-ahead logs and caches of ingesters, compactor and index gateways. */
  readonly storageClass: string;
  /** How long logs are kept, in days. @default 30 */
  readonly retentionDays?: number;
  /** The tenant every client names. @default 'platform' */
  readonly tenant?: string;
  /** @default none */
  readonly syncWave?: number;
}

/**
 * Loki run by Grafana's Loki operator as a LokiStack (microservices: distributor, ingesters, queriers,
 * query frontend, compactor, index gateway) with chunks and index in object storage, retention by the
 * compactor, every request limit equal to its request (no LimitRange default below a request), and no
 * operator NetworkPolicies: the connection graph writes them, with the ring between components and
 * the object store declared here. Prometheus scrapes every component.
 */
export class LokiInstance extends Construct {
  readonly peer: WorkloadPeer;
  /** Log pushes: `/loki/api/v1/push`, `/otlp/v1/logs`. */
  readonly push: ServiceEndpoint;
  /** LogQL queries (Grafana). */
  readonly query: ServiceEndpoint;

  constructor(scope: Construct, id: string, props: LokiInstanceProps) {
    super(scope, id);
    if (!DNS_LABEL.test(props.name) || props.name.length > 40) throw propError(this, 'name', props.name, 'a DNS label of at most 40 characters');
    if (!SIZES.includes(props.size)) throw propError(this, 'size', props.size, `one of ${SIZES.join(', ')}`);
    if (!DNS_LABEL.test(props.storage.secret)) throw propError(this, 'storage.secret', props.storage.secret, 'a Secret name');
    if (!props.objectStoreHosts.length) throw propError(this, 'objectStoreHosts', props.objectStoreHosts, 'at least one host (the object store)');
    const retentionDays = props.retentionDays ?? 30;
    if (!Number.isInteger(retentionDays) || retentionDays < 1)
      throw propError(this, 'retentionDays', retentionDays, 'a whole number of days, at least 1');
    const tenant = props.tenant ?? 'platform';
    if (!/^[a-zA-Z0-9_-]{1,64}$/.test(tenant)) throw propError(this, 'tenant', tenant, 'letters, digits, "-" and "_" (a Loki tenant ID)');
    const ns = props.namespace;
    ({ peer: this.peer, push: this.push, query: this.query } = lokiInstanceEndpoints(ns, props.name, tenant));

    const facts = FactRegistry.of(this);
    const by = this.node.path;
    facts.name('CRD group', 'loki.grafana.com', `${by} (LokiStack)`);
    facts.name('StorageClass', props.storageClass, `${by} (storageClass)`);
    // Nothing reconciles a LokiStack without the operator.
    facts.workload('loki-operator', by);
    // Every component joins the memberlist ring and calls the others over gRPC and HTTP.
    facts.connect(
      {
        from: this.peer,
        to: this.peer,
        ports: Object.values(LOKI_PORTS).map((port) => ({ port })),
        purpose: 'ring, gRPC and HTTP between Loki components',
      },
      by,
    );
    for (const host of props.objectStoreHosts)
      facts.connect({ from: this.peer, to: { kind: 'external', host }, ports: [{ port: 443 }], purpose: 'chunks and index in object storage' }, by);
    facts.scrape(this.peer, LOKI_PORTS.http, by);

    const annotations = props.syncWave !== undefined ? { [SYNC_WAVE_ANNOTATION]: String(props.syncWave) } : undefined;
    new LokiStack(this, 'stack', {
      metadata: { name: props.name, namespace: ns, annotations },
      spec: {
        size: props.size as Size,
        storage: {
          secret: { name: props.storage.secret, type: SecretType.S3, credentialMode: props.storage.credentialMode as CredentialMode },
          schemas: [{ version: SchemaVersion.V13, effectiveDate: SCHEMA_START }],
        },
        storageClassName: props.storageClass,
        limits: { global: { retention: { days: retentionDays } } },
        template: { useRequestsAsLimits: true },
        networkPolicies: { ruleSet: RuleSet.NONE },
      },
    });
    if (facts.hasWorkload('prometheus')) {
      facts.name('CRD group', 'monitoring.coreos.com', `${by} (ServiceMonitor)`);
      // The operator's HTTP Services name their port `metrics`; its gRPC Services have none.
      new ServiceMonitor(this, 'metrics', {
        metadata: { name: `${props.name}-loki`, namespace: ns, annotations },
        spec: {
          selector: { matchLabels: { 'app.kubernetes.io/name': 'lokistack', 'app.kubernetes.io/instance': props.name } },
          endpoints: [{ port: 'metrics', path: '/metrics', interval: '30s' }],
        },
      });
    }
  }
}
