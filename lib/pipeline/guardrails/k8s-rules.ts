/* eslint-disable @typescript-eslint/no-explicit-any -- rules walk Kubernetes objects parsed from YAML (any kind, any CRD) and check each optional field where they read it. */
import { splitImageRef } from '../../core/util/image-ref';
import { K8sObject, PodTemplate, containersOf, objectRef, podTemplates } from '../../core/k8s-objects';
import { PLATFORM_TIER_LABEL } from '../../core/facts/waves';
import { ManifestContext, PolicyRule, Violation, podSecurityLevels } from './policy';

type Rule = PolicyRule<ManifestContext>;

function at(t: PodTemplate, path: string, message: string): Violation {
  return { target: objectRef(t.owner), path, message, file: t.owner.file };
}

/** Capabilities Pod Security "baseline" still allows to be added. */
const BASELINE_CAPABILITIES = [
  'AUDIT_WRITE',
  'CHOWN',
  'DAC_OVERRIDE',
  'FOWNER',
  'FSETID',
  'KILL',
  'MKNOD',
  'NET_BIND_SERVICE',
  'SETFCAP',
  'SETGID',
  'SETPCAP',
  'SETUID',
  'SYS_CHROOT',
];

export const podSecurity: Rule = {
  id: 'K8S-001',
  name: 'pod-security-restricted',
  severity: 'error',
  rationale: 'Pods must pass the Pod Security level their namespace enforces: restricted, or baseline for GPU namespaces (Arbitex on AKS design)',
  hint: 'runAsNonRoot: true, allowPrivilegeEscalation: false, capabilities.drop [ALL], seccompProfile RuntimeDefault; no privileged containers',
  check: ({ objects }) => {
    const levelOf = podSecurityLevels(objects);
    return podTemplates(objects).flatMap((t) => podSecurityProblems(t, levelOf(t.owner.metadata.namespace)).map((p) => at(t, p.path, p.message)));
  },
};

/**
 * Where a pod template fails a Pod Security level (none at privileged). Host namespaces and host
 * paths are K8S-006/K8S-007's concern in the guardrails; `hostAccess` adds them, as admission does.
 */
export function podSecurityProblems(t: PodTemplate, level: string, options: { hostAccess?: boolean } = {}): Array<{ path: string; message: string }> {
  if (level === 'privileged') return [];
  const out: Array<{ path: string; message: string }> = [];
  const add = (path: string, message: string) => out.push({ path, message });
  const pod = t.spec.securityContext ?? {};
  if (options.hostAccess) {
    for (const ns of ['hostNetwork', 'hostPID', 'hostIPC']) if (t.spec[ns]) add(`${t.path}.${ns}`, `${ns} is not allowed at ${level}`);
    (t.spec.volumes ?? []).forEach(
      (v: any, i: number) => v.hostPath && add(`${t.path}.volumes[${i}].hostPath`, `hostPath volumes are not allowed at ${level}`),
    );
  }
  for (const { container, path } of containersOf(t)) {
    const sc = container.securityContext ?? {};
    if (sc.privileged === true) add(`${path}.securityContext.privileged`, 'privileged container');
    const added: string[] = sc.capabilities?.add ?? [];
    const allowedAdds = level === 'restricted' ? ['NET_BIND_SERVICE'] : BASELINE_CAPABILITIES;
    for (const cap of added.filter((c) => !allowedAdds.includes(c)))
      add(`${path}.securityContext.capabilities.add`, `adds ${cap}, not allowed at ${level}`);
    if (level === 'restricted') {
      if (sc.allowPrivilegeEscalation !== false) add(`${path}.securityContext.allowPrivilegeEscalation`, 'must be false');
      if (!(sc.capabilities?.drop ?? []).includes('ALL')) add(`${path}.securityContext.capabilities.drop`, 'must drop ALL');
      if ((sc.runAsNonRoot ?? pod.runAsNonRoot) !== true) add(`${path}.securityContext.runAsNonRoot`, 'must be true (container or pod)');
      if ((sc.runAsUser ?? pod.runAsUser) === 0) add(`${path}.securityContext.runAsUser`, 'must not be 0');
      const seccomp = sc.seccompProfile?.type ?? pod.seccompProfile?.type;
      if (seccomp !== 'RuntimeDefault' && seccomp !== 'Localhost')
        add(`${path}.securityContext.seccompProfile.type`, 'must be RuntimeDefault or Localhost (container or pod)');
    }
  }
  return out;
}

