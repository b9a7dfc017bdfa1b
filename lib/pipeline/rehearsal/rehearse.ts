import { rehearseTerraform } from './terraform';
import type { RehearsalInput } from './input';
/* eslint-disable @typescript-eslint/no-explicit-any -- the rehearsal reads Kubernetes objects parsed from YAML (any kind, any CRD), checking each optional field where it reads it. */
import { Finding } from '../guardrails/finding';
import { podSecurityProblems } from '../guardrails/k8s-rules';
import { K8sObject, apiGroup, containersOf, objectRef, podTemplates } from '../../core/k8s-objects';
import { ChartFacts, POD_SECURITY_ORDER, PodSecurityLevel } from '../../core/facts/chart-facts';
import { chartCrdSizes } from '../../core/charts/vendored';
import { APPLICATION_HEALTH_KEY } from '../../../addons/argo-cd';
import { BUILT_IN_GROUPS, PREEXISTING_NAMESPACES, SKIP_DRY_RUN, SYNC_OPTIONS_ANNOTATION } from '../../../stacks/platform-manifests';
import { REHEARSAL_RULES, RuleId } from './rules';
import { webhookOrderFindings } from './webhooks';
import { networkFindings, serviceHostsIn } from './connection-checks';
import { schedulingFindings } from './scheduling-checks';
import { operatorOutputs } from './operator-outputs';

import { BEFORE_SYNC, NEVER, Time, applyTime, describeTime, endOfWave, isHook, waveOf } from './timeline';

type Provided = { readonly at: Time; readonly by: string; readonly standIn?: StandIn };

/**
 * Something the environment creates outside the manifests (the cluster, a chart, Argo CD), in a form a
 * live rehearsal can create in its place: a namespace, a StorageClass, an IngressClass, or a CRD by kind.
 */
export type StandIn =
  | { readonly kind: 'Namespace'; readonly name: string }
  | { readonly kind: 'StorageClass'; readonly name: string; readonly provisioner: string }
  | { readonly kind: 'IngressClass'; readonly name: string }
  | { readonly kind: 'CustomResourceDefinition'; readonly group: string; readonly names: string }
  /** An object the bootstrap stack writes from the cluster stack's outputs (a ServiceAccount, a SecretProviderClass). */
  | { readonly kind: 'Object'; readonly manifest: K8sObject };

/** A bound object as the cluster will hold it, with a stand-in where the cluster stack's client ID goes. */
function boundStandIn(manifest: K8sObject, clientIds: ReadonlyArray<{ readonly path: ReadonlyArray<string>; readonly identity: string }>): K8sObject {
  const copy = JSON.parse(JSON.stringify(manifest));
  for (const { path } of clientIds) {
    let at = copy;
    for (const k of path.slice(0, -1)) at = at[k] ??= {};
    at[path[path.length - 1]] = '00000000-0000-0000-0000-000000000000';
  }
  return copy;
}

/** When something the environment provides comes into being during the first sync, and who makes it. */
export interface Provision {
  readonly at: Time;
  readonly by: string;
  readonly standIn: StandIn;
}

export type { RehearsalInput } from './input';

const CLUSTER_SCOPED = new Set([
  'Namespace',
  'ClusterRole',
  'ClusterRoleBinding',
  'StorageClass',
  'IngressClass',
  'CustomResourceDefinition',
  'PersistentVolume',
  'ClusterIssuer',
  'ClusterSecretStore',
  'Connector',
  'EC2NodeClass',
  'NodePool',
  'PriorityClass',
  'APIService',
]);

/**
 * Replays the first deploy of an environment on an empty cluster: the Terraform stacks and the
 * bootstrap charts exist, then the root Application syncs. Every place where convergence would stop
 * is a finding naming the object, what is missing, who should produce it and how to fix it.
 */
export class Rehearsal {
  private readonly findings: Finding[] = [];
  private readonly provided = new Map<string, Provided>();
  private readonly env: string;
  private readonly appHealthChecked: boolean;

  constructor(private readonly input: RehearsalInput) {
    this.env = input.model.env.name;
    const argo = input.objects.find((o) => o.kind === 'Application' && o.metadata.name === 'argo-cd');
    this.appHealthChecked = Boolean(argo?.spec?.source?.helm?.valuesObject?.configs?.cm?.[APPLICATION_HEALTH_KEY]);
  }

