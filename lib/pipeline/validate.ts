import { oidcIssuer } from '../core/model/apps/keycloak';
import { cidrsOverlap } from '../core/util/cidr';
import { ConfigIssue, duplicates, show } from '../core/model/issues';
import { kubernetesMinor } from '../core/model/primitives';
import { Environment, SUPPORTED_KUBERNETES_MINORS } from '../core/model/schema';
import type { Substrate } from '../../contracts/substrate';
import type { PlatformAddOn } from '../../contracts/addon';
import { POLICY_RULES } from './guardrails/rules';
import { LIVE_RULES, REHEARSAL_RULES } from './rehearsal/rules';
import { appFor } from '../../apps';

/** Everything a rule needs besides the environment itself. */
export interface ValidationContext {
  readonly substrate: Substrate;
  readonly addOns: ReadonlyMap<string, PlatformAddOn>;
}

type Rule = (env: Environment, ctx: ValidationContext) => ConfigIssue[];

function issue(env: Environment, path: string, found: unknown, expected: string): ConfigIssue {
  return { environment: env.name, path, found: show(found), expected };
}

const supportedVersion: Rule = (env) => {
  const minor = kubernetesMinor(env.kubernetesVersion);
  return (SUPPORTED_KUBERNETES_MINORS as readonly string[]).includes(minor)
    ? []
    : [issue(env, 'kubernetesVersion', env.kubernetesVersion, `a supported Kubernetes version (${SUPPORTED_KUBERNETES_MINORS.join(', ')})`)];
};

const nodePoolRules: Rule = (env) => {
  const pools = env.cluster.nodePools;
  const out = duplicates(pools, (p) => p.name).map(({ index, value }) =>
    issue(env, `cluster.nodePools[${index}].name`, value, 'a node pool name used only once'),
  );
  pools.forEach((p, i) => {
    const at = `cluster.nodePools[${i}]`;
    if (p.min !== undefined && p.max !== undefined && p.min > p.max) {
      out.push(issue(env, `${at}.min`, p.min, `min ≤ max (max is ${p.max})`));
    }
    if (p.desired !== undefined && p.min !== undefined && p.desired < p.min) {
      out.push(issue(env, `${at}.desired`, p.desired, `min ≤ desired (min is ${p.min})`));
    }
    if (p.desired !== undefined && p.max !== undefined && p.desired > p.max) {
      out.push(issue(env, `${at}.desired`, p.desired, `desired ≤ max (max is ${p.max})`));
    }
    if (p.role === 'gpu' && !p.gpu) {
      out.push(issue(env, `${at}.gpu`, p.gpu, 'gpu: true on a pool whose role is "gpu"'));
    }
    // The platform's add-ons tolerate no dedicated taint: general and system pools must stay open to them.
    if (p.dedicated && (p.role === 'general' || p.role === 'system')) {
      out.push(issue(env, `${at}.dedicated`, p.dedicated, `dedicated only on a compute or gpu pool (a ${p.role} pool runs the platform's add-ons)`));
    }
  });
  return out;
};

const namespaceRules: Rule = (env) =>
  duplicates(env.namespaces, (n) => n.name).map(({ index, value }) =>
    issue(env, `namespaces[${index}].name`, value, 'a namespace declared only once'),
  );

const networkRules: Rule = (env, { substrate }) => {
  const ranges = substrate.networks(env);
  const out: ConfigIssue[] = [];
  for (let i = 0; i < ranges.length; i++) {
    for (let j = i + 1; j < ranges.length; j++) {
      if (cidrsOverlap(ranges[i].cidr, ranges[j].cidr)) {
        out.push(
          issue(
            env,
            ranges[j].path,
            ranges[j].cidr,
            `a ${ranges[j].name} range that does not overlap the ${ranges[i].name} range ${ranges[i].cidr} (${ranges[i].path})`,
          ),
        );
      }
    }
  }
  return out;
};

