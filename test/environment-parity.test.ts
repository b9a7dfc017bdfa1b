import { parseAllDocuments } from 'yaml';
import { examples, terraform } from './helpers';
import { rootAppProps } from '../stacks/platform-manifests';
import { Environment } from '../lib/core/model/schema';

/**
 * The parity proof between Axiom's two environments (seed 000: development and production, no staging):
 * `axiom-prod` is `dev` with the differences its environment file declares, and nothing else. Identity
 * (cluster name, VPC range, domain, account, GitOps repository) is renamed first, from the two files;
 * every remaining difference must belong to one declared category.
 */
describe('parity between dev and axiom-prod', () => {
  const result = examples();
  const envOf = (name: string): Environment => result.models.find((m) => m.env.name === name)!.env;
  const dev = envOf('dev');
  const prod = envOf('axiom-prod');
  const devApp = dev.apps.find((a) => a.app === 'axiom-platform')! as Extract<Environment['apps'][number], { app: 'axiom-platform' }>;
  const prodApp = prod.apps.find((a) => a.app === 'axiom-platform')! as typeof devApp;
  type KeycloakApp = Extract<Environment['apps'][number], { app: 'keycloak' }>;
  const devKeycloak = dev.apps.find((a) => a.app === 'keycloak')! as KeycloakApp;
  const prodKeycloak = prod.apps.find((a) => a.app === 'keycloak')! as KeycloakApp;

  const account = (e: Environment) => (e.substrate.kind === 'eks' ? e.substrate.adminRoleArns[0].split(':')[4] : '');
  const cidr = (e: Environment) => (e.substrate.kind === 'eks' ? e.substrate.vpcCidr : '');
  const domain = (e: Environment) =>
    e.access.kind === 'tailscale' ? e.access.internalDomain : e.access.kind === 'ingress' ? e.access.ingressDomain : '';
  /** dev's identity → axiom-prod's, longest first so a name inside another is renamed once. */
  const renames: Array<[string, string]> = (
    [
      [rootAppProps(dev).name, rootAppProps(prod).name],
      [dev.gitops.repoURL, prod.gitops.repoURL],
      [dev.cluster.name, prod.cluster.name],
      [cidr(dev), cidr(prod)],
      [domain(dev), domain(prod)],
      [account(dev), account(prod)],
    ] as Array<[string, string]>
  ).sort((a, b) => b[0].length - a[0].length);
  const renamed = (text: string) => renames.reduce((t, [from, to]) => t.split(from).join(to), text);

  type Doc = Record<string, any>;
  // A wave Job by what it is (its name carries a hash of its pod template, see MigrationJob).
  const id = (o: Doc) => `${o.kind}/${o.metadata?.namespace ?? ''}/${nameOf(o)}`;
  const nameOf = (o: Doc) => (o.kind === 'Job' ? (o.metadata?.labels?.['app.kubernetes.io/name'] ?? o.metadata?.name) : o.metadata?.name);
  const docs = (env: string, file: string, rename: boolean): Map<string, Doc> => {
    const text = result.files.get(`${env}/${file}`) ?? '';
    return new Map(
      parseAllDocuments(rename ? renamed(text) : text)
        .map((d) => d.toJS() as Doc)
        .filter(Boolean)
        .map((o) => [id(o), o]),
    );
  };
  function differences(a: unknown, b: unknown, at = ''): Array<{ path: string; a: unknown; b: unknown }> {
    if (a !== null && b !== null && typeof a === 'object' && typeof b === 'object') {
      const keys = new Set([...Object.keys(a as object), ...Object.keys(b as object)]);
      return [...keys].flatMap((k) => differences((a as any)[k], (b as any)[k], at ? `${at}.${k}` : k));
    }
    return JSON.stringify(a) === JSON.stringify(b) ? [] : [{ path: at, a, b }];
  }
  const files = (env: string) =>
    [...result.files.keys()]
      .filter((f) => f.startsWith(`${env}/manifests/`))
      .map((f) => f.slice(env.length + 1))
      .sort();

  // Add-ons one environment chooses and the other does not (dev: the tailnet operator; axiom-prod:
  // external-dns for its dns: section), with the namespaces they run in.
  const oneSided = [...dev.addons.filter((a) => !prod.addons.includes(a)), ...prod.addons.filter((a) => !dev.addons.includes(a))].sort();
  const oneSidedNamespaces = result.models.flatMap((m) => m.addOns.filter((a) => oneSided.includes(a.id)).map((a) => a.namespace));
  // Apps one environment runs and the other does not (dev: the model-serving example on its GPU pool), in
  // namespaces where the other environment runs no app at all.
  const appKey = (a: { app: string; namespace: string }) => `${a.app}.${a.namespace}`;
  const oneSidedApps = dev.apps.filter((a) => !prod.apps.some((b) => appKey(b) === appKey(a)));
  // ... and the other way (axiom-prod: uptime checks of its public hosts).
  const prodOnlyApps = prod.apps.filter((a) => !dev.apps.some((b) => appKey(b) === appKey(a)));
  const oneSidedAppNamespaces = [
    ...oneSidedApps.map((a) => a.namespace).filter((ns) => !prod.apps.some((b) => b.namespace === ns)),
    ...prodOnlyApps.map((a) => a.namespace).filter((ns) => !dev.apps.some((b) => b.namespace === ns)),
  ];
  const inOneSided = (key: string) =>
    [...oneSidedNamespaces, 'private-access'].some((ns) => key.startsWith(`Namespace//${ns}`) || key.split('/')[1] === ns) ||
    oneSided.some((id) => key === `Application/argocd/${id}` || key.startsWith(`ClusterSecretStore//vault-${id}`));
  // Namespaces one environment file declares and the other does not (dev: the CI runners' image builder).
  const oneSidedDeclared = [
    ...dev.namespaces.filter((n) => !prod.namespaces.some((m) => m.name === n.name)),
    ...prod.namespaces.filter((n) => !dev.namespaces.some((m) => m.name === n.name)),
  ].map((n) => n.name);
  oneSidedAppNamespaces.push(...oneSidedDeclared);
  // Argo CD's OCI repository of a chart only a one-sided add-on or app pulls (ARC's, from ghcr.io).
  const oneSidedChartRepositories = new Set(
    ['dev', 'axiom-prod'].flatMap((env) =>
      [...result.files.keys()]
        .filter((f) => f.startsWith(`${env}/manifests/`) && f !== `${env}/manifests/argocd-repositories.yaml`)
        .flatMap((f) => [...docs(env, f.slice(env.length + 1), false).values()])
        .filter((o) => o.kind === 'Application' && o.spec?.source?.chart)
        .filter((o) => oneSided.includes(o.metadata.name) || oneSidedApps.some((a) => o.spec.destination?.namespace === a.namespace))
        .map((o) => `Secret/argocd/oci-${String(o.spec.source.repoURL).replace(/[^a-z0-9]+/g, '-')}`),
    ),
  );
  const inOneSidedApp = (key: string) =>
    oneSidedAppNamespaces.includes(key.split('/')[1]) ||
    (key.startsWith(`Namespace//`) && oneSidedDeclared.includes(key.split('/')[2])) ||
    oneSidedChartRepositories.has(key) ||
    [...oneSidedApps, ...prodOnlyApps].some((a) => key === `ClusterSecretStore//vault-${a.namespace}-${a.app}`);
  /** A NetworkPolicy rule that reaches a one-sided add-on's namespace (or the tailnet's gateway). */
  const touchesOneSided = (rule: unknown) =>
    [...oneSidedNamespaces, ...oneSidedAppNamespaces, 'private-access'].some((ns) =>
      JSON.stringify(rule).includes(`"kubernetes.io/metadata.name":"${ns}"`),
    );
  const privateRoutes = new Set(['Ingress/argocd/argo-cd-argocd', 'Ingress/monitoring/grafana-operator-grafana', 'Ingress/dev-center/temporal-web']);

  /** The declared category of one difference of one object, or undefined. */
  function category(key: string, path: string, a: unknown, b: unknown): string | undefined {
    const [kind] = key.split('/');
    if (kind === 'ResourceQuota' && path.startsWith('spec.hard.')) return 'sizing: namespace quotas';
    if (kind === 'Keycloak' && path === 'spec.instances' && a === devKeycloak.instances && b === prodKeycloak.instances) return 'sizing: replicas';
    if (/^(Deployment|StatefulSet)$/.test(kind) && path === 'spec.replicas') {
      const name = key.split('/')[2];
      const declared = {
        'axiom-backend': [devApp.replicas.backend, prodApp.replicas.backend],
        keycloak: [devApp.replicas.keycloak, prodApp.replicas.keycloak],
      };
      if (JSON.stringify([a, b]) === JSON.stringify((declared as any)[name])) return 'sizing: replicas';
    }
    if (
      key === 'Cluster/dev-center/axiom-postgres' &&
      path === 'spec.storage.size' &&
      a === devApp.postgres.storage &&
      b === prodApp.postgres.storage
    )
      return 'sizing: database storage';
    if (
      key === 'StatefulSet/dev-center/minio' &&
      /resources\.requests\.storage$/.test(path) &&
      a === devApp.minioStorage &&
      b === prodApp.minioStorage
    )
      return 'sizing: object storage';
    // The log store's size follows `production` (the add-on's rule): demo on dev, pico in production.
    if (kind === 'LokiStack' && path === 'spec.size' && !dev.production && prod.production && a === '1x.demo' && b === '1x.pico')
      return 'sizing: production log store';
    if (kind === 'RoleBinding' && path.startsWith('subjects')) return 'rbac: namespace teams';
    if (/\.image$/.test(path) && typeof b === 'string' && b.includes('@sha256:') && String(a) === b.split('@')[0]) return 'images: digests';
    if (kind === 'Ingress' && /^(spec\.ingressClassName|spec\.tls|metadata\.annotations(\.cert-manager\.io\/cluster-issuer)?)$/.test(path))
      return 'access: public ingress class and certificates';
    if (path.endsWith('aws-load-balancer-scheme') && a === 'internal' && b === 'internet-facing') return 'access: internet-facing load balancer';
    // Grafana's links name its URL only where its UI is routed (private hosts).
    if (key === 'Grafana/monitoring/grafana' && path === 'spec.config.server' && b === undefined) return 'access: private routes';
    // ... and the private routes' targets no longer accept the gateway at all.
    if (kind === 'NetworkPolicy' && /^spec\.(ingress|policyTypes)/.test(path)) return 'access: private routes';
    return undefined;
  }

  it('has the same manifest files, apart from the add-ons one of them chooses and the tailnet access', () => {
    const devOnly = files('dev').filter((f) => !files('axiom-prod').includes(f));
    const prodOnly = files('axiom-prod').filter((f) => !files('dev').includes(f));
    expect(oneSided).toEqual(['actions-runner-controller', 'external-dns', 'tailscale-operator']);
    expect(oneSidedApps.map(appKey)).toEqual(['llm-inference.ai-platform', 'github-runners.ci', 'mlflow.ai-platform', 'metaflow.ai-platform']);
    expect(prodOnlyApps.map(appKey)).toEqual(['gatus.status']);
    expect(oneSidedDeclared).toEqual(['ci-build', 'status']);
    expect(devOnly).toEqual([
      'manifests/addons/actions-runner-controller.yaml',
      'manifests/addons/tailscale-operator.yaml',
      'manifests/apps/github-runners.ci.yaml',
      'manifests/apps/llm-inference.ai-platform.yaml',
      'manifests/apps/metaflow.ai-platform.yaml',
      'manifests/apps/mlflow.ai-platform.yaml',
      'manifests/private-access.yaml',
    ]);
    expect(prodOnly).toEqual(['manifests/addons/external-dns.yaml', 'manifests/apps/gatus.status.yaml']);
  });

  it('every other difference is one the environment files declare', () => {
    const seen = new Map<string, number>();
    const undeclared: string[] = [];
    const count = (c: string) => seen.set(c, (seen.get(c) ?? 0) + 1);
    for (const file of files('axiom-prod').filter((f) => files('dev').includes(f))) {
      const a = docs('dev', file, true);
      const b = docs('axiom-prod', file, false);
      for (const key of new Set([...a.keys(), ...b.keys()])) {
        if (!a.has(key) || !b.has(key)) {
          const cat = inOneSided(key)
            ? 'add-ons: chosen per environment'
            : inOneSidedApp(key)
              ? 'apps: chosen per environment'
              : !b.has(key) && (privateRoutes.has(key) || /\/team-edit$/.test(key))
                ? 'access or rbac: dev only'
                : undefined;
          // ACME HTTP-01 answers come from solver pods behind the public ingress, in every namespace.
          if (!a.has(key) && /^NetworkPolicy\/[^/]+\/acme-http01-solver-connections$/.test(key)) {
            count('access: ACME HTTP-01 solvers reachable');
            continue;
          }
          // The public environment's ACME issuer (HTTP-01 through the public ingress).
          const issuer =
            !a.has(key) && key === `ClusterIssuer//${prod.access.kind === 'ingress' ? prod.access.tls.clusterIssuer : ''}`
              ? 'access: ACME issuer'
              : undefined;
          const c = cat ?? issuer;
          if (c) seen.set(c, (seen.get(c) ?? 0) + 1);
          else undeclared.push(`${file}: ${key} only in ${a.has(key) ? 'dev' : 'axiom-prod'}`);
          continue;
        }
        const [x, y] = [structuredClone(a.get(key)!), structuredClone(b.get(key)!)];
        // A wave Job's name follows its pod template, whose differences are compared below.
        if (x.kind === 'Job') x.metadata.name = y.metadata.name = nameOf(x);
        if (x.kind === 'NetworkPolicy') {
          // Rules are a set: compare them as such, so one added rule is one difference, not a shifted list.
          for (const dir of ['ingress', 'egress'] as const) {
            const rules = (o: Doc) => ((o.spec[dir] ?? []) as unknown[]).map((r) => JSON.stringify(r));
            const [ra, rb] = [rules(x), rules(y)];
            const changed = [...ra.filter((r) => !rb.includes(r)), ...rb.filter((r) => !ra.includes(r))];
            for (const rule of changed) {
              const fromPublicIngress = dir === 'ingress' && rb.includes(rule) && rule.includes('"app.kubernetes.io/instance":"ingress-nginx"');
              const c = touchesOneSided(JSON.parse(rule))
                ? 'add-ons: chosen per environment'
                : fromPublicIngress
                  ? 'access: routes from the public ingress controller'
                  : undefined;
              if (c) count(c);
              else undeclared.push(`${file}: ${key} spec.${dir} rule only in ${ra.includes(rule) ? 'dev' : 'axiom-prod'}: ${rule}`);
            }
            delete x.spec[dir];
            delete y.spec[dir];
          }
        }
        for (const d of differences(x, y)) {
          const c = category(key, d.path, d.a, d.b);
          if (c) seen.set(c, (seen.get(c) ?? 0) + 1);
          else undeclared.push(`${file}: ${key} ${d.path}: ${JSON.stringify(d.a)} -> ${JSON.stringify(d.b)}`);
        }
      }
    }
    expect(undeclared).toEqual([]);
    // Each declared difference shows up: the proof is not vacuous.
    expect([...seen.keys()].sort()).toEqual(
      [
        'access or rbac: dev only',
        'access: ACME HTTP-01 solvers reachable',
        'access: ACME issuer',
        'access: internet-facing load balancer',
        'access: private routes',
        'access: public ingress class and certificates',
        'access: routes from the public ingress controller',
        'add-ons: chosen per environment',
        'apps: chosen per environment',
        'images: digests',
        'rbac: namespace teams',
        'sizing: database storage',
        'sizing: namespace quotas',
        'sizing: object storage',
        'sizing: production log store',
        'sizing: replicas',
      ].sort(),
    );
  });

  it('rejects what the files do not declare: other replicas, a changed chart, an undeclared image', () => {
    expect(category('Deployment/dev-center/axiom-backend', 'spec.replicas', devApp.replicas.backend, prodApp.replicas.backend + 1)).toBeUndefined();
    expect(category('Deployment/dev-center/redis', 'spec.replicas', 1, 2)).toBeUndefined();
    expect(category('Application/argocd/loki', 'spec.source.targetRevision', '6.24.0', '6.25.0')).toBeUndefined();
    expect(category('Deployment/dev-center/redis', 'spec.template.spec.containers.0.image', 'redis:7.4.1', 'redis:7.4.2')).toBeUndefined();
    expect(
      category('Deployment/dev-center/redis', 'spec.template.spec.containers.0.image', 'redis:7.4.1', 'redis:7.4.1@sha256:' + 'a'.repeat(64)),
    ).toBe('images: digests');
  });

  it('builds the same infrastructure: the same stacks and resources, apart from the tailnet and a NAT gateway per zone', () => {
    const stacks = (env: string) =>
      [...result.files.keys()]
        .filter((f) => f.startsWith(`${env}/terraform/`))
        .map((f) => f.split('/')[2])
        .sort();
    expect(stacks('dev')).toEqual([...stacks('axiom-prod'), 'tailnet'].sort());
    const counts = (env: string, stack: string) =>
      Object.fromEntries(Object.entries<any>(terraform(result, env, stack).resource ?? {}).map(([type, r]) => [type, Object.keys(r).length]));
    for (const stack of stacks('axiom-prod')) {
      const a = counts('dev', stack);
      const b = counts('axiom-prod', stack);
      if (stack === 'network') {
        // natGateways: single on dev, per-az on production (declared).
        const zones = prod.substrate.kind === 'eks' ? prod.substrate.availabilityZones.length : 0;
        expect([a.aws_nat_gateway, b.aws_nat_gateway]).toEqual([1, zones]);
        expect([a.aws_eip, b.aws_eip]).toEqual([1, zones]);
        for (const t of ['aws_nat_gateway', 'aws_eip', 'aws_route']) {
          delete a[t];
          delete b[t];
        }
      }
      if (stack === 'vault') {
        // Vault grants per reader: the tailnet operator and the private wildcard's DNS-01 token exist only with the tailnet.
        const names = (env: string, type: string) =>
          Object.values<any>(terraform(result, env, stack).resource[type]).map((r) => r.name ?? r.role_name);
        const devOnly = names('dev', 'vault_policy').filter((n) => !names('axiom-prod', 'vault_policy').includes(n));
        const appIdentities = oneSidedApps.map((x) => `${x.namespace}-${x.app}`);
        expect(devOnly.filter((n) => !appIdentities.includes(n)).sort()).toEqual(['cert-manager-dns01', 'tailscale-operator']);
        expect(devOnly.filter((n) => appIdentities.includes(n)).sort()).toEqual([...appIdentities].sort());
        // ... and external-dns's token exists only where dns: chose it.
        const prodOnly = names('axiom-prod', 'vault_policy').filter((n) => !names('dev', 'vault_policy').includes(n));
        expect(prodOnly).toEqual(['external-dns-external-dns', ...prodOnlyApps.map((x) => `${x.namespace}-${x.app}`)]);
        for (const t of ['vault_policy', 'vault_kubernetes_auth_backend_role']) {
          a[t] -= devOnly.length;
          b[t] -= prodOnly.length;
        }
        // The one-sided apps' own grants: their policy and role, generated secrets and database roles.
        for (const t of ['vault_kv_secret_v2', 'vault_database_secret_backend_role']) {
          const own = names('dev', t).filter((n) =>
            oneSidedApps.some((x) => n.startsWith(`${x.namespace}/${x.app}/`) || n.startsWith(`${x.namespace}-`)),
          );
          expect(own.length).toBeGreaterThan(0);
          a[t] -= own.length;
          b[t] -= names('axiom-prod', t).filter((n) =>
            prodOnlyApps.some((x) => n.startsWith(`${x.namespace}/${x.app}/`) || n.startsWith(`${x.namespace}-`)),
          ).length;
        }
      }
      if (stack === 'cluster') {
        // The one-sided CI runners' push identity: its role, policy, association and the repositories it pushes.
        const runners = dev.apps.find((x) => x.app === 'github-runners') as Extract<Environment['apps'][number], { app: 'github-runners' }>;
        const pushed = runners.pushes.length;
        for (const [t, n] of Object.entries({
          aws_iam_role: 1,
          aws_iam_role_policy: 1,
          aws_eks_pod_identity_association: 1,
          aws_ecr_repository: pushed,
          aws_ecr_lifecycle_policy: pushed,
        }))
          a[t] -= n;
        for (const t of ['aws_ecr_repository', 'aws_ecr_lifecycle_policy']) if (a[t] === 0) delete a[t];
      }
      expect({ stack, counts: b }).toEqual({ stack, counts: a });
    }
  });
});