  run(): Finding[] {
    this.collectProviders();
    this.checkApplicationHealth();
    for (const o of this.input.objects) {
      this.checkNamespace(o);
      this.checkCustomResource(o);
      this.checkReferences(o);
    }
    this.checkChartSecrets();
    this.checkPodSecurity();
    schedulingFindings(this.input, (rule, target, path, message) => this.report(rule, target, path, message));
    this.checkStorage();
    networkFindings(this.input, this.env, (rule, target, path, message) => this.report(rule, target, path, message));
    this.checkHostnames();
    this.checkJobs();
    this.checkStatefulSets();
    this.checkSelectors();
    this.checkStackOrder();
    this.checkProbes();
    this.checkControlPlane();
    this.checkBlockedHealth();
    this.checkCrdApply();
    for (const f of webhookOrderFindings(this.input.objects)) this.report('REH-025', f.object, f.path, f.message);
    return this.findings.sort((a, b) => (a.ruleId + a.target + a.path < b.ruleId + b.target + b.path ? -1 : 1));
  }

  // ---------------------------------------------------------------- providers

  private provide(key: string, at: Time, by: string, standIn?: StandIn): void {
    const existing = this.provided.get(key);
    if (!existing || at < existing.at) this.provided.set(key, { at, by, standIn });
  }

  /** What the cluster, its charts and Argo CD provide before or during the sync, earliest first: the live rehearsal creates these. */
  provisions(): Provision[] {
    if (this.provided.size === 0) this.collectProviders();
    return [...this.provided.values()].filter((p): p is Provision => p.standIn !== undefined && p.at !== NEVER).sort((a, b) => a.at - b.at);
  }

  /** The child Applications and what their charts deploy, at the end of their wave (if the root waits for them). */
  private applications(): Array<{ app: K8sObject; facts: ChartFacts; namespace: string; ready: Time }> {
    const bootstrapped = new Set(['argo-cd', ...this.input.model.substrate.bootstrapCharts(this.input.model.env).map((c) => c.name)]);
    return this.input.objects
      .filter((o) => o.kind === 'Application' && !o.metadata.name?.endsWith('-root'))
      .map((app) => {
        const name = app.metadata.name!;
        const ready = bootstrapped.has(name) ? BEFORE_SYNC : this.appHealthChecked ? endOfWave(app) : NEVER;
        return { app, facts: this.input.model.platform.applicationFacts.get(name) ?? {}, namespace: app.spec?.destination?.namespace, ready };
      });
  }

  private collectProviders(): void {
    const { model } = this.input;
    const cluster = model.substrate.clusterFacts(model.env);
    const crd = (group: string, kind: string, at: Time, by: string) =>
      this.provide(`crd/${group}/${kind}`, at, by, { kind: 'CustomResourceDefinition', group, names: kind });
    for (const ns of PREEXISTING_NAMESPACES)
      this.provide(`Namespace//${ns}`, BEFORE_SYNC, 'the cluster (or the bootstrap stack)', { kind: 'Namespace', name: ns });
    crd('argoproj.io', 'Application', BEFORE_SYNC, 'the bootstrap stack (Argo CD)');
    crd('argoproj.io', 'AppProject', BEFORE_SYNC, 'the bootstrap stack (Argo CD)');
    for (const c of cluster.crds(this.input.stacks))
      for (const k of c.kinds) crd(c.group, k, BEFORE_SYNC, `${model.substrate.title} (cluster stack)`);
    const provisioners = new Set(cluster.provisioners(this.input.stacks));
    for (const sc of cluster.storageClasses)
      if (provisioners.has(sc.provisioner))
        this.provide(`StorageClass//${sc.name}`, BEFORE_SYNC, `${model.substrate.title}`, { kind: 'StorageClass', ...sc });

    // Objects the bootstrap stack writes from the cluster stack's outputs, and their namespaces.
    const bound = model.platform.infrastructureBound.map((b) => boundStandIn(b.manifest as K8sObject, b.clientIds));
    for (const ns of new Set(bound.map((o) => o.metadata.namespace).filter((n): n is string => !!n)))
      this.provide(`Namespace//${ns}`, BEFORE_SYNC, 'the bootstrap stack', { kind: 'Namespace', name: ns });
    for (const o of bound)
      this.provide(`${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`, BEFORE_SYNC, 'the bootstrap stack (cluster stack outputs)', {
        kind: 'Object',
        manifest: o,
      });

    for (const { app, facts, namespace, ready } of this.applications()) {
      const by = `Application ${app.metadata.name}`;
      // Argo CD creates the destination namespace when the child syncs, i.e. within the child's wave.
      if ((app.spec?.syncPolicy?.syncOptions ?? []).includes('CreateNamespace=true'))
        this.provide(`Namespace//${namespace}`, endOfWave(app), `${by} (CreateNamespace)`, { kind: 'Namespace', name: namespace });
      for (const c of facts.crds ?? []) for (const k of c.kinds) crd(c.group, k, ready, by);
      for (const s of facts.services ?? []) this.provide(`Service/${s.namespace ?? namespace}/${s.name}`, ready, by);
      for (const s of facts.secrets ?? []) this.provide(`Secret/${s.includes('/') ? s : `${namespace}/${s}`}`, ready, by);
      for (const s of facts.storageClasses ?? [])
        this.provide(`StorageClass//${s.name}`, ready, `${by} (provisioner ${s.provisioner})`, { kind: 'StorageClass', ...s });
      for (const c of facts.ingressClasses ?? []) this.provide(`IngressClass//${c}`, ready, by, { kind: 'IngressClass', name: c });
    }

    for (const o of [...this.input.objects, ...bound]) {
      const ns = o.metadata.namespace ?? '';
      const isBound = bound.includes(o);
      const at = isBound ? BEFORE_SYNC : applyTime(o);
      const ready = isBound ? BEFORE_SYNC : endOfWave(o);
      const by = objectRef(o);
      this.provide(`${o.kind}/${CLUSTER_SCOPED.has(o.kind) ? '' : ns}/${o.metadata.name}`, at, by);
      if (o.kind === 'CustomResourceDefinition') for (const v of [o.spec?.names?.kind]) this.provide(`crd/${o.spec?.group}/${v}`, at, by);
      if (o.kind === 'Certificate') this.provide(`Secret/${ns}/${o.spec?.secretName}`, ready, `${by} (cert-manager)`);
      if (o.kind === 'ExternalSecret') this.provide(`Secret/${ns}/${o.spec?.target?.name ?? o.metadata.name}`, ready, `${by} (External Secrets)`);
      const made = operatorOutputs(o);
      if (made) {
        for (const s of made.secrets) this.provide(`Secret/${ns}/${o.metadata.name}${s}`, ready, `${by} (${made.operator})`);
        for (const s of made.services) this.provide(`Service/${ns}/${o.metadata.name}${s.suffix}`, ready, `${by} (${made.operator})`);
      }
      if (o.kind === 'SecretProviderClass') {
        const mounted = podTemplates(this.input.objects).some((t) =>
          (t.spec.volumes ?? []).some((v: any) => v.csi?.volumeAttributes?.secretProviderClass === o.metadata.name),
        );
        for (const so of o.spec?.secretObjects ?? [])
          if (mounted) this.provide(`Secret/${ns}/${so.secretName}`, ready, `${by} (Secrets Store CSI, synced when a pod mounts it)`);
      }
    }
  }