/** Managed services exist only where the substrate provisions them, each name once. */
const managedServiceRules: Rule = (env, { substrate }) => {
  const out = duplicates(env.managedServices, (s) => s.name).map(({ index, value }) =>
    issue(env, `managedServices[${index}].name`, value, 'a managed service name used only once'),
  );
  if (!substrate.managedServiceEndpoint)
    env.managedServices.forEach((s, i) =>
      out.push(
        issue(
          env,
          `managedServices[${i}]`,
          s.kind,
          `no managed services on ${substrate.title}: run the data service in the cluster (e.g. CloudNativePG)`,
        ),
      ),
    );
  return out;
};

const addOnRules: Rule = (env, { addOns, substrate }) => {
  const out = duplicates(env.addons, (a) => a).map(({ index, value }) => issue(env, `addons[${index}]`, value, 'each add-on listed once'));
  env.addons.forEach((id, i) => {
    const addOn = addOns.get(id);
    if (!addOn) {
      out.push(issue(env, `addons[${i}]`, id, `a known add-on (${[...addOns.keys()].sort().join(', ')})`));
      return;
    }
    for (const dep of addOn.requires ?? []) {
      if (!env.addons.includes(dep)) out.push(issue(env, `addons[${i}]`, id, `"${dep}" listed too, which ${id} requires`));
    }
    for (const other of addOn.conflictsWith ?? []) {
      if (env.addons.includes(other)) out.push(issue(env, `addons[${i}]`, id, `not both ${id} and ${other}: they are alternatives (one of them)`));
    }
    if (substrate.traits.managedAddOns.includes(id)) {
      out.push(issue(env, `addons[${i}]`, id, `no ${id}: ${substrate.title} runs it as a managed component, and a second copy would fight it`));
    }
  });
  return out;
};

/**
 * Routing by Gateway API needs the gateway add-on, and its wildcard certificate an issuer that can sign
 * one: an internal CA, or ACME through DNS-01 (HTTP-01 cannot prove a wildcard).
 */
const gatewayRules: Rule = (env) => {
  const access = env.access;
  const gatewayListed = env.addons.includes('gateway');
  if (access.kind !== 'ingress')
    return gatewayListed
      ? [issue(env, `addons[${env.addons.indexOf('gateway')}]`, 'gateway', 'access.kind: ingress (the Gateway serves the ingress domain)')]
      : [];
  const out: ConfigIssue[] = [];
  if (access.routing === 'gateway' && !gatewayListed)
    out.push(issue(env, 'access.routing', 'gateway', 'add-on "gateway" in addons:, which implements the Gateway'));
  if (access.wwwRedirect && access.routing !== 'gateway')
    out.push(issue(env, 'access.wwwRedirect', true, 'routing: gateway (the redirect is an HTTPRoute)'));
  if (gatewayListed && access.tls.acmeEmail && !access.tls.dns01)
    out.push(issue(env, 'access.tls.dns01', undefined, "a DNS-01 provider: the Gateway's wildcard certificate cannot be proven over HTTP-01"));
  return out;
};

const exceptionRules: Rule = (env) =>
  env.exceptions.flatMap((e, i) =>
    POLICY_RULES.has(e.rule) || e.rule in REHEARSAL_RULES || e.rule in LIVE_RULES
      ? []
      : [
          issue(
            env,
            `exceptions[${i}].rule`,
            e.rule,
            `a policy or rehearsal rule ID (${[...POLICY_RULES.keys(), ...Object.keys(REHEARSAL_RULES), ...Object.keys(LIVE_RULES)].join(', ')})`,
          ),
        ],
  );

