/* eslint-disable @typescript-eslint/no-explicit-any -- NetworkPolicies and pod templates are JSON parsed from the synthesized YAML. */
import * as ipaddr from 'ipaddr.js';
import { K8sObject } from '../../core/k8s-objects';
import { Labels, Peer } from '../../core/facts/connections';

/** One side of a flow as NetworkPolicies see it: a pod (namespace, labels) or an address range. */
export type Endpoint = { readonly pod: { readonly namespace: string; readonly labels: Labels } } | { readonly cidrs: ReadonlyArray<string> };

export interface Addresses {
  readonly apiServer: ReadonlyArray<string>;
  readonly nodes: ReadonlyArray<string>;
}

export function endpointOf(p: Peer, a: Addresses): Endpoint {
  switch (p.kind) {
    case 'workload':
      return { pod: { namespace: p.namespace, labels: p.podLabels } };
    case 'api-server':
      return { cidrs: a.apiServer };
    case 'nodes':
      return { cidrs: a.nodes };
    case 'external':
      return { cidrs: [p.cidr ?? '198.51.100.1/32'] };
  }
}

const matchLabels = (selector: any, labels: Labels): boolean => {
  if (!selector) return true;
  const ml = selector.matchLabels ?? {};
  if (!Object.entries(ml).every(([k, v]) => labels[k] === v)) return false;
  return (selector.matchExpressions ?? []).every((e: any) => {
    const has = e.key in labels;
    switch (e.operator) {
      case 'In':
        return has && e.values.includes(labels[e.key]);
      case 'NotIn':
        return !has || !e.values.includes(labels[e.key]);
      case 'Exists':
        return has;
      default:
        return !has;
    }
  });
};

function cidrWithin(inner: string, outer: string): boolean {
  const [ia, ib] = ipaddr.parseCIDR(inner);
  const [oa, ob] = ipaddr.parseCIDR(outer);
  return ib >= ob && ia.kind() === oa.kind() && ia.match([oa, ob]);
}

/** Does a policy peer admit the endpoint? Pod peers match namespace and pod labels; ipBlocks contain every range. */
function peerMatches(peer: any, policyNamespace: string, e: Endpoint, nsLabels: (ns: string) => Labels): boolean {
  if ('pod' in e) {
    if (peer.ipBlock) return false;
    const nsOk = peer.namespaceSelector ? matchLabels(peer.namespaceSelector, nsLabels(e.pod.namespace)) : e.pod.namespace === policyNamespace;
    return nsOk && matchLabels(peer.podSelector ?? {}, e.pod.labels);
  }
  if (!peer.ipBlock) return false;
  return e.cidrs.every(
    (c) => cidrWithin(c, peer.ipBlock.cidr) && !(peer.ipBlock.except ?? []).some((x: string) => cidrWithin(c, x) || cidrWithin(x, c)),
  );
}

const portMatches = (ports: any[] | undefined, port: number, protocol: string) =>
  !ports ||
  ports.length === 0 ||
  ports.some(
    (p) =>
      (p.protocol ?? 'TCP') === protocol &&
      (p.port === undefined || p.port === port || (p.endPort !== undefined && port >= p.port && port <= p.endPort)),
  );

/**
 * Is a flow allowed? A pod is isolated for a direction once any policy of that type selects it; then
 * some rule of a selecting policy must admit the other side on that port (NetworkPolicy semantics).
 */
export class PolicyEvaluator {
  private readonly policies: K8sObject[];

  constructor(
    objects: ReadonlyArray<K8sObject>,
    private readonly nsLabels: (ns: string) => Labels,
  ) {
    this.policies = objects.filter((o) => o.kind === 'NetworkPolicy');
  }

  /** Why the flow is denied, or undefined when both ends allow it. */
  denied(from: Endpoint, to: Endpoint, port: number, protocol = 'TCP'): string | undefined {
    // An address side with several ranges (e.g. three control-plane hosts) must be allowed for each.
    if ('cidrs' in from && from.cidrs.length > 1) return from.cidrs.map((c) => this.denied({ cidrs: [c] }, to, port, protocol)).find(Boolean);
    if ('cidrs' in to && to.cidrs.length > 1) return to.cidrs.map((c) => this.denied(from, { cidrs: [c] }, port, protocol)).find(Boolean);
    if ('pod' in from && !this.allows(from.pod, 'Egress', to, port, protocol))
      return `egress from ${from.pod.namespace} is not allowed by its NetworkPolicies`;
    if ('pod' in to && !this.allows(to.pod, 'Ingress', from, port, protocol))
      return `ingress to ${to.pod.namespace} is not allowed by its NetworkPolicies`;
    return undefined;
  }

  private allows(pod: { namespace: string; labels: Labels }, type: 'Ingress' | 'Egress', other: Endpoint, port: number, protocol: string): boolean {
    const selecting = this.policies.filter(
      (p) =>
        p.metadata.namespace === pod.namespace &&
        (p.spec?.policyTypes ?? ['Ingress']).includes(type) &&
        matchLabels(p.spec?.podSelector ?? {}, pod.labels),
    );
    if (selecting.length === 0) return true;
    return selecting.some((p) =>
      ((type === 'Ingress' ? p.spec?.ingress : p.spec?.egress) ?? []).some((rule: any) => {
        const peers = type === 'Ingress' ? rule.from : rule.to;
        const peerOk = !peers || peers.length === 0 || peers.some((x: any) => peerMatches(x, pod.namespace, other, this.nsLabels));
        return peerOk && portMatches(rule.ports, port, protocol);
      }),
    );
  }
}