  private lookup(key: string): Provided | undefined {
    return this.provided.get(key);
  }

  // ---------------------------------------------------------------- findings

  private report(rule: RuleId, o: K8sObject | string, path: string, message: string, file?: string): void {
    const target = typeof o === 'string' ? o : objectRef(o);
    this.findings.push({
      ruleId: rule,
      severity: 'error',
      environment: this.env,
      target,
      path,
      message,
      hint: REHEARSAL_RULES[rule].hint,
      file: typeof o === 'string' ? file : o.file,
    });
  }

  /** A reference must be produced no later than `needed`; reports what is missing and who would produce it. */
  private require(rule: RuleId, o: K8sObject, path: string, key: string, needed: Time, what: string): void {
    const p = this.lookup(key);
    if (!p) {
      this.report(rule, o, path, `${what} is produced by nothing in this environment (no object, chart, operator or controller creates it)`);
    } else if (p.at > needed) {
      this.report(rule, o, path, `${what} is produced by ${p.by} at ${describeTime(p.at)}, but is needed at ${describeTime(needed)}`);
    }
  }

  // ---------------------------------------------------------------- rules

  private checkApplicationHealth(): void {
    if (this.appHealthChecked) return;
    const children = this.applications().filter((a) => a.ready === NEVER);
    if (children.length === 0) return;
    const argo = this.input.objects.find((o) => o.kind === 'Application' && o.metadata.name === 'argo-cd');
    this.report(
      'REH-002',
      argo ?? `Application/argocd/argo-cd`,
      `spec.source.helm.valuesObject.configs.cm["${APPLICATION_HEALTH_KEY}"]`,
      `no health check for Applications: the root's waves do not wait for ${children.length} child Applications (${children.map((c) => c.app.metadata.name).join(', ')}) to be healthy`,
    );
  }

  private checkNamespace(o: K8sObject): void {
    const ns = o.metadata.namespace;
    if (!ns || CLUSTER_SCOPED.has(o.kind)) return;
    this.require('REH-003', o, 'metadata.namespace', `Namespace//${ns}`, applyTime(o) - 1, `namespace ${ns}`);
  }