export const resources: Rule = {
  id: 'K8S-002',
  name: 'resources-requests-limits',
  severity: 'error',
  rationale: 'Every container declares CPU and memory requests and limits for fair scheduling (Dev Center design)',
  hint: 'set resources.requests and resources.limits for cpu and memory (use a resource profile)',
  check: ({ objects }) =>
    podTemplates(objects).flatMap((t) =>
      containersOf(t).flatMap(({ container, path }) =>
        (['requests', 'limits'] as const).flatMap((kind) =>
          (['cpu', 'memory'] as const)
            .filter((r) => container.resources?.[kind]?.[r] === undefined)
            .map((r) => at(t, `${path}.resources.${kind}.${r}`, `missing ${r} ${kind === 'requests' ? 'request' : 'limit'}`)),
        ),
      ),
    ),
};

export const probes: Rule = {
  id: 'K8S-003',
  name: 'probes',
  severity: 'error',
  rationale: 'Long-running containers need readiness and liveness probes so rollouts and restarts are safe',
  hint: 'add readinessProbe and livenessProbe (httpGet on the health endpoint, or tcpSocket)',
  check: ({ objects }) =>
    podTemplates(objects)
      .filter((t) => t.longRunning)
      .flatMap((t) =>
        containersOf(t)
          .filter(({ init }) => !init)
          .flatMap(({ container, path }) =>
            (['readinessProbe', 'livenessProbe'] as const).filter((p) => !container[p]).map((p) => at(t, `${path}.${p}`, `missing ${p}`)),
          ),
      ),
};

export const imageTag: Rule = {
  id: 'K8S-004',
  name: 'image-pinned',
  severity: 'error',
  rationale: 'Untagged and :latest images change under the same manifest; a deploy must be reproducible',
  hint: 'use an immutable version tag or a digest (image@sha256:...)',
  check: ({ objects }) =>
    podTemplates(objects).flatMap((t) =>
      containersOf(t).flatMap(({ container, path }) => {
        const { tag, digest } = splitImageRef(String(container.image ?? ''));
        if (digest) return [];
        if (!tag) return [at(t, `${path}.image`, `"${container.image}" has neither tag nor digest`)];
        if (tag === 'latest') return [at(t, `${path}.image`, `"${container.image}" uses :latest`)];
        return [];
      }),
    ),
};

export const imageDigest: Rule = {
  id: 'K8S-005',
  name: 'image-digest',
  severity: 'error',
  rationale: 'Production pins images by digest so a re-pushed tag cannot change what runs (Arbitex on AKS design)',
  hint: 'reference images as repository@sha256:<digest> (set requireImageDigests only where it is enforced)',
  check: ({ env, objects }) =>
    !env.requireImageDigests
      ? []
      : podTemplates(objects).flatMap((t) =>
          containersOf(t)
            .filter(({ container }) => !splitImageRef(String(container.image ?? '')).digest?.startsWith('sha256:'))
            .map(({ container, path }) => at(t, `${path}.image`, `"${container.image}" is not pinned by digest`)),
        ),
};

export const hostNamespaces: Rule = {
  id: 'K8S-006',
  name: 'no-host-namespaces',
  severity: 'error',
  rationale: 'hostNetwork, hostPID and hostIPC break the isolation between a pod and its node',
  hint: 'remove hostNetwork/hostPID/hostIPC; expose ports through a Service',
  check: ({ objects }) =>
    podTemplates(objects).flatMap((t) =>
      (['hostNetwork', 'hostPID', 'hostIPC'] as const).filter((f) => t.spec[f] === true).map((f) => at(t, `${t.path}.${f}`, `${f}: true`)),
    ),
};

export const hostPath: Rule = {
  id: 'K8S-007',
  name: 'no-host-path',
  severity: 'error',
  rationale: 'hostPath volumes give pods the node filesystem',
  hint: 'use a PersistentVolumeClaim, emptyDir, configMap or secret volume',
  check: ({ objects }) =>
    podTemplates(objects).flatMap((t) =>
      (t.spec.volumes ?? []).flatMap((v: any, i: number) =>
        v.hostPath ? [at(t, `${t.path}.volumes[${i}].hostPath`, `volume "${v.name}" mounts host path ${v.hostPath.path}`)] : [],
      ),
    ),
};

function selects(selector: Record<string, string> | undefined, labels: Record<string, string>): boolean {
  return !!selector && Object.keys(selector).length > 0 && Object.entries(selector).every(([k, v]) => labels[k] === v);
}

