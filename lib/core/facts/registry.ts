import { Construct, IConstruct } from 'constructs';
import { Connection, Peer, ServiceEndpoint, WorkloadPeer } from './connections';

/** Endpoints one module hands to another, by a typed key (never a hostname typed twice). */
export type EndpointKey =
  | 'otlp-grpc'
  | 'otlp-http'
  | 'prometheus'
  | 'prometheus-remote-write'
  | 'loki-push'
  | 'loki-query'
  | 'tempo-otlp-grpc'
  | 'tempo-http'
  | 'vault'
  | 'alertmanager';

/** Workloads other modules open connections from or to. */
export type WorkloadKey =
  | 'prometheus'
  | 'grafana'
  | 'grafana-operator'
  | 'tempo-operator'
  | 'loki-operator'
  | 'cnpg-operator'
  | 'redis-operator'
  | 'external-secrets'
  | `ingress-controller:${string}`
  | 'tailscale-connector'
  | 'gateway';

/**
 * Things modules create under a name that others refer to: the referrer looks the name up, so a
 * class, issuer or namespace that nothing creates is a synth error instead of a Pending pod.
 */
export type NameKind = 'Namespace' | 'StorageClass' | 'IngressClass' | 'ClusterIssuer' | 'CRD group';

/** A Grafana dashboard a module ships as one key of a ConfigMap (kube-prometheus-stack's, an app's). */
export interface DashboardConfigMap {
  readonly namespace: string;
  readonly configMap: string;
  readonly key: string;
}

/** A managed data service as pods reach it (the substrate's private endpoint). */
export interface ManagedService {
  readonly kind: 'postgres' | 'redis';
  readonly host: string;
  readonly port: number;
  readonly cidr: string;
}

/** A fact lookup that nothing provides: names the consumer and the missing fact. */
export class MissingFactError extends Error {
  constructor(
    readonly consumer: string,
    readonly fact: string,
    readonly providers: ReadonlyArray<string>,
    /** What the environment does provide of the same kind, for a misspelt name. */
    readonly available: ReadonlyArray<string> = [],
  ) {
    const usual = providers.length ? ` (provided when one of these is chosen: ${providers.join(', ')})` : '';
    const here = available.length ? ` (this environment has: ${available.join(', ')})` : '';
    super(`${consumer} needs ${fact}, which nothing in this environment provides${usual}${here}`);
  }
}

interface Provided<T> {
  readonly value: T;
  readonly provider: string;
}

/** Which add-on provides each key when chosen: only for the error message. */
const USUAL_PROVIDERS: Partial<Record<string, string[]>> = {
  'endpoint:otlp-grpc': ['add-on opentelemetry-collector'],
  'endpoint:otlp-http': ['add-on opentelemetry-collector'],
  'endpoint:prometheus': ['add-on kube-prometheus-stack'],
  'endpoint:prometheus-remote-write': ['add-on kube-prometheus-stack'],
  'endpoint:loki-http': ['add-on loki'],
  'endpoint:tempo-otlp-grpc': ['add-on tempo', 'add-on tempo-operator'],
  'endpoint:tempo-http': ['add-on tempo', 'add-on tempo-operator'],
  'endpoint:vault': ['add-on vault'],
  'workload:prometheus': ['add-on kube-prometheus-stack'],
  'workload:cnpg-operator': ['add-on cloudnative-pg'],
  'workload:grafana-operator': ['add-on grafana-operator'],
  'workload:tempo-operator': ['add-on tempo'],
  'workload:ingress-controller:nginx': ['add-on ingress-nginx'],
};

const REGISTRIES = new WeakMap<IConstruct, FactRegistry>();

/**
 * The facts of one environment: what each module provides and every declared connection. Found from
 * any construct of the environment's app (`FactRegistry.of(this)`), like aws-cdk's `Stack.of`.
 */
export class FactRegistry {
  private readonly endpoints = new Map<string, Provided<ServiceEndpoint>>();
  private readonly workloads = new Map<string, Provided<WorkloadPeer>>();
  private readonly declared: Array<{ connection: Connection; declaredBy: string }> = [];
  private readonly named = new Map<string, Provided<string>>();
  private readonly externals = new Map<string, Provided<{ readonly host: string; readonly port: number }>>();
  private readonly managedServices = new Map<string, Provided<ManagedService>>();
  private readonly dashboardMaps: Array<Provided<DashboardConfigMap>> = [];

  static of(scope: IConstruct): FactRegistry {
    const root = scope.node.root;
    let registry = REGISTRIES.get(root);
    if (!registry) {
      registry = new FactRegistry();
      REGISTRIES.set(root, registry);
    }
    return registry;
  }

  /** Replaces the registry of an app (a fresh environment). */
  static attach(root: Construct, registry: FactRegistry): FactRegistry {
    REGISTRIES.set(root.node.root, registry);
    return registry;
  }

  provideEndpoint(key: EndpointKey, endpoint: ServiceEndpoint, provider: string): void {
    this.provide(this.endpoints, `endpoint:${key}`, endpoint, provider);
  }

  provideWorkload(key: WorkloadKey, workload: WorkloadPeer, provider: string): void {
    this.provide(this.workloads, `workload:${key}`, workload, provider);
  }