  private checkCustomResource(o: K8sObject): void {
    const group = apiGroup(o.apiVersion);
    if (BUILT_IN_GROUPS.has(group)) return;
    const key = `crd/${group}/${o.kind}`;
    this.require('REH-001', o, 'apiVersion', key, applyTime(o) - 1, `the CRD of ${o.kind}.${group}`);
    const p = this.lookup(key);
    const skip = (o.metadata.annotations?.[SYNC_OPTIONS_ANNOTATION] ?? '').includes(SKIP_DRY_RUN);
    if (p && p.at > BEFORE_SYNC && !skip) {
      this.report(
        'REH-001',
        o,
        `metadata.annotations["${SYNC_OPTIONS_ANNOTATION}"]`,
        `the CRD of ${o.kind}.${group} does not exist when the sync starts (${p.by} installs it), so the dry run of the whole sync fails`,
      );
    }
  }

  /** Everything a pod or an object names that must exist: Secrets, ConfigMaps, ServiceAccounts, issuers, stores, classes. */
  private checkReferences(o: K8sObject): void {
    const ns = o.metadata.namespace ?? '';
    // Hooks run before the rest of their phase: what they read must exist when they start.
    const needed = isHook(o) ? applyTime(o) : endOfWave(o);
    for (const t of podTemplates([o])) {
      const spec = t.spec;
      if (spec.serviceAccountName && spec.serviceAccountName !== 'default') {
        this.require(
          'REH-004',
          o,
          `${t.path}.serviceAccountName`,
          `ServiceAccount/${ns}/${spec.serviceAccountName}`,
          needed,
          `ServiceAccount ${ns}/${spec.serviceAccountName}`,
        );
      }
      for (const { container, path } of containersOf(t)) {
        for (const [i, e] of (container.env ?? []).entries()) {
          const ref = e.valueFrom?.secretKeyRef;
          if (ref && !ref.optional) this.require('REH-004', o, `${path}.env[${i}]`, `Secret/${ns}/${ref.name}`, needed, `Secret ${ns}/${ref.name}`);
          const cm = e.valueFrom?.configMapKeyRef;
          if (cm && !cm.optional) this.require('REH-004', o, `${path}.env[${i}]`, `ConfigMap/${ns}/${cm.name}`, needed, `ConfigMap ${ns}/${cm.name}`);
        }
        for (const [i, e] of (container.envFrom ?? []).entries()) {
          if (e.secretRef && !e.secretRef.optional)
            this.require('REH-004', o, `${path}.envFrom[${i}]`, `Secret/${ns}/${e.secretRef.name}`, needed, `Secret ${ns}/${e.secretRef.name}`);
          if (e.configMapRef && !e.configMapRef.optional)
            this.require(
              'REH-004',
              o,
              `${path}.envFrom[${i}]`,
              `ConfigMap/${ns}/${e.configMapRef.name}`,
              needed,
              `ConfigMap ${ns}/${e.configMapRef.name}`,
            );
        }
      }
      for (const [i, v] of (spec.volumes ?? []).entries()) {
        if (v.secret && !v.secret.optional)
          this.require('REH-004', o, `${t.path}.volumes[${i}]`, `Secret/${ns}/${v.secret.secretName}`, needed, `Secret ${ns}/${v.secret.secretName}`);
        if (v.configMap && !v.configMap.optional)
          this.require('REH-004', o, `${t.path}.volumes[${i}]`, `ConfigMap/${ns}/${v.configMap.name}`, needed, `ConfigMap ${ns}/${v.configMap.name}`);
        const spc = v.csi?.volumeAttributes?.secretProviderClass;
        if (spc)
          this.require('REH-004', o, `${t.path}.volumes[${i}]`, `SecretProviderClass/${ns}/${spc}`, needed, `SecretProviderClass ${ns}/${spc}`);
      }
    }
    const issuer = o.metadata.annotations?.['cert-manager.io/cluster-issuer'];
    if (issuer)
      this.require(
        'REH-004',
        o,
        'metadata.annotations["cert-manager.io/cluster-issuer"]',
        `ClusterIssuer//${issuer}`,
        endOfWave(o),
        `ClusterIssuer ${issuer}`,
      );
    if (o.kind === 'Certificate') {
      const ref = o.spec?.issuerRef ?? {};
      const key = (ref.kind ?? 'Issuer') === 'ClusterIssuer' ? `ClusterIssuer//${ref.name}` : `Issuer/${ns}/${ref.name}`;
      this.require('REH-004', o, 'spec.issuerRef', key, endOfWave(o), `${ref.kind ?? 'Issuer'} ${ref.name}`);
    }
    if (o.kind === 'ClusterIssuer') {
      // cert-manager reads a ClusterIssuer's Secrets from its own namespace.
      const secrets: Array<[string, string]> = [];
      if (o.spec?.ca?.secretName) secrets.push(['spec.ca.secretName', o.spec.ca.secretName]);
      for (const [i, s] of (o.spec?.acme?.solvers ?? []).entries()) {
        const token = s.dns01?.cloudflare?.apiTokenSecretRef?.name;
        if (token) secrets.push([`spec.acme.solvers[${i}].dns01.cloudflare.apiTokenSecretRef`, token]);
        const key = s.dns01?.cloudDNS?.serviceAccountSecretRef?.name;
        if (key) secrets.push([`spec.acme.solvers[${i}].dns01.cloudDNS.serviceAccountSecretRef`, key]);
      }
      for (const [path, name] of secrets) this.require('REH-004', o, path, `Secret/cert-manager/${name}`, NEVER - 1, `Secret cert-manager/${name}`);
    }
    if (o.kind === 'ExternalSecret') {
      // Secrets from a store, or (dataFrom) from generators: each source must exist by the end of its wave.
      const generators = ((o.spec?.dataFrom ?? []) as any[]).flatMap((d, i) => (d.sourceRef?.generatorRef ? [[i, d.sourceRef.generatorRef]] : []));
      for (const [i, g] of generators)
        this.require('REH-004', o, `spec.dataFrom[${i}].sourceRef.generatorRef`, `${g.kind}/${ns}/${g.name}`, endOfWave(o), `${g.kind} ${g.name}`);
      if (o.spec?.secretStoreRef || generators.length === 0) {
        const ref = o.spec?.secretStoreRef ?? {};
        const key = ref.kind === 'ClusterSecretStore' ? `ClusterSecretStore//${ref.name}` : `SecretStore/${ns}/${ref.name}`;
        this.require('REH-004', o, 'spec.secretStoreRef', key, endOfWave(o), `${ref.kind ?? 'SecretStore'} ${ref.name}`);
      }
    }
    if (o.kind === 'VaultDynamicSecret') {
      // A namespaced generator logs in with an account of its namespace and reads Vault's CA from there.
      const sa = o.spec?.provider?.auth?.kubernetes?.serviceAccountRef?.name;
      if (sa)
        this.require(
          'REH-004',
          o,
          'spec.provider.auth.kubernetes.serviceAccountRef',
          `ServiceAccount/${ns}/${sa}`,
          endOfWave(o),
          `ServiceAccount ${ns}/${sa}`,
        );
      const ca = o.spec?.provider?.caProvider;
      if (ca?.type === 'Secret')
        this.require('REH-004', o, 'spec.provider.caProvider', `Secret/${ns}/${ca.name}`, endOfWave(o), `Secret ${ns}/${ca.name}`);
    }
    if (o.kind === 'ClusterSecretStore' || o.kind === 'SecretStore') {
      const ca = o.spec?.provider?.vault?.caProvider;
      if (ca?.type === 'Secret')
        this.require(
          'REH-004',
          o,
          'spec.provider.vault.caProvider',
          `Secret/${ca.namespace ?? ns}/${ca.name}`,
          NEVER - 1,
          `Secret ${ca.namespace ?? ns}/${ca.name}`,
        );
      // The store logs in to Vault with this account's token: until it exists, no ExternalSecret of the
      // store's wave turns healthy, and the account's own (later) wave never comes.
      const sa = o.spec?.provider?.vault?.auth?.kubernetes?.serviceAccountRef;
      if (sa?.name) {
        const saNs = sa.namespace ?? ns;
        this.require(
          'REH-004',
          o,
          'spec.provider.vault.auth.kubernetes.serviceAccountRef',
          `ServiceAccount/${saNs}/${sa.name}`,
          endOfWave(o),
          `ServiceAccount ${saNs}/${sa.name}`,
        );
      }
    }
    if (o.kind === 'Ingress' && o.spec?.ingressClassName) {
      this.require(
        'REH-004',
        o,
        'spec.ingressClassName',
        `IngressClass//${o.spec.ingressClassName}`,
        endOfWave(o),
        `IngressClass ${o.spec.ingressClassName}`,
      );
    }
  }

