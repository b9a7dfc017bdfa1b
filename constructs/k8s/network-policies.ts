import { Construct } from 'constructs';
import { k8s } from '../../lib/core/facade/k8s';
import { Connection, Peer, WorkloadPeer, receivingPorts } from '../../lib/core/facts/connections';
import { waveAnnotation } from '../../lib/core/facts/waves';
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
      return [
        { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': p.namespace } }, podSelector: { matchLabels: { ...p.podLabels } } },
      ];
    case 'api-server':
      return a.apiServer.cidrs.map((cidr) => ({ ipBlock: { cidr } }));
    case 'nodes':
      return a.nodeCidrs.map((cidr) => ({ ipBlock: { cidr } }));
    case 'external':
      return p.cidr ? [{ ipBlock: { cidr: p.cidr } }] : [{ ipBlock: { cidr: '0.0.0.0/0', except: [...a.clusterCidrs] } }];
  }
}

function ports(c: Connection, a: NetworkAddresses): PolicyPort[] {
  return receivingPorts(c, a.apiServer.port).map((p) => ({ protocol: p.protocol ?? 'TCP', port: k8s.IntOrString.fromNumber(p.port) }));
}

/** `monitoring/prometheus` -> `prometheus-connections`. */
const policyName = (w: WorkloadPeer) => `${w.name.slice(w.namespace.length + 1).replace(/[^a-z0-9-]/g, '-')}-connections`.slice(0, 63);

interface End {
  readonly workload: WorkloadPeer;
  readonly ingress: k8s.NetworkPolicyIngressRule[];
  readonly egress: k8s.NetworkPolicyEgressRule[];
  /** Rules already added (two declarations of the same flow make one rule). */
  readonly seen: Set<string>;
}

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
    const ends = new Map<string, End>();
    const end = (w: WorkloadPeer): End => {
      const existing = ends.get(w.name);
      if (existing && JSON.stringify(existing.workload.podLabels) !== JSON.stringify(w.podLabels)) {
        throw propError(
          this,
          `connections (${w.name})`,
          w.podLabels,
          `one pod selector per workload; also declared as ${JSON.stringify(existing.workload.podLabels)}`,
        );
      }
      const e = existing ?? { workload: w, ingress: [], egress: [], seen: new Set<string>() };
      ends.set(w.name, e);
      return e;
    };
    const add = <R>(e: End, list: R[], rule: R) => {
      const id = JSON.stringify(rule);
      if (!e.seen.has(id)) {
        e.seen.add(id);
        list.push(rule);
      }
    };
    for (const c of props.connections) {
      const p = ports(c, props.addresses);
      const on = p.length ? p : undefined;
      if (c.to.kind === 'workload' && props.denyByDefault.has(c.to.namespace)) {
        const e = end(c.to);
        add(e, e.ingress, { from: peers(c.from, props.addresses), ports: on });
      }
      if (c.from.kind === 'workload' && props.denyByDefault.has(c.from.namespace)) {
        const e = end(c.from);
        add(e, e.egress, { to: peers(c.to, props.addresses), ports: on });
      }
    }
    for (const name of [...ends.keys()].sort()) {
      const { workload, ingress, egress } = ends.get(name)!;
      const types = [...(ingress.length ? ['Ingress'] : []), ...(egress.length ? ['Egress'] : [])];
      this.policies.set(
        name,
        new k8s.KubeNetworkPolicy(this, name.replace(/\//g, '-'), {
          metadata: {
            name: policyName(workload),
            namespace: workload.namespace,
            labels: { 'app.kubernetes.io/managed-by': 'parity' },
            annotations: waveAnnotation('namespaces'),
          },
          spec: {
            podSelector: { matchLabels: { ...workload.podLabels } },
            policyTypes: types,
            ingress: ingress.length ? ingress : undefined,
            egress: egress.length ? egress : undefined,
          },
        }),
      );
    }
  }
}
