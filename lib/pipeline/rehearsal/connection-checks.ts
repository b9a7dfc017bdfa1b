/* eslint-disable @typescript-eslint/no-explicit-any -- rendered objects of every kind */
import { ACME_HTTP01_SOLVER } from '../../../addons/core';
import { K8sObject, containersOf, objectRef, podTemplates } from '../../core/k8s-objects';
import { Labels, Peer, peerName, receivingPorts } from '../../core/facts/connections';
import type { RehearsalInput } from './input';
import { PolicyEvaluator, endpointOf } from './network';
import { operatorOutputs } from './operator-outputs';

/** How a check reports: rule, the object or target, the path, what is wrong. */
type Report = (rule: 'REH-008' | 'REH-009', target: K8sObject | string, path: string, message: string) => void;

const SVC_HOST = /(?:^|[/@:,\s])([a-z0-9]([-a-z0-9]*[a-z0-9])?)\.([a-z0-9]([-a-z0-9]*[a-z0-9])?)\.svc(?:\.cluster\.local)?(?::(\d+))?/g;

/** References to in-cluster Services (`<service>.<namespace>.svc[:port]`) in a configuration value. */
export function serviceHostsIn(value: string): Array<{ service: string; namespace: string; port?: number }> {
  return [...value.matchAll(SVC_HOST)].map((m) => ({ service: m[1], namespace: m[3], port: m[5] ? Number(m[5]) : undefined }));
}

/** Whether a declared peer covers an implied one. */
function samePeer(a: Peer, b: Peer): boolean {
  if (a.kind !== b.kind) return false;
  if (a.kind === 'workload' && b.kind === 'workload') {
    // The implied side names pods by what selects them; a declared peer covers it when its selector does.
    return a.namespace === b.namespace && Object.entries(a.podLabels).every(([k, v]) => b.podLabels[k] === v);
  }
  return true;
}

/** Declared connections are open at both ends, and every connection the objects imply was declared. */
export function networkFindings(input: RehearsalInput, env: string, report: Report): void {
  const { model } = input;
  const cluster = model.substrate.clusterFacts(model.env);
  const gap = cluster.networkPolicyGap(input.stacks);
  if (gap) report('REH-009', `${env}:cni`, 'cluster stack', `NetworkPolicies are not enforced: ${gap}`);
  const nsLabels = (ns: string): Labels =>
    input.objects.find((o) => o.kind === 'Namespace' && o.metadata.name === ns)?.metadata.labels ?? { 'kubernetes.io/metadata.name': ns };
  const evaluator = new PolicyEvaluator(input.objects, nsLabels);
  const addresses = { apiServer: cluster.apiServer.cidrs, nodes: cluster.nodeCidrs };
  const declared = model.platform.facts.connections();
  for (const { connection: c, declaredBy } of declared) {
    for (const p of receivingPorts(c, cluster.apiServer.port)) {
      const why = evaluator.denied(endpointOf(c.from, addresses), endpointOf(c.to, addresses), p.port, p.protocol ?? 'TCP');
      if (why) report('REH-008', `${peerName(c.from)} -> ${peerName(c.to)}:${p.port}`, c.purpose, `declared by ${declaredBy}, but ${why}`);
    }
  }
  for (const need of impliedConnections(input)) {
    const covered = declared.some(
      ({ connection: c }) =>
        samePeer(c.from, need.from) && samePeer(c.to, need.to) && (c.to.kind === 'api-server' || c.ports.some((p) => p.port === need.port)),
    );
    if (!covered)
      report(
        'REH-008',
        need.source,
        need.path,
        `${need.what}: connection ${peerName(need.from)} -> ${peerName(need.to)}:${need.port} is not declared, so no NetworkPolicy opens it`,
      );
  }
}

