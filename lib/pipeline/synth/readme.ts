import { EnvironmentModel } from '../../../stacks/environment';
import { manifestsPathInRepo } from '../../../stacks/platform-manifests';
import { peerName } from '../../core/facts/connections';
import { K8sObject } from '../../core/k8s-objects';
import { PHASES, phaseOf, waveOf } from '../rehearsal/timeline';

function table(header: string[], rows: Array<Array<string | number>>): string {
  const esc = (v: string | number) => String(v).replace(/\|/g, '\\|');
  return [`| ${header.join(' | ')} |`, `| ${header.map(() => '---').join(' | ')} |`, ...rows.map((r) => `| ${r.map(esc).join(' | ')} |`)].join('\n');
}

function resourceCount(json: string | undefined): number {
  if (!json) return 0;
  const resources = (JSON.parse(json) as { resource?: Record<string, Record<string, unknown>> }).resource ?? {};
  return Object.values(resources).reduce((n, byName) => n + Object.keys(byName).length, 0);
}

function mermaidId(s: string): string {
  return s.replace(/[^A-Za-z0-9]/g, '_');
}

/** A Mermaid flowchart: deploy order of the stacks, then what Argo CD reconciles from Git. */
function diagram(model: EnvironmentModel): string {
  const { env } = model;
  const lines = ['```mermaid', 'flowchart LR'];
  let previous: string | undefined;
  for (const stack of model.stacks) {
    const id = `tf_${mermaidId(stack.stackId)}`;
    lines.push(`  ${id}["Terraform: ${stack.stackId}"]`);
    if (previous) lines.push(`  ${previous} --> ${id}`);
    previous = id;
  }
  lines.push(`  cluster(("${model.substrate.title}<br/>${env.cluster.name} ${env.kubernetesVersion}"))`);
  if (previous) lines.push(`  ${previous} --> cluster`);
  lines.push(`  git[("GitOps ${env.gitops.branch}:<br/>${manifestsPathInRepo(env)}")] --> argocd["Argo CD root app"] --> cluster`);
  for (const pool of model.nodePools) {
    lines.push(
      `  cluster --- pool_${mermaidId(pool.name)}["${pool.gpu ? 'GPU pool' : 'pool'} ${pool.name}<br/>${pool.machineType} ${pool.min}-${pool.max}"]`,
    );
  }
  for (const ns of env.namespaces) lines.push(`  argocd --> ns_${mermaidId(ns.name)}["ns ${ns.name}"]`);
  for (const addOn of model.addOns) lines.push(`  argocd --> addon_${mermaidId(addOn.id)}["${addOn.id}"]`);
  for (const app of env.apps)
    lines.push(`  ns_${mermaidId(app.namespace)} --> app_${mermaidId(app.app)}_${mermaidId(app.namespace)}(["app ${app.app}"])`);
  lines.push('```');
  return lines.join('\n');
}

/** Sync order of the first deploy: each wave of the root Application, what it applies and what it waits for. */
function syncOrder(synthesized: ReadonlyArray<K8sObject>): string {
  const objects = synthesized.filter((o) => !o.file.endsWith('bootstrap/root-app.yaml'));
  const groups = new Map<string, { phase: string; wave: number; objects: string[]; waits: string[] }>();
  for (const o of objects) {
    const phase = phaseOf(o);
    const wave = waveOf(o);
    const key = `${PHASES.indexOf(phase)}/${String(wave + 10000).padStart(6, '0')}`;
    const g = groups.get(key) ?? { phase, wave, objects: [], waits: [] };
    g.objects.push(`${o.kind}/${o.metadata.name}`);
    if (o.kind === 'Application') g.waits.push(`Application ${o.metadata.name} healthy`);
    else if (['Certificate', 'ExternalSecret', 'Cluster', 'Deployment', 'StatefulSet', 'Job'].includes(o.kind))
      g.waits.push(`${o.kind} ${o.metadata.name}`);
    groups.set(key, g);
  }
  const short = (list: string[], n: number) => (list.length <= n ? list.join(', ') : `${list.slice(0, n).join(', ')} and ${list.length - n} more`);
  return table(
    ['phase', 'wave', 'applies', 'waits for'],
    [...groups.keys()].sort().map((k) => {
      const g = groups.get(k)!;
      return [g.phase, g.wave, short(g.objects, 6), g.waits.length ? short(g.waits, 6) : 'nothing beyond apply'];
    }),
  );
}

