import { Construct } from 'constructs';
import { k8s } from '../../lib/facade/k8s';
import { Connection, Peer, WorkloadPeer } from '../../lib/facts/connections';
import { waveAnnotation } from '../../lib/facts/waves';
import { propError } from '../props';

/** Addresses of the peers that are not pods, from the substrate. */
export interface NetworkAddresses {
  readonly apiServer: { readonly cidrs: ReadonlyArray<string>; readonly port: number };
  readonly nodeCidrs: ReadonlyArray<string>;
  /** Pod and Service ranges: "anywhere outside the cluster" excludes them. */
  readonly clusterCidrs: ReadonlyArray<string>;
}

export interface ConnectionPoliciesProps {
  readonly connections: ReadonlyArray<Connection>;
  /** Namespaces that deny by default: only workloads there need a policy to be reachable or to reach out. */
  readonly denyByDefault: ReadonlySet<string>;
  readonly addresses: NetworkAddresses;
}

type PolicyPeer = k8s.NetworkPolicyPeer;
type PolicyPort = k8s.NetworkPolicyPort;

function peers(p: Peer, a: NetworkAddresses): PolicyPeer[] {
  switch (p.kind) {
    case 'workload':
      return [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': p.namespace } }, podSelector: { matchLabels: { ...p.podLabels } } }];
    case 'api-server':
      return a.apiServer.cidrs.map((cidr) => ({ ipBlock: { cidr } }));
    case 'nodes':
      return a.nodeCidrs.map((cidr) => ({ ipBlock: { cidr } }));
    case 'external':
      return p.cidr ? [{ ipBlock: { cidr: p.cidr } }] : [{ ipBlock: { cidr: '0.0.0.0/0', except: [...a.clusterCidrs] } }];
  }
}

function ports(c: Connection, a: NetworkAddresses): PolicyPort[] {
  // Pods reach the API server through the `kubernetes` Service; policies see the port after DNAT.
  const list = c.to.kind === 'api-server' ? [{ port: a.apiServer.port }] : c.ports;
  return list.map((p) => ({ protocol: p.protocol ?? 'TCP', port: k8s.IntOrString.fromNumber(p.port) }));
}

const key = (w: WorkloadPeer) => `${w.namespace}/${w.name}`;
const policyName = (w: WorkloadPeer) => `${w.name.slice(w.namespace.length + 1).replace(/[^a-z0-9-]/g, '-')}-connections`.slice(0, 63);

/**
 * NetworkPolicies generated from the declared connections, one per workload that lives in a
 * deny-by-default namespace: it admits exactly the connections declared to it and lets it open exactly
 * the ones declared from it. A connection nobody declared stays denied by the namespace's default.
 */
export class ConnectionPolicies extends Construct {
  /** Policies written, by `namespace/workload`. */
  readonly policies = new Map<string, k8s.KubeNetworkPolicy>();

  constructor(scope: Construct, id: string, props: ConnectionPoliciesProps) {
    super(scope, id);
    const ends = new Map<string, { workload: WorkloadPeer; ingress: k8s.NetworkPolicyIngressRule[]; egress: k8s.NetworkPolicyEgressRule[] }>();
    const end = (w: WorkloadPeer) => {
      const existing = ends.get(key(w));
      if (existing) {
        if (JSON.stringify(existing.workload.podLabels) !== JSON.stringify(w.podLabels)) {
          throw propError('ConnectionPolicies', `connections (${key(w)})`, w.podLabels, `one pod selector per workload; also declared as ${JSON.stringify(existing.workload.podLabels)}`);
        }
        return existing;
      }
      const created = { workload: w, ingress: [], egress: [] };
      ends.set(key(w), created);
      return created;
    };
    const seen = new Set<string>();
    const push = <R>(list: R[], rule: R) => {
      const id = JSON.stringify(rule);
      if (!seen.has(id)) {
        seen.add(id);
        list.push(rule);
      }
    };
    for (const c of props.connections) {
      const p = ports(c, props.addresses);
      if (c.to.kind === 'workload' && props.denyByDefault.has(c.to.namespace)) {
        const e = end(c.to);
        push(e.ingress, { from: peers(c.from, props.addresses), ports: p.length ? p : undefined, _to: key(c.to) } as never);
      }
      if (c.from.kind === 'workload' && props.denyByDefault.has(c.from.namespace)) {
        const e = end(c.from);
        push(e.egress, { to: peers(c.to, props.addresses), ports: p.length ? p : undefined, _from: key(c.from) } as never);
      }
    }
    const strip = <R extends object>(r: R): R => Object.fromEntries(Object.entries(r).filter(([k]) => !k.startsWith('_'))) as R;
    for (const k of [...ends.keys()].sort()) {
      const { workload, ingress, egress } = ends.get(k)!;
      const types = [...(ingress.length ? ['Ingress'] : []), ...(egress.length ? ['Egress'] : [])];
      this.policies.set(
        k,
        new k8s.KubeNetworkPolicy(this, k.replace(/\//g, '-'), {
          metadata: { name: policyName(workload), namespace: workload.namespace, labels: { 'app.kubernetes.io/managed-by': 'parity' }, annotations: waveAnnotation('namespaces') },
          spec: {
            podSelector: { matchLabels: { ...workload.podLabels } },
            policyTypes: types,
            ingress: ingress.length ? ingress.map(strip) : undefined,
            egress: egress.length ? egress.map(strip) : undefined,
          },
        }),
      );
    }
  }
}