  endpoint(key: EndpointKey, consumer: string): ServiceEndpoint {
    return this.lookup(this.endpoints, `endpoint:${key}`, consumer);
  }

  workload(key: WorkloadKey, consumer: string): WorkloadPeer {
    return this.lookup(this.workloads, `workload:${key}`, consumer);
  }

  hasWorkload(key: WorkloadKey): boolean {
    return this.workloads.has(`workload:${key}`);
  }

  hasEndpoint(key: EndpointKey): boolean {
    return this.endpoints.has(`endpoint:${key}`);
  }

  /** Declares a dashboard for the environment's Grafana, whichever module runs it. */
  provideDashboard(dashboard: DashboardConfigMap, provider: string): void {
    this.dashboardMaps.push({ value: dashboard, provider });
  }

  /** Every declared dashboard, in declaration order. */
  dashboards(): ReadonlyArray<DashboardConfigMap> {
    return this.dashboardMaps.map((d) => d.value);
  }

  /** Declares that `provider` creates `name`; several providers of one name are fine (the first is kept). */
  provideName(kind: NameKind, name: string, provider: string): void {
    if (!this.named.has(`${kind}:${name}`)) this.named.set(`${kind}:${name}`, { value: name, provider });
  }

  /** The name, if something provides it; otherwise a synth error naming `consumer` and what is missing. */
  name(kind: NameKind, name: string, consumer: string): string {
    const found = this.named.get(`${kind}:${name}`);
    if (!found) {
      const available = [...this.named.keys()].filter((k) => k.startsWith(`${kind}:`)).map((k) => k.slice(kind.length + 1));
      throw new MissingFactError(consumer, `${kind} "${name}"`, [], available.sort());
    }
    return found.value;
  }

  /** A service outside the cluster that the environment declares, by host. */
  provideExternal(host: string, port: number, provider: string): void {
    this.provide(this.externals, `external:${host}`, { host, port }, provider);
  }

  /** The declared external service at `host`, as a peer to connect to, or a synth error naming `consumer`. */
  external(host: string, consumer: string): { readonly peer: Peer; readonly port: number } {
    const found = this.externals.get(`external:${host}`);
    if (!found) {
      const available = [...this.externals.values()].map((p) => p.value.host).sort();
      throw new MissingFactError(consumer, `external service ${host} (declare it under externalServices)`, [], available);
    }
    return { peer: { kind: 'external', host }, port: found.value.port };
  }

  /** A managed data service the substrate provisions (`managedServices`), by its name in the environment. */
  provideManaged(name: string, service: ManagedService, provider: string): void {
    this.provide(this.managedServices, `managed:${name}`, service, provider);
  }

  /**
   * The managed service `name` of `kind`: its host and port, and a peer narrowed to the addresses it
   * answers on; a synth error naming `consumer` when the environment has no such service.
   */
  managed(name: string, kind: ManagedService['kind'], consumer: string): ManagedService & { readonly peer: Peer } {
    const found = this.managedServices.get(`managed:${name}`);
    if (!found || found.value.kind !== kind) {
      const available = [...this.managedServices.entries()].filter(([, p]) => p.value.kind === kind).map(([k]) => k.slice('managed:'.length));
      throw new MissingFactError(consumer, `managed ${kind} service "${name}" (declare it under managedServices)`, [], available.sort());
    }
    const s = found.value;
    return { ...s, peer: { kind: 'external', host: s.host, cidr: s.cidr } };
  }

  hasName(kind: NameKind, name: string): boolean {
    return this.named.has(`${kind}:${name}`);
  }

  connect(connection: Connection, declaredBy: string): void {
    this.declared.push({ connection, declaredBy });
  }

  /** Prometheus scrapes `target` on `port`; nothing when the environment has no Prometheus. */
  scrape(target: WorkloadPeer, port: number, declaredBy: string): void {
    if (!this.hasWorkload('prometheus')) return;
    this.connect({ from: this.workload('prometheus', declaredBy), to: target, ports: [{ port }], purpose: 'metrics scrape' }, declaredBy);
  }

  /** Every declared connection, in declaration order. */
  connections(): ReadonlyArray<{ connection: Connection; declaredBy: string }> {
    return this.declared;
  }

  /** Drops declared connections (the rehearsal's tests use it to show what a missing one does). */
  removeConnections(match: (c: Connection) => boolean): number {
    const before = this.declared.length;
    const keep = this.declared.filter((d) => !match(d.connection));
    this.declared.splice(0, this.declared.length, ...keep);
    return before - keep.length;
  }

  private provide<T>(map: Map<string, Provided<T>>, key: string, value: T, provider: string): void {
    const existing = map.get(key);
    if (existing && existing.provider !== provider) throw new Error(`${key} is provided twice: by ${existing.provider} and by ${provider}`);
    map.set(key, { value, provider });
  }

  private lookup<T>(map: Map<string, Provided<T>>, key: string, consumer: string): T {
    const found = map.get(key);
    if (!found) throw new MissingFactError(consumer, key, USUAL_PROVIDERS[key] ?? []);
    return found.value;
  }
}