/** Connections the rendered objects imply on their own: Service hosts in configuration, Ingress backends, scrape targets. */
function impliedConnections(input: RehearsalInput): Array<{ source: K8sObject; path: string; from: Peer; to: Peer; port: number; what: string }> {
  const out: Array<{ source: K8sObject; path: string; from: Peer; to: Peer; port: number; what: string }> = [];
  const workloadOfService = (ns: string, name: string, port?: number): { peer: Peer; port: number } | undefined => {
    const svc = input.objects.find((o) => o.kind === 'Service' && o.metadata.namespace === ns && o.metadata.name === name);
    if (svc) {
      const sp = (svc.spec?.ports ?? []).find((p: any) => port === undefined || p.port === port) ?? svc.spec?.ports?.[0];
      const target = containerPortFor(input.objects, ns, svc.spec?.selector ?? {}, sp?.targetPort ?? sp?.port);
      return { peer: { kind: 'workload', name: `${ns}/${name}`, namespace: ns, podLabels: svc.spec?.selector ?? {} }, port: target ?? sp?.port };
    }
    for (const o of input.objects.filter((x) => x.metadata.namespace === ns)) {
      const made = operatorOutputs(o);
      const s = made?.services.find((x) => `${o.metadata.name}${x.suffix}` === name);
      if (s)
        return { peer: { kind: 'workload', name: `${ns}/${o.metadata.name}`, namespace: ns, podLabels: s.pods(o.metadata.name!) }, port: s.port };
    }
    return undefined;
  };
  for (const t of podTemplates(input.objects)) {
    const ns = t.owner.metadata.namespace ?? '';
    const from: Peer = { kind: 'workload', name: '', namespace: ns, podLabels: t.labels };
    for (const { container, path } of containersOf(t)) {
      for (const [i, e] of (container.env ?? []).entries()) {
        for (const h of serviceHostsIn(String(e.value ?? ''))) {
          const w = workloadOfService(h.namespace, h.service, h.port);
          if (w)
            out.push({
              source: t.owner,
              path: `${path}.env[${i}]`,
              from,
              to: w.peer,
              port: w.port,
              what: `${e.name} names ${h.service}.${h.namespace}.svc`,
            });
        }
        const ref = e.valueFrom?.secretKeyRef;
        const cnpg = ref && /^(.*)-app$/.exec(ref.name);
        if (cnpg && input.objects.some((o) => o.kind === 'Cluster' && o.metadata.namespace === ns && o.metadata.name === cnpg[1])) {
          out.push({
            source: t.owner,
            path: `${path}.env[${i}]`,
            from,
            to: { kind: 'workload', name: `${ns}/${cnpg[1]}`, namespace: ns, podLabels: { 'cnpg.io/cluster': cnpg[1] } },
            port: 5432,
            what: `${e.name} is a credential of the ${cnpg[1]} database`,
          });
        }
      }
    }
  }
  const facts = input.model.platform.facts;
  for (const ing of input.objects.filter((o) => o.kind === 'Ingress')) {
    const cls = ing.spec?.ingressClassName;
    if (!cls || !facts.hasWorkload(`ingress-controller:${cls}`)) continue;
    const controller = facts.workload(`ingress-controller:${cls}`, objectRef(ing));
    for (const [r, rule] of (ing.spec?.rules ?? []).entries()) {
      for (const [p, path] of (rule.http?.paths ?? []).entries()) {
        const svc = path.backend?.service;
        const w = svc && workloadOfService(ing.metadata.namespace!, svc.name, svc.port?.number);
        if (w)
          out.push({
            source: ing,
            path: `spec.rules[${r}].http.paths[${p}]`,
            from: controller,
            to: w.peer,
            port: w.port,
            what: `routes ${rule.host}${path.path}`,
          });
      }
    }
    // An ACME HTTP-01 issuer answers each challenge from a solver pod in the Ingress's namespace, which
    // its solver's ingress controller must reach.
    const issuerName = ing.metadata.annotations?.['cert-manager.io/cluster-issuer'];
    const issuer = issuerName ? input.objects.find((o) => o.kind === 'ClusterIssuer' && o.metadata.name === issuerName) : undefined;
    for (const solver of issuer?.spec?.acme?.solvers ?? []) {
      const solverClass = solver.http01?.ingress?.ingressClassName;
      if (!solverClass || !facts.hasWorkload(`ingress-controller:${solverClass}`)) continue;
      out.push({
        source: ing,
        path: 'metadata.annotations["cert-manager.io/cluster-issuer"]',
        from: facts.workload(`ingress-controller:${solverClass}`, objectRef(ing)),
        to: {
          kind: 'workload',
          name: `${ing.metadata.namespace}/acme-http01-solver`,
          namespace: ing.metadata.namespace!,
          podLabels: ACME_HTTP01_SOLVER.labels,
        },
        port: ACME_HTTP01_SOLVER.port,
        what: `the HTTP-01 challenge of ${issuerName} for its hosts`,
      });
    }
  }
  if (facts.hasWorkload('prometheus')) {
    const prometheus = facts.workload('prometheus', 'the rehearsal');
    for (const sm of input.objects.filter((o) => o.kind === 'ServiceMonitor')) {
      const ns = sm.metadata.namespace!;
      const svc = input.objects.find(
        (o) =>
          o.kind === 'Service' &&
          o.metadata.namespace === ns &&
          Object.entries(sm.spec?.selector?.matchLabels ?? {}).every(([k, v]) => o.metadata.labels?.[k] === v),
      );
      for (const ep of sm.spec?.endpoints ?? []) {
        const sp = (svc?.spec?.ports ?? []).find((p: any) => p.name === ep.port);
        const port = svc && containerPortFor(input.objects, ns, svc.spec?.selector ?? {}, sp?.targetPort);
        if (svc && port)
          out.push({
            source: sm,
            path: 'spec.endpoints',
            from: prometheus,
            to: { kind: 'workload', name: '', namespace: ns, podLabels: svc.spec.selector },
            port,
            what: 'scraped by Prometheus',
          });
      }
    }
  }
  return out;
}

/** The container port a Service's targetPort resolves to on the pods it selects. */
function containerPortFor(
  objects: ReadonlyArray<K8sObject>,
  ns: string,
  selector: Labels,
  targetPort: number | string | undefined,
): number | undefined {
  if (typeof targetPort === 'number') return targetPort;
  for (const t of podTemplates(objects)) {
    if (t.owner.metadata.namespace !== ns || !Object.entries(selector).every(([k, v]) => t.labels[k] === v)) continue;
    for (const { container } of containersOf(t)) {
      const p = (container.ports ?? []).find((x: any) => x.name === targetPort);
      if (p) return p.containerPort;
    }
  }
  return undefined;
}
