/**
 * The deploy-time connection graph: who talks to whom, on which port. Apps and add-ons declare their
 * connections with these types; NetworkPolicies are generated from them and the deploy rehearsal checks
 * them against what the rendered objects actually reference.
 */

export type Labels = Readonly<Record<string, string>>;

/** Pods of one workload: the unit a NetworkPolicy selects. */
export interface WorkloadPeer {
  readonly kind: 'workload';
  /** Name for reports and diagrams, e.g. "monitoring/prometheus". */
  readonly name: string;
  readonly namespace: string;
  /** Labels every pod of the workload carries (the policy's podSelector). */
  readonly podLabels: Labels;
}

/** The Kubernetes API server (its address is a substrate fact: a VPC ENI, an AKS subnet, the control-plane hosts). */
export interface ApiServerPeer {
  readonly kind: 'api-server';
}

/** The nodes themselves: kubelets, host-network agents (node-exporter, the kubelet's probes). */
export interface NodesPeer {
  readonly kind: 'nodes';
}

/** Something outside the cluster, by host name; `cidr` narrows the NetworkPolicy when the address is known. */
export interface ExternalPeer {
  readonly kind: 'external';
  readonly host: string;
  /** @default any address outside the cluster's own ranges */
  readonly cidr?: string;
}

export type Peer = WorkloadPeer | ApiServerPeer | NodesPeer | ExternalPeer;

export interface PortSpec {
  readonly port: number;
  /** @default 'TCP' */
  readonly protocol?: 'TCP' | 'UDP';
}

/** One declared connection; `purpose` is shown in reports and the environment README. */
export interface Connection {
  readonly from: Peer;
  readonly to: Peer;
  /** Ports on the receiving side (after a Service's targetPort). */
  readonly ports: ReadonlyArray<PortSpec>;
  readonly purpose: string;
}

/**
 * A Service of a workload as another module reaches it. Hostnames and URLs are derived from this, so a
 * consumer can never name a namespace or port the provider does not use.
 */
export interface ServiceEndpoint {
  readonly namespace: string;
  readonly service: string;
  /** Service port. */
  readonly port: number;
  /** Container port behind it (what NetworkPolicies must open). */
  readonly targetPort: number;
  readonly workload: WorkloadPeer;
  /** Headers every request must carry (a multi-tenant backend's tenant). @default none */
  readonly headers?: Readonly<Record<string, string>>;
}

export function workloadPeer(namespace: string, name: string, podLabels: Labels): WorkloadPeer {
  return { kind: 'workload', name: `${namespace}/${name}`, namespace, podLabels };
}

/** `service` in its pods' namespace, on `port`, forwarding to `targetPort` (@default `port`) of `workload`'s pods. */
export function serviceEndpoint(service: string, port: number, workload: WorkloadPeer, targetPort = port): ServiceEndpoint {
  return { namespace: workload.namespace, service, port, targetPort, workload };
}

export function serviceHost(e: ServiceEndpoint): string {
  return `${e.service}.${e.namespace}.svc`;
}

/** `host:port` of the endpoint (gRPC clients, OTLP/gRPC exporters). */
export function hostPort(e: ServiceEndpoint): string {
  return `${serviceHost(e)}:${e.port}`;
}

export function serviceUrl(e: ServiceEndpoint, scheme: 'http' | 'https', path = ''): string {
  return `${scheme}://${hostPort(e)}${path}`;
}

/**
 * The ports a connection opens on the receiving side. Pods reach the API server through the
 * `kubernetes` Service, and NetworkPolicies see the port after its DNAT: the substrate's API port.
 */
export function receivingPorts(c: Connection, apiServerPort: number): ReadonlyArray<PortSpec> {
  return c.to.kind === 'api-server' ? [{ port: apiServerPort }] : c.ports;
}

/** The connection a client of `e` needs. */
export function connectTo(from: WorkloadPeer, e: ServiceEndpoint, purpose: string): Connection {
  return { from, to: e.workload, ports: [{ port: e.targetPort }], purpose };
}

export function peerName(p: Peer): string {
  switch (p.kind) {
    case 'workload':
      return p.name;
    case 'api-server':
      return 'Kubernetes API server';
    case 'nodes':
      return 'nodes';
    case 'external':
      return p.host;
  }
}