/** The declared connections, as a Mermaid graph and a table; NetworkPolicies are generated from exactly these. */
function connections(model: EnvironmentModel): string {
  const edges = new Map<string, { from: string; to: string; ports: Set<string>; purposes: Set<string>; api: boolean }>();
  for (const { connection: c } of model.platform.facts.connections()) {
    const from = peerName(c.from);
    const to = peerName(c.to);
    const key = `${from}→${to}`;
    const e = edges.get(key) ?? { from, to, ports: new Set(), purposes: new Set(), api: c.to.kind === 'api-server' };
    for (const p of c.to.kind === 'api-server' ? [] : c.ports) e.ports.add(`${p.port}${p.protocol === 'UDP' ? '/udp' : ''}`);
    e.purposes.add(c.purpose);
    edges.set(key, e);
  }
  const list = [...edges.values()].sort((a, b) => (a.from + a.to < b.from + b.to ? -1 : 1));
  const lines = ['```mermaid', 'flowchart LR'];
  // No ports: the API server's (a substrate fact), or every port of the receiving pods (a vendor chart's, not in its contract).
  const portsOf = (e: { ports: Set<string>; api: boolean }, sep: string, api: string) => [...e.ports].join(sep) || (e.api ? api : 'any port');
  for (const e of list) lines.push(`  ${mermaidId(e.from)}["${e.from}"] -->|${portsOf(e, ',', 'api')}| ${mermaidId(e.to)}["${e.to}"]`);
  lines.push('```');
  return [
    lines.join('\n'),
    '',
    table(
      ['from', 'to', 'ports', 'why'],
      list.map((e) => [e.from, e.to, portsOf(e, ', ', 'API server port'), [...e.purposes].join('; ')]),
    ),
  ].join('\n');
}

/** What the README reads of an HTTPRoute as synthesized. */
interface HttpRouteSpec {
  hostnames?: string[];
  parentRefs?: Array<{ name: string; sectionName?: string }>;
  rules?: Array<{
    backendRefs?: Array<{ name: string; namespace?: string; port?: number }>;
    filters?: Array<{ requestRedirect?: { scheme?: string; hostname?: string; statusCode?: number } }>;
  }>;
}

/** The generated README of `dist/<env>`: what the environment contains and how to deploy it. */
/**
 * Every host the environment routes, what serves it and how it is reached: the Ingresses and HTTPRoutes
 * of the output and the routes of vendor charts, with their certificates (cert-manager's issuer, or the
 * gateway's own wildcard where none is named).
 */
function hostnames(model: EnvironmentModel, objects: ReadonlyArray<K8sObject>): string {
  const { access } = model.env;
  const reach = access.kind === 'tailscale' ? `tailnet ${access.tailnet} (internal gateway)` : `${access.exposure} ingress`;
  const rows: Array<Array<string>> = [];
  const certificate = (secret: string | undefined, issuer: string | undefined) =>
    secret ? `\`${secret}\`${issuer ? ` from ClusterIssuer ${issuer}` : ''}` : "the gateway's wildcard certificate";
  for (const o of objects.filter((x) => x.kind === 'Ingress')) {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- an Ingress as synthesized
    const spec = (o as any).spec ?? {};
    const issuer = o.metadata.annotations?.['cert-manager.io/cluster-issuer'];
    for (const rule of spec.rules ?? []) {
      const backend = rule.http?.paths?.[0]?.backend?.service;
      const tls = (spec.tls ?? []).find((t: { hosts?: string[] }) => t.hosts?.includes(rule.host));
      rows.push([
        `\`${rule.host}\``,
        `${o.metadata.namespace}/${backend?.name}:${backend?.port?.number ?? backend?.port?.name}`,
        reach,
        certificate(tls?.secretName, issuer),
      ]);
    }
  }
  for (const o of objects.filter((x) => x.kind === 'HTTPRoute')) {
    const spec = (o as unknown as { spec?: HttpRouteSpec }).spec ?? {};
    const gateway = spec.parentRefs?.[0];
    const via = `${access.kind === 'ingress' ? access.exposure : 'private'} Gateway ${gateway?.name}${gateway?.sectionName ? ` (${gateway.sectionName})` : ''}`;
    const served = (spec.rules ?? []).flatMap((r) => [
      ...(r.backendRefs ?? []).map((b) => `${b.namespace ?? o.metadata.namespace}/${b.name}:${b.port}`),
      ...(r.filters ?? []).flatMap((f) =>
        f.requestRedirect
          ? [
              `redirect to ${f.requestRedirect.scheme ?? 'the same scheme'}://${f.requestRedirect.hostname ?? 'the same host'} (${f.requestRedirect.statusCode ?? 302})`,
            ]
          : [],
      ),
    ]);
    for (const host of spec.hostnames ?? []) rows.push([`\`${host}\``, [...new Set(served)].join(', '), via, certificate(undefined, undefined)]);
  }
  for (const facts of model.platform.applicationFacts.values())
    for (const r of facts.routes ?? [])
      rows.push([`\`${r.host}\``, r.service, `${reach} (its chart's Ingress)`, certificate(r.tlsSecret, r.clusterIssuer)]);
  rows.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[2] < b[2] ? -1 : a[2] > b[2] ? 1 : 0));
  return rows.length ? table(['host', 'served by (namespace/Service:port)', 'reached through', 'certificate'], rows) : 'None: nothing is routed.';
}