export const disruptionBudget: Rule = {
  id: 'K8S-008',
  name: 'pdb-for-replicated-workloads',
  severity: 'error',
  rationale: 'A workload with more than one replica needs a PodDisruptionBudget to survive node drains',
  hint: 'add a PodDisruptionBudget selecting the pods (minAvailable or maxUnavailable)',
  check: ({ objects }) => {
    const pdbs = objects.filter((o) => o.kind === 'PodDisruptionBudget');
    return podTemplates(objects)
      .filter((t) => t.longRunning && t.owner.kind !== 'DaemonSet' && t.replicas > 1)
      .filter((t) => !pdbs.some((p) => p.metadata.namespace === t.owner.metadata.namespace && selects(p.spec?.selector?.matchLabels, t.labels)))
      .map((t) => at(t, 'spec.replicas', `${t.replicas} replicas and no PodDisruptionBudget selects them`));
  },
};

/**
 * Namespaces handed to teams and apps. The platform's own add-on namespaces (labelled
 * `parity.dev/tier: platform`, created only to exist before the root's sync and carry their Pod Security
 * level) hold third-party charts whose pods declare no requests; they get neither quota nor deny.
 */
function declaredNamespaces(ctx: ManifestContext) {
  return ctx.objects.filter((o) => o.kind === 'Namespace' && o.metadata.labels?.[PLATFORM_TIER_LABEL] !== 'platform');
}

export const namespaceDefaultDeny: Rule = {
  id: 'K8S-009',
  name: 'namespace-default-deny',
  severity: 'error',
  rationale: 'Every namespace starts closed: a default-deny NetworkPolicy for ingress and egress (Dev Center design)',
  hint: 'declare the namespace in the environment file (PlatformNamespace adds default-deny-all)',
  check: (ctx) =>
    declaredNamespaces(ctx)
      .filter(
        (ns) =>
          !ctx.objects.some(
            (p) =>
              p.kind === 'NetworkPolicy' &&
              p.metadata.namespace === ns.metadata.name &&
              Object.keys(p.spec?.podSelector ?? { x: 1 }).length === 0 &&
              ['Ingress', 'Egress'].every((t) => (p.spec?.policyTypes ?? []).includes(t)) &&
              !p.spec?.ingress &&
              !p.spec?.egress,
          ),
      )
      .map((ns) => ({
        target: objectRef(ns),
        path: 'metadata.name',
        message: 'no default-deny NetworkPolicy for ingress and egress',
        file: ns.file,
      })),
};

export const namespaceQuota: Rule = {
  id: 'K8S-010',
  name: 'namespace-quota',
  severity: 'error',
  rationale: 'Every namespace has a ResourceQuota so one team cannot starve the cluster (Dev Center design)',
  hint: 'declare the namespace with a quota in the environment file',
  check: (ctx) =>
    declaredNamespaces(ctx)
      .filter((ns) => !ctx.objects.some((q) => q.kind === 'ResourceQuota' && q.metadata.namespace === ns.metadata.name))
      .map((ns) => ({ target: objectRef(ns), path: 'metadata.name', message: 'no ResourceQuota', file: ns.file })),
};

export const workloadNamespaceDeclared: Rule = {
  id: 'K8S-011',
  name: 'workload-namespace-declared',
  severity: 'error',
  rationale: 'Workloads run only in namespaces the platform declares, so quota, limits and network policy apply',
  hint: 'add the namespace to `namespaces:` in the environment file',
  check: (ctx) => {
    const declared = new Set(declaredNamespaces(ctx).map((n) => n.metadata.name));
    return podTemplates(ctx.objects)
      .filter((t) => !declared.has(t.owner.metadata.namespace))
      .map((t) => at(t, 'metadata.namespace', `namespace "${t.owner.metadata.namespace ?? 'default'}" is not declared in this environment`));
  },
};

/** Secrets each object produces in its namespace (External Secrets, Key Vault CSI, operators, cert-manager). */
function producedSecrets(o: K8sObject): string[] {
  switch (o.kind) {
    case 'ExternalSecret':
      return [o.spec?.target?.name ?? o.metadata.name];
    case 'SecretProviderClass':
      return (o.spec?.secretObjects ?? []).map((s: any) => s.secretName);
    case 'Certificate':
      return [o.spec?.secretName];
    case 'Cluster':
      return o.apiVersion?.startsWith('postgresql.cnpg.io/') ? [`${o.metadata.name}-app`] : [];
    case 'Ingress':
      return o.metadata.annotations?.['cert-manager.io/cluster-issuer'] ? (o.spec?.tls ?? []).map((t: any) => t.secretName) : [];
    default:
      return [];
  }
}