  /**
   * Secrets a chart's pods read but the chart does not create: produced no later than the chart's own
   * wave, or its pods never start, its Application never turns healthy and the producer's wave never comes.
   */
  private checkChartSecrets(): void {
    for (const { app, facts, namespace, ready } of this.applications()) {
      if (ready === BEFORE_SYNC) continue;
      for (const w of facts.workloads ?? []) {
        const ns = w.namespace ?? namespace;
        for (const name of w.readsSecrets ?? [])
          this.require(
            'REH-004',
            app,
            `chart workload ${w.name}`,
            `Secret/${ns}/${name}`,
            endOfWave(app),
            `Secret ${ns}/${name} (read by the chart's ${w.name})`,
          );
      }
    }
  }

  /** Pod Security admission of every pod, rendered or chart-made, against its namespace's enforced level. */
  private checkPodSecurity(): void {
    const levelOf = (ns: string): PodSecurityLevel => {
      const o = this.input.objects.find((x) => x.kind === 'Namespace' && x.metadata.name === ns);
      return (o?.metadata.labels?.['pod-security.kubernetes.io/enforce'] as PodSecurityLevel) ?? 'privileged';
    };
    const rank = (l: PodSecurityLevel) => POD_SECURITY_ORDER.indexOf(l);
    for (const t of podTemplates(this.input.objects)) {
      const ns = t.owner.metadata.namespace ?? '';
      const problems = podSecurityProblems(t, levelOf(ns), { hostAccess: true });
      if (problems.length) {
        this.report(
          'REH-005',
          t.owner,
          problems[0].path,
          `namespace ${ns} enforces Pod Security "${levelOf(ns)}" and admission rejects its pods: ${problems.map((p) => p.message).join('; ')}`,
        );
      }
    }
    for (const { app, facts, namespace } of this.applications()) {
      for (const w of facts.workloads ?? []) {
        const ns = w.namespace ?? namespace;
        if (rank(w.podSecurity) > rank(levelOf(ns))) {
          this.report(
            'REH-005',
            app,
            `chart workload ${w.name}`,
            `the chart's ${w.kind} ${w.name} needs Pod Security "${w.podSecurity}" (${w.podSecurityReason ?? 'chart default'}) but namespace ${ns} enforces "${levelOf(ns)}": admission rejects its pods`,
          );
        }
      }
    }
  }