const appRules: Rule[] = [
  // The runners push only images this environment's apps pin: named by app and image slot.
  (env) =>
    env.apps.flatMap((a, i) =>
      a.app !== 'github-runners'
        ? []
        : a.pushes.flatMap((p, j) => {
            const slots = env.apps.filter((b) => b.app === p.app).map((b) => ('images' in b ? Object.keys(b.images) : []));
            return slots.some((keys) => keys.includes(p.image))
              ? []
              : [
                  issue(
                    env,
                    `apps[${i}].pushes[${j}]`,
                    p,
                    `an app of this environment and one of its image slots (${p.app}: ${slots.flat().join(', ') || 'no such app'})`,
                  ),
                ];
          }),
    ),
  // The substrate creates every cloud identity an add-on asks for, or says what it cannot.
  (env, { substrate, addOns }) =>
    env.addons.flatMap((id, i) =>
      (addOns.get(id)?.workloadIdentities?.(env) ?? []).flatMap((request) =>
        substrate.workloadIdentityProblems(env, request).map((p) => issue(env, `addons[${i}]`, id, `${p.expected} (${request.requestedBy})`)),
      ),
    ),
  // The substrate creates every cloud identity an app asks for, or says what it cannot.
  (env, { substrate }) =>
    env.apps.flatMap((a, i) =>
      (appFor(a).workloadIdentities?.(a, env) ?? []).flatMap((request) =>
        substrate.workloadIdentityProblems(env, request).map((p) => issue(env, p.path ? `apps[${i}].${p.path}` : `apps[${i}]`, p.found, p.expected)),
      ),
    ),
  // The backend trusts a realm some keycloak app of the environment imports (its issuer is that app's host).
  (env) =>
    env.apps.flatMap((a, i) =>
      a.app === 'axiom-platform' && !oidcIssuer(env.apps, a.oidcRealm)
        ? [issue(env, `apps[${i}].oidcRealm`, a.oidcRealm, 'a realm a keycloak app of this environment imports (apps[].realms[].name)')]
        : [],
    ),
  (env) =>
    env.apps.flatMap((a, i) =>
      env.namespaces.some((n) => n.name === a.namespace)
        ? []
        : [
            issue(
              env,
              `apps[${i}].namespace`,
              a.namespace,
              `a namespace declared under namespaces: (${env.namespaces.map((n) => n.name).join(', ')})`,
            ),
          ],
    ),
  (env) =>
    env.apps.flatMap((a, i) =>
      appFor(a).usesGpu(a) && !env.cluster.nodePools.some((p) => p.gpu)
        ? [issue(env, `apps[${i}]`, a.app, `a node pool with gpu: true in cluster.nodePools, because ${a.app} runs GPU services`)]
        : [],
    ),
  (env) =>
    env.apps.flatMap((a, i) => {
      const role = appFor(a).dedicatedPool?.(a);
      return role && !env.cluster.nodePools.some((p) => p.dedicated && p.role === role)
        ? [issue(env, `apps[${i}]`, a.app, `a node pool with role: ${role} and dedicated: true in cluster.nodePools, because ${a.app} runs there`)]
        : [];
    }),
  (env, { substrate }) => {
    const available = new Set([...env.addons, ...substrate.platformAddOns(env).map((x) => x.id)]);
    return env.apps.flatMap((a, i) =>
      appFor(a)
        .requiresAddOns(a)
        .filter((id) => !available.has(id))
        .map((id) => issue(env, `apps[${i}]`, a.app, `add-on "${id}" in addons:, which ${a.app} needs`)),
    );
  },
  // Nodes pull through an in-cluster cache only where Parity writes their runtime configuration, and
  // only without a registry mirror (which renames every image and leaves nothing to fall back to).
  (env, { substrate }) =>
    env.apps.flatMap((a, i) =>
      a.app !== 'harbor' || !a.nodeMirror
        ? []
        : [
            ...(substrate.configuresNodeRegistries
              ? []
              : [
                  issue(env, `apps[${i}].nodeMirror`, true, `false: on ${substrate.title} the nodes' container runtime is not Parity's to configure`),
                ]),
            ...(env.registryMirror
              ? [issue(env, `apps[${i}].nodeMirror`, true, `false while registryMirror (${env.registryMirror}) serves every image`)]
              : []),
          ],
    ),
  (env) =>
    duplicates(env.apps, (a) => `${a.app}/${a.namespace}`).map(({ index, value }) =>
      issue(env, `apps[${index}]`, value, 'each app once per namespace'),
    ),
];