/** Secrets a pod template reads: env, envFrom, volumes, image pull secrets. */
function referencedSecrets(t: PodTemplate): Array<{ name: string; path: string }> {
  const refs: Array<{ name: string; path: string }> = [];
  containersOf(t).forEach(({ container, path }) => {
    (container.envFrom ?? []).forEach(
      (e: any, i: number) => e.secretRef && refs.push({ name: e.secretRef.name, path: `${path}.envFrom[${i}].secretRef` }),
    );
    (container.env ?? []).forEach(
      (e: any, i: number) =>
        e.valueFrom?.secretKeyRef && refs.push({ name: e.valueFrom.secretKeyRef.name, path: `${path}.env[${i}].valueFrom.secretKeyRef` }),
    );
  });
  (t.spec.volumes ?? []).forEach((v: any, i: number) => v.secret && refs.push({ name: v.secret.secretName, path: `${t.path}.volumes[${i}].secret` }));
  (t.spec.imagePullSecrets ?? []).forEach((s: any, i: number) => refs.push({ name: s.name, path: `${t.path}.imagePullSecrets[${i}]` }));
  return refs;
}

export const secretProvenance: Rule = {
  id: 'K8S-012',
  name: 'secret-provenance',
  severity: 'error',
  rationale:
    'Every Secret a workload reads is produced by the platform (Vault via External Secrets, Key Vault CSI, an operator), never created by hand',
  hint: "declare the secret in the app's vaultSecrets (ExternalSecret) or keyVault (SecretProviderClass)",
  check: ({ objects, terraformObjects = [] }) => {
    const produced = new Set([...objects, ...terraformObjects].flatMap((o) => producedSecrets(o).map((name) => `${o.metadata.namespace}/${name}`)));
    return podTemplates(objects).flatMap((t) =>
      referencedSecrets(t)
        .filter((r) => !produced.has(`${t.owner.metadata.namespace}/${r.name}`))
        .map((r) =>
          at(
            t,
            r.path,
            `Secret "${r.name}" is not produced by an ExternalSecret, SecretProviderClass, Certificate or operator in ${t.owner.metadata.namespace}`,
          ),
        ),
    );
  },
};

/**
 * CloudNativePG clusters Vault's database engine logs in to (a managed role named `vault`): their owner
 * Secret (`<cluster>-app`) holds a password that never changes, where Vault could issue a login per lease.
 */
export const staticDatabaseLogin: Rule = {
  id: 'K8S-013',
  name: 'no-static-database-login',
  severity: 'error',
  rationale:
    "A workload logs in to a database with a login Vault's database engine issues and rotates, not the owner's static password (Axiom design: access follows people joining and leaving)",
  hint: 'read the Secret of a VaultDatabaseCredentials (<cluster>-vault-creds) and list it in rotatedSecrets',
  check: ({ objects }) => {
    const vaulted = new Set(
      objects
        .filter((o) => o.kind === 'Cluster' && o.apiVersion?.startsWith('postgresql.cnpg.io/'))
        .filter((o) => ((o as any).spec?.managed?.roles ?? []).some((r: any) => r.name === 'vault' && r.ensure !== 'absent'))
        .map((o) => `${o.metadata.namespace}/${o.metadata.name}-app`),
    );
    const rendered = podTemplates(objects).flatMap((t) =>
      referencedSecrets(t)
        .filter((r) => vaulted.has(`${t.owner.metadata.namespace}/${r.name}`))
        .map((r) => at(t, r.path, `reads the static owner login "${r.name}" of a database Vault issues logins for`)),
    );
    // A chart's pods read what its values name (existingSecret and the like) in its release namespace.
    const charted = objects
      .filter((o) => o.kind === 'Application' && o.apiVersion?.startsWith('argoproj.io/'))
      .flatMap((o: any) =>
        stringsIn(o.spec?.source?.helm?.valuesObject, 'spec.source.helm.valuesObject')
          .filter((v) => vaulted.has(`${o.spec?.destination?.namespace}/${v.value}`))
          .map((v) => ({
            target: objectRef(o),
            path: v.path,
            message: `the chart's values name the static owner login "${v.value}" of a database Vault issues logins for`,
            file: o.file,
          })),
      );
    return [...rendered, ...charted];
  },
};

/** Every string in a parsed YAML value, with its path. */
function stringsIn(value: unknown, path: string): Array<{ path: string; value: string }> {
  if (typeof value === 'string') return [{ path, value }];
  if (Array.isArray(value)) return value.flatMap((v, i) => stringsIn(v, `${path}[${i}]`));
  if (value && typeof value === 'object') return Object.entries(value).flatMap(([k, v]) => stringsIn(v, `${path}.${k}`));
  return [];
}

export const MANIFEST_RULES: ReadonlyArray<Rule> = [
  podSecurity,
  resources,
  probes,
  imageTag,
  imageDigest,
  hostNamespaces,
  hostPath,
  disruptionBudget,
  namespaceDefaultDeny,
  namespaceQuota,
  workloadNamespaceDeclared,
  secretProvenance,
  staticDatabaseLogin,
];