  private checkStorage(): void {
    const claims: Array<{ o: K8sObject; path: string; cls: string | undefined }> = [];
    for (const o of this.input.objects) {
      if (o.kind === 'PersistentVolumeClaim') claims.push({ o, path: 'spec.storageClassName', cls: o.spec?.storageClassName });
      if (o.kind === 'StatefulSet')
        (o.spec?.volumeClaimTemplates ?? []).forEach((v: any, i: number) =>
          claims.push({ o, path: `spec.volumeClaimTemplates[${i}].spec.storageClassName`, cls: v.spec?.storageClassName }),
        );
      if (o.kind === 'Cluster' && apiGroup(o.apiVersion) === 'postgresql.cnpg.io')
        claims.push({ o, path: 'spec.storage.storageClass', cls: o.spec?.storage?.storageClass });
    }
    const defaultClass = [...this.provided.keys()].find(
      (k) =>
        k.startsWith('StorageClass//') &&
        this.input.objects.some(
          (o) =>
            o.kind === 'StorageClass' &&
            `StorageClass//${o.metadata.name}` === k &&
            o.metadata.annotations?.['storageclass.kubernetes.io/is-default-class'] === 'true',
        ),
    );
    for (const { o, path, cls } of claims) {
      const key = cls ? `StorageClass//${cls}` : defaultClass;
      if (!key) this.report('REH-007', o, path, 'claims storage without a class and the cluster has no default StorageClass');
      else this.require('REH-007', o, path, key, endOfWave(o), `StorageClass ${key.slice('StorageClass//'.length)} (with a running provisioner)`);
    }
    for (const { app, facts, namespace } of this.applications()) {
      for (const w of facts.workloads ?? []) {
        for (const c of w.claims ?? []) {
          const p = this.lookup(`StorageClass//${c.storageClass}`);
          if (!p)
            this.report(
              'REH-007',
              app,
              `chart workload ${w.name}`,
              `its ${c.size} claim in ${w.namespace ?? namespace} asks for StorageClass ${c.storageClass}, which nothing provides with a running provisioner`,
            );
        }
      }
    }
  }