/** Private access needs the operator, certificates and the secrets it reads. */
const privateAccessRules: Rule = (env) =>
  env.access.kind !== 'tailscale'
    ? []
    : ['tailscale-operator', 'cert-manager', 'external-secrets', 'vault']
        .filter((id) => !env.addons.includes(id))
        .map((id) => issue(env, 'access.kind', 'tailscale', `add-on "${id}" in addons:, which private access through Tailscale needs`));

/** external-dns writes exactly what `dns:` describes: one without the other is a decision left half made. */
const dnsRules: Rule = (env) => {
  const listed = env.addons.includes('external-dns');
  if (listed && !env.dns) return [issue(env, 'dns', undefined, 'a dns: section (provider, zones) for the external-dns add-on in addons:')];
  if (!listed && env.dns) return [issue(env, 'addons', env.addons, '"external-dns" listed, which writes the records dns: describes')];
  if (env.dns && !env.dns.zones && env.access.kind !== 'ingress')
    return [issue(env, 'dns.zones', undefined, `the zones to write (access kind ${env.access.kind} has no ingress domain to default to)`)];
  return [];
};

/** DNS-01 is how an ACME issuer answers: without an ACME contact the issuer is a CA and has no challenges. */
const dns01Rules: Rule = (env) =>
  env.access.kind === 'ingress' && env.access.tls.dns01 && !env.access.tls.acmeEmail
    ? [issue(env, 'access.tls.dns01', env.access.tls.dns01.provider, 'access.tls.acmeEmail set as well (DNS-01 answers an ACME issuer)')]
    : [];

/** What an app asks the cluster stack to write (connection URLs) names a managed service of that kind, and one of its databases. */
const stackSecretRules: Rule = (env) =>
  env.apps.flatMap((a, i) =>
    (appFor(a).workloadIdentities?.(a, env) ?? []).flatMap((w) =>
      (w.secretStore?.stackSecrets ?? []).flatMap((s) => {
        const svc = env.managedServices.find((m) => m.name === s.service && m.kind === s.kind);
        const at = `apps[${i}].${s.configPath}.service`;
        if (!svc) {
          const names = env.managedServices.filter((m) => m.kind === s.kind).map((m) => m.name);
          return [issue(env, at, s.service, `a ${s.kind} service under managedServices (${names.join(', ') || 'none declared'})`)];
        }
        if (svc.kind === 'postgres' && s.database && !svc.databases.includes(s.database))
          return [
            issue(env, `apps[${i}].${s.configPath}.name`, s.database, `a database of managed service ${svc.name} (${svc.databases.join(', ')})`),
          ];
        return [];
      }),
    ),
  );

/** An offsite backup store is one of the environment's external services, over TLS, for Velero. */
const backupRules: Rule = (env) => {
  if (!env.backups) return [];
  const out: ConfigIssue[] = [];
  const store = env.externalServices.find((s) => s.name === env.backups!.store);
  const names = env.externalServices.map((s) => s.name);
  if (!store)
    out.push(issue(env, 'backups.store', env.backups.store, `the name of an externalServices entry (${names.join(', ') || 'none declared'})`));
  else if (store.port !== 443)
    out.push(issue(env, 'backups.store', env.backups.store, `a store served over HTTPS on 443 (${store.name} is on ${store.port})`));
  if (!env.addons.includes('velero')) out.push(issue(env, 'backups', env.backups.store, 'velero in addons: backups go nowhere without it'));
  return out;
};

const RULES: Rule[] = [
  gatewayRules,
  ...appRules,
  backupRules,
  stackSecretRules,
  privateAccessRules,
  dnsRules,
  dns01Rules,
  supportedVersion,
  nodePoolRules,
  namespaceRules,
  networkRules,
  managedServiceRules,
  addOnRules,
  exceptionRules,
];

/** Every cross-field rule plus the substrate's own; returns all issues rather than stopping at the first. */
export function validateEnvironment(env: Environment, ctx: ValidationContext): ConfigIssue[] {
  return [...RULES.flatMap((rule) => rule(env, ctx)), ...ctx.substrate.validate(env)];
}