export function renderEnvironmentReadme(
  model: EnvironmentModel,
  files: ReadonlyMap<string, string>,
  source: string,
  /** The environment's objects as synthesized (already in memory; not re-parsed from `files`). */
  objects: ReadonlyArray<K8sObject>,
): string {
  const { env, substrate } = model;
  const access =
    env.access.kind === 'ingress'
      ? `${env.access.exposure} ingress at \`*.${env.access.ingressDomain}\`, TLS from ClusterIssuer \`${env.access.tls.clusterIssuer}\``
      : `private; reached through Tailscale at \`*.${env.access.internalDomain}\``;
  const out: string[] = [
    `# ${env.name}: ${env.description}`,
    '',
    `Generated by Parity from \`${source}\`. Do not edit: change the environment file and run \`npm run synth\`.`,
    '',
    table(
      ['setting', 'value'],
      [
        ['substrate', substrate.title],
        ['cluster', `${env.cluster.name} (Kubernetes ${env.kubernetesVersion})`],
        ['access', access],
        ['state backend', env.stateBackend.kind],
        ['GitOps', `${env.gitops.repoURL} @ ${env.gitops.branch}, path \`${manifestsPathInRepo(env)}\``],
        ['registry mirror', env.registryMirror ?? 'none (images pulled from their origin)'],
        [
          'Vault',
          env.addons.includes('vault')
            ? [model.substrate.vaultSeal(env).description, model.substrate.vaultPlacement?.(env).description].filter(Boolean).join('; storage on ')
            : 'not installed',
        ],
      ],
    ),
    '',
    '## Diagram',
    '',
    diagram(model),
    '',
    '## Sync order (first deploy)',
    '',
    'The root Application applies these in order; each wave waits until everything in it is healthy (child Applications included).',
    '',
    syncOrder(objects),
    '',
    '## Hostnames',
    '',
    hostnames(model, objects),
    '',
    '## Connections',
    '',
    `Every flow the platform needs, declared by the module that makes it. NetworkPolicies (\`manifests/network-policies.yaml\`) open exactly these in the namespaces that deny by default (${[...model.platform.denyByDefault].sort().join(', ')}).`,
    '',
    connections(model),
    '',
    '## Terraform stacks (deploy in this order)',
    '',
    model.stacks.length === 0
      ? 'None: this substrate has no Terraform-managed infrastructure.'
      : table(
          ['stack', 'what', 'resources', 'file'],
          model.stacks.map((s) => {
            const file = `${env.name}/terraform/${s.stackId}/cdk.tf.json`;
            return [`\`${s.node.id}\``, s.description, resourceCount(files.get(file)), `\`terraform/${s.stackId}/cdk.tf.json\``];
          }),
        ),
    '',
    '## Networks',
    '',
    table(
      ['range', 'CIDR', 'from'],
      substrate.networks(env).map((n) => [n.name, n.cidr, `\`${n.path}\``]),
    ),
    '',
    '## Node pools',
    '',
    table(
      ['pool', 'machine type', 'min', 'desired', 'max', 'GPU', 'scaling'],
      model.nodePools.map((p) => [p.name, p.machineType, p.min, p.desired, p.max, p.gpu ? 'yes' : 'no', p.scaling]),
    ),
    '',
    '## Namespaces',
    '',
    env.namespaces.length === 0
      ? 'None declared.'
      : table(
          ['namespace', 'Pod Security (enforce / warn)', 'CPU req/lim', 'memory req/lim', 'pods', 'GPUs'],
          env.namespaces.map((n) => [
            n.name,
            `${n.podSecurity} / ${n.podSecurityWarn ?? n.podSecurity}`,
            `${n.quota.requestsCpu} / ${n.quota.limitsCpu}`,
            `${n.quota.requestsMemory} / ${n.quota.limitsMemory}`,
            n.quota.pods,
            n.quota.gpus,
          ]),
        ),
    '',
    '## Add-ons',
    '',
    model.addOns.length === 0
      ? 'None.'
      : table(
          ['add-on', 'namespace', 'sync wave', 'what'],
          [...model.addOns]
            .sort((a, b) => a.syncWave - b.syncWave || (a.id < b.id ? -1 : 1))
            .map((a) => [a.id, a.namespace, a.syncWave, a.description]),
        ),
    '',
    '## Apps',
    '',
    env.apps.length === 0
      ? 'None.'
      : table(
          ['app', 'namespace', 'file'],
          env.apps.map((a) => [a.app, a.namespace, `\`manifests/apps/${a.app}.${a.namespace}.yaml\``]),
        ),
    '',
    '## Guardrail exceptions',
    '',
    env.exceptions.length === 0
      ? 'None: every guardrail applies.'
      : table(
          ['rule', 'target', 'reason'],
          env.exceptions.map((e) => [e.rule, `\`${e.target}\``, e.reason]),
        ),
    '',
    '## Files',
    '',
    ...[...files.keys()]
      .filter((f) => f.startsWith(`${env.name}/`) && f !== `${env.name}/README.md`)
      .map((f) => `- \`${f.slice(env.name.length + 1)}\``),
    '',
    '## Deploy',
    '',
    '```sh',
    ...model.stacks.map((s) => `CHECKPOINT_DISABLE=1 npx cdktf deploy ${s.node.id}`),
    `# then publish dist/${env.name} to ${env.gitops.repoURL}; Argo CD syncs manifests/ from the root app`,
    '```',
    '',
  ];
  return out.join('\n');
}