  /** Every host name in configuration resolves to a Service, a route of the environment (Ingress, HTTPRoute, a chart's Ingress), or a declared external peer. */
  private checkHostnames(): void {
    const ingressHosts = new Set([
      ...this.input.objects.filter((o) => o.kind === 'Ingress').flatMap((o) => (o.spec?.rules ?? []).map((r: any) => r.host)),
      ...this.input.objects.filter((o) => o.kind === 'HTTPRoute').flatMap((o) => o.spec?.hostnames ?? []),
      ...[...this.input.model.platform.applicationFacts.values()].flatMap((f) => (f.routes ?? []).map((r) => r.host)),
    ]);
    const externals = new Set(
      this.input.model.platform.facts.connections().flatMap(({ connection: c }) => (c.to.kind === 'external' ? [c.to.host] : [])),
    );
    for (const t of podTemplates(this.input.objects)) {
      for (const { container, path } of containersOf(t)) {
        for (const [i, e] of (container.env ?? []).entries()) {
          if (!HOST_KEYS.test(e.name ?? '') || typeof e.value !== 'string') continue;
          for (const h of serviceHostsIn(e.value)) {
            if (!this.lookup(`Service/${h.namespace}/${h.service}`)) {
              this.report(
                'REH-010',
                t.owner,
                `${path}.env[${i}]`,
                `${e.name} names Service ${h.service} in namespace ${h.namespace}, which nothing in this environment provides`,
              );
            }
          }
          for (const host of plainHostsIn(e.value)) {
            if (!ingressHosts.has(host) && !externals.has(host)) {
              this.report(
                'REH-010',
                t.owner,
                `${path}.env[${i}]`,
                `${e.name} names host ${host}, which no Ingress or HTTPRoute of this environment serves and no connection declares as external`,
              );
            }
          }
        }
      }
    }
  }

  private checkJobs(): void {
    for (const o of this.input.objects.filter((x) => x.kind === 'Job')) {
      if (!isHook(o) && o.spec?.ttlSecondsAfterFinished !== undefined) {
        this.report(
          'REH-011',
          o,
          'spec.ttlSecondsAfterFinished',
          'a Job that is part of the desired state is deleted by its TTL and re-created by self-heal, so it runs again forever',
        );
      }
    }
  }

  private checkStatefulSets(): void {
    for (const o of this.input.objects.filter((x) => x.kind === 'StatefulSet')) {
      const svc = this.input.objects.find(
        (s) => s.kind === 'Service' && s.metadata.namespace === o.metadata.namespace && s.metadata.name === o.spec?.serviceName,
      );
      if (!svc) this.report('REH-012', o, 'spec.serviceName', `governing Service ${o.spec?.serviceName} does not exist`);
      else if (svc.spec?.clusterIP !== 'None')
        this.report(
          'REH-012',
          o,
          'spec.serviceName',
          `governing Service ${svc.metadata.name} is not headless (clusterIP: None): pods get no stable DNS names`,
        );
    }
  }

  /**
   * The Terraform stacks are applied one after the other in the documented order (the environment
   * README's deploy steps): a stack may read only the remote state of a stack applied before it, and
   * only outputs that stack declares; otherwise its first plan fails on a fresh account.
   */
  private checkStackOrder(): void {
    const env = this.env;
    const order = this.input.model.stacks.map((s) => s.stackId);
    const byId = new Map(this.input.stacks.map((s) => [s.stackId, s]));
    // The state of stack `id` under each backend's naming: <prefix>/<env>/<id>.tfstate, terraform.<env>-<id>.tfstate, <schema>_<id>.
    const writes = (id: string, config: any) =>
      String(config?.key ?? '').endsWith(`/${env}/${id}.tfstate`) ||
      String(config?.path ?? '').endsWith(`${env}-${id}.tfstate`) ||
      String(config?.schema_name ?? '').endsWith(`_${id.replace(/-/g, '_')}`);
    order.forEach((id, step) => {
      const stack = byId.get(id);
      if (!stack) return;
      const text = JSON.stringify(stack.json);
      for (const [name, rs] of Object.entries<any>(stack.json.data?.terraform_remote_state ?? {})) {
        const target = `${id}:data.terraform_remote_state.${name}`;
        const source = order.findIndex((other) => writes(other, rs.config));
        if (source < 0) {
          this.report('REH-018', target, 'config', `stack ${id} (step ${step + 1}) reads a remote state that no stack of ${env} writes`);
          continue;
        }
        if (source >= step) {
          this.report(
            'REH-018',
            target,
            'config',
            `stack ${id} (step ${step + 1}) reads the outputs of stack ${order[source]}, which is applied later (step ${source + 1})`,
          );
        }
        const outputs = new Set(Object.keys(byId.get(order[source])?.json.output ?? {}));
        const read = new Set(
          [
            ...text.matchAll(
              new RegExp(`data\\.terraform_remote_state\\.${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\.outputs\\.([A-Za-z0-9_-]+)`, 'g'),
            ),
          ].map((m) => m[1]),
        );
        for (const o of [...read].sort()) {
          if (!outputs.has(o))
            this.report('REH-018', target, `outputs.${o}`, `stack ${id} reads output ${o}, which stack ${order[source]} does not declare`);
        }
      }
    });
  }

  /** A Service of the manifests fronts pods of the manifests; an autoscaler scales a workload that exists. */
  private checkSelectors(): void {
    const templates = podTemplates(this.input.objects);
    for (const svc of this.input.objects.filter((o) => o.kind === 'Service' && o.spec?.selector)) {
      const selector = Object.entries(svc.spec.selector as Record<string, string>);
      const selects = templates.some((t) => t.owner.metadata.namespace === svc.metadata.namespace && selector.every(([k, v]) => t.labels[k] === v));
      if (!selects)
        this.report(
          'REH-016',
          svc,
          'spec.selector',
          `selects no pod of any workload in ${svc.metadata.namespace} (${selector.map(([k, v]) => `${k}=${v}`).join(', ')}): the Service has no endpoints`,
        );
    }
    for (const hpa of this.input.objects.filter((o) => o.kind === 'HorizontalPodAutoscaler')) {
      const ref = hpa.spec?.scaleTargetRef ?? {};
      const exists = this.input.objects.some(
        (o) => o.kind === ref.kind && o.metadata.namespace === hpa.metadata.namespace && o.metadata.name === ref.name,
      );
      if (!exists)
        this.report('REH-017', hpa, 'spec.scaleTargetRef', `targets ${ref.kind} ${ref.name}, which no manifest of ${hpa.metadata.namespace} creates`);
    }
  }

  private checkProbes(): void {
    for (const t of podTemplates(this.input.objects)) {
      for (const { container, path, init } of containersOf(t)) {
        if (init) continue;
        const ports = container.ports ?? [];
        for (const probe of ['readinessProbe', 'livenessProbe', 'startupProbe']) {
          const port = container[probe]?.httpGet?.port ?? container[probe]?.tcpSocket?.port;
          if (port === undefined) continue;
          const ok = typeof port === 'number' ? ports.some((p: any) => p.containerPort === port) : ports.some((p: any) => p.name === port);
          if (!ok) this.report('REH-013', t.owner, `${path}.${probe}`, `probes port ${port}, which the container does not declare`);
        }
      }
    }
  }

  private checkControlPlane(): void {
    const { model } = this.input;
    const bootstrapsServingCerts = Object.entries(model.reviewFiles).some(
      ([f, text]) => f.startsWith('kubeadm/') && /serverTLSBootstrap: true/.test(text),
    );
    if (!bootstrapsServingCerts) return;
    const approver = this.applications().some(({ facts }) => facts.approvesKubeletServingCertificates);
    if (!approver) {
      this.report(
        'REH-014',
        `${this.env}:kubeadm`,
        'KubeletConfiguration.serverTLSBootstrap',
        'kubelets request serving certificates (serverTLSBootstrap) but nothing approves the CSRs: logs, exec, port-forward and metrics-server fail on every node',
      );
    }
  }

  /**
   * A chart's CRDs under client-side apply: kubectl's last-applied-configuration annotation holds the
   * whole object, and annotations may total 256 KiB, so a larger CRD is refused and the sync stops.
   */
  private checkCrdApply(): void {
    for (const { app } of this.applications()) {
      const source = app.spec?.source;
      if (!source?.chart || (app.spec?.syncPolicy?.syncOptions ?? []).includes('ServerSideApply=true')) continue;
      for (const crd of chartCrdSizes(source.chart, source.targetRevision).filter((c) => c.bytes > ANNOTATIONS_LIMIT))
        this.report(
          'REH-024',
          app,
          'spec.syncPolicy.syncOptions',
          `CRD ${crd.name} of chart ${source.chart} ${source.targetRevision} is ${crd.bytes} bytes: client-side apply's last-applied annotation allows ${ANNOTATIONS_LIMIT}, so its sync fails`,
        );
    }
  }

  /** Applications that never become healthy on their own (a step outside Git). */
  private checkBlockedHealth(): void {
    for (const { app, facts } of this.applications())
      if (facts.healthBlockedBy)
        this.report(
          'REH-015',
          app,
          'status.health',
          `never becomes healthy on a fresh cluster until ${facts.healthBlockedBy}; the root's sync waits at wave ${waveOf(app)}`,
        );
  }
}

/** What the API server allows all annotations of an object to total (TotalAnnotationSizeLimitB). */
const ANNOTATIONS_LIMIT = 256 * 1024;

const HOST_KEYS = /(host|url|endpoint|address|authority|issuer|seeds|apiurl)/i;
function plainHostsIn(value: string): string[] {
  const m = /^(?:[a-z]+:\/\/)?([a-z0-9-]+(?:\.[a-z0-9-]+)+)(?::\d+)?(?:\/.*)?$/i.exec(value.trim());
  if (!m || /\.svc(\.cluster\.local)?$/.test(m[1]) || /^\d+(\.\d+){3}$/.test(m[1])) return [];
  return [m[1]];
}

export function rehearse(input: RehearsalInput): Finding[] {
  return [...new Rehearsal(input).run(), ...rehearseTerraform(input)];
}
