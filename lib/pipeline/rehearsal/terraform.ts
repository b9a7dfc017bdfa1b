/* eslint-disable @typescript-eslint/no-explicit-any -- Terraform JSON and Kubernetes objects have no static type */
import { PREEXISTING_NAMESPACES } from '../../../stacks/platform-manifests';
import { containersOf, objectRef, podTemplates } from '../../core/k8s-objects';
import { canonicalImage, mirroredImage, registryAndPath, splitImageRef } from '../../core/util/image-ref';
import { nodePullThroughCache } from '../../core/model/apps/harbor';
import { PullThroughCache, pullThroughImage } from '../../../constructs/mirror';
import { vaultInputs } from '../deploy/plan';
import { Finding } from '../guardrails/finding';
import type { RehearsalInput } from './input';
import { REHEARSAL_RULES, RuleId } from './rules';

type Resource = { readonly type: string; readonly name: string; readonly body: any };
const address = (r: Resource) => `${r.type}.${r.name}`;
const literal = (v: unknown): v is string => typeof v === 'string' && v !== '' && !v.includes('${');

function resourcesOf(json: any, block: 'resource' | 'data' = 'resource'): Resource[] {
  return Object.entries<any>(json?.[block] ?? {}).flatMap(([type, byName]) =>
    Object.entries<any>(byName).map(([name, body]) => ({ type, name, body })),
  );
}

/** A resource depends on another when it lists it in depends_on or reads one of its attributes. */
function hasEdge(from: Resource, to: Resource, prefix = ''): boolean {
  const target = `${prefix}${address(to)}`;
  return (from.body.depends_on ?? []).includes(target) || JSON.stringify(from.body).includes(`${target}.`);
}

const at = (o: any, path: string): unknown => path.split('.').reduce((v, k) => (v && typeof v === 'object' ? v[k] : undefined), o);

/**
 * Attributes that name another resource, and the resources (type, and how to read their names) they can
 * name. A literal that equals such a name in the same stack, with no edge, races the resource it names.
 */
const NAMING_ATTRIBUTES: ReadonlyArray<{ attribute: string; types: Record<string, (r: any) => unknown[]> }> = [
  { attribute: 'cluster_name', types: { aws_eks_cluster: (r) => [r.name] } },
  { attribute: 'role', types: { aws_iam_role: (r) => [r.name] } },
  { attribute: 'bucket', types: { aws_s3_bucket: (r) => [r.bucket] } },
  { attribute: 'resource_group_name', types: { azurerm_resource_group: (r) => [r.name] } },
  { attribute: 'private_dns_zone_name', types: { azurerm_private_dns_zone: (r) => [r.name] } },
  {
    attribute: 'backend',
    types: { vault_auth_backend: (r) => [r.path], vault_mount: (r) => [r.path], vault_database_secrets_mount: (r) => [r.path] },
  },
  { attribute: 'mount', types: { vault_mount: (r) => [r.path], vault_database_secrets_mount: (r) => [r.path] } },
  {
    attribute: 'db_name',
    types: {
      vault_database_secrets_mount: (r) => Object.values(r).flatMap((v: any) => (Array.isArray(v) ? v.map((c) => c?.name) : [])),
      vault_database_secret_backend_connection: (r) => [r.name],
    },
  },
  {
    attribute: 'manifest.metadata.namespace',
    types: { kubernetes_manifest: (r) => (r.manifest?.kind === 'Namespace' ? [r.manifest.metadata?.name] : []) },
  },
];

/** Data sources that describe the caller or build documents: they read nothing a stack creates. */
const SELF_DESCRIBING = /(_document|_client_config|_caller_identity|_region|_partition|_availability_zones|^terraform_remote_state)$/;

class TerraformRehearsal {
  readonly findings: Finding[] = [];
  private readonly env: string;

  constructor(private readonly input: RehearsalInput) {
    this.env = input.model.env.name;
  }

  private report(rule: RuleId, target: string, path: string, message: string, file?: string): void {
    this.findings.push({ ruleId: rule, severity: 'error', environment: this.env, target, path, message, hint: REHEARSAL_RULES[rule].hint, file });
  }

  private file(stackId: string): string {
    return `dist/${this.env}/terraform/${stackId}/cdk.tf.json`;
  }

  /** REH-019: a literal equal to the name of a resource of the same stack, with no edge to it. */
  checkImplicitDependencies(): void {
    for (const stack of this.input.stacks) {
      const resources = resourcesOf(stack.json);
      for (const r of resources) {
        for (const { attribute, types } of NAMING_ATTRIBUTES) {
          const value = at(r.body, attribute);
          if (!literal(value)) continue;
          for (const other of resources) {
            if (other === r || !(other.type in types) || !types[other.type](other.body).includes(value) || hasEdge(r, other)) continue;
            this.report(
              'REH-019',
              `${stack.stackId}:${address(r)}`,
              attribute,
              `names ${address(other)} by the literal "${value}" with no reference or depends_on: Terraform sees no edge and creates both at once on a fresh account`,
              this.file(stack.stackId),
            );
          }
        }
      }
    }
  }

  /** REH-020: a data source reading what a resource of the same stack creates, without waiting for it. */
  checkDataSources(): void {
    for (const stack of this.input.stacks) {
      const resources = resourcesOf(stack.json);
      const named = resources.flatMap((r) =>
        [r.body.name, r.body.path].filter((v): v is string => literal(v) && v.length >= 4).map((v) => ({ r, v })),
      );
      for (const d of resourcesOf(stack.json, 'data')) {
        if (SELF_DESCRIBING.test(d.type)) continue;
        const values: string[] = [];
        const walk = (v: unknown) => (literal(v) ? values.push(v) : v && typeof v === 'object' && Object.values(v).forEach(walk));
        walk({ ...d.body, depends_on: undefined, '//': undefined });
        for (const { r, v } of named) {
          if (!values.some((s) => s === v || s.split('/').includes(v)) || hasEdge(d, r)) continue;
          this.report(
            'REH-020',
            `${stack.stackId}:data.${address(d)}`,
            'depends_on',
            `reads "${values.find((s) => s === v || s.split('/').includes(v))}", which ${address(r)} of the same stack creates, without depends_on: on a fresh account the read runs first and fails`,
            this.file(stack.stackId),
          );
        }
      }
    }
  }

  /** REH-021: every Vault path the cluster or a stack reads is written by a stack or listed as a person's input. */
  checkVaultPaths(): void {
    const { objects, stacks, model } = this.input;
    const mounts = new Map<string, string>();
    for (const s of stacks) for (const r of resourcesOf(s.json)) if (r.type === 'vault_mount') mounts.set(address(r), r.body.path);
    const mountOf = (m: unknown) => (literal(m) ? m : (mounts.get(String(m).replace(/^\$\{|\.path\}$/g, '')) ?? String(m)));
    const written = new Set<string>(vaultInputs(model, objects, stacks).map((i) => i.name));
    for (const s of stacks)
      for (const r of resourcesOf(s.json)) {
        if (r.type === 'vault_kv_secret_v2') written.add(`${mountOf(r.body.mount)}/${r.body.name}`);
        if (r.type === 'vault_generic_secret') written.add(String(r.body.path));
      }
    const stores = new Map<string, string>();
    for (const o of objects)
      if ((o.kind === 'ClusterSecretStore' || o.kind === 'SecretStore') && o.spec?.provider?.vault)
        stores.set(`${o.kind}/${o.metadata.name}`, o.spec.provider.vault.path);
    for (const o of objects.filter((x) => x.kind === 'ExternalSecret')) {
      const ref = o.spec?.secretStoreRef ?? {};
      const mount = stores.get(`${ref.kind ?? 'SecretStore'}/${ref.name}`);
      if (mount === undefined) continue;
      (o.spec?.data ?? []).forEach((d: any, i: number) => {
        const path = `${mount}/${d.remoteRef?.key}`;
        if (!written.has(path))
          this.report(
            'REH-021',
            objectRef(o),
            `spec.data[${i}].remoteRef.key`,
            `reads Vault path ${path}, which no stack writes and no person is asked for (DEPLOY.md)`,
            o.file,
          );
      });
    }
    for (const s of stacks)
      for (const d of resourcesOf(s.json, 'data')) {
        if (!['vault_kv_secret_v2', 'vault_generic_secret'].includes(d.type)) continue;
        const path = d.type === 'vault_kv_secret_v2' ? `${mountOf(d.body.mount)}/${d.body.name}` : String(d.body.path);
        // Generator endpoints (password policies) answer every read.
        if (/^sys\/policies\/password\/[^/]+\/generate$/.test(path)) continue;
        if (!written.has(path))
          this.report(
            'REH-021',
            `${s.stackId}:data.${address(d)}`,
            'path',
            `reads Vault path ${path}, which no stack writes and no person is asked for`,
            this.file(s.stackId),
          );
      }
  }

  /** REH-022: every cloud identity a stack creates is granted something, and trusts ServiceAccounts of namespaces that exist. */
  checkIdentities(): void {
    const namespaces = new Set<string>([
      ...PREEXISTING_NAMESPACES,
      ...this.input.objects.filter((o) => o.kind === 'Namespace').map((o) => o.metadata.name!),
      ...this.input.model.platform.infrastructureBound.map((b) => b.manifest.metadata.namespace).filter((n): n is string => !!n),
    ]);
    for (const stack of this.input.stacks) {
      const resources = resourcesOf(stack.json);
      const grants = resources.filter((r) => ['azurerm_role_assignment', 'aws_iam_role_policy_attachment', 'aws_iam_role_policy'].includes(r.type));
      for (const id of resources.filter((r) => r.type === 'azurerm_user_assigned_identity' || r.type === 'aws_iam_role')) {
        const inline = id.body.inline_policy || id.body.managed_policy_arns;
        if (!inline && !grants.some((g) => hasEdge(g, id)))
          this.report(
            'REH-022',
            `${stack.stackId}:${address(id)}`,
            'grants',
            'is granted nothing in its stack: whatever runs as it is denied on first use',
            this.file(stack.stackId),
          );
      }
      for (const r of resources) {
        const subject =
          r.type === 'azurerm_federated_identity_credential' ? /^system:serviceaccount:([^:]+):/.exec(String(r.body.subject))?.[1] : undefined;
        const ns = r.type === 'aws_eks_pod_identity_association' ? r.body.namespace : subject;
        if (literal(ns) && !namespaces.has(ns))
          this.report(
            'REH-022',
            `${stack.stackId}:${address(r)}`,
            r.type === 'aws_eks_pod_identity_association' ? 'namespace' : 'subject',
            `trusts a ServiceAccount of namespace ${ns}, which the environment never creates`,
            this.file(stack.stackId),
          );
      }
    }
  }

  /**
   * REH-023: on a mirrored environment, every image the output pulls is under the mirror and in
   * images.txt; where the nodes pull through the environment's own proxy cache, every image comes from
   * a registry it proxies (or from the cache itself).
   */
  checkMirror(): void {
    const mirror = this.input.model.env.registryMirror;
    const cache = mirror ? undefined : nodePullThroughCache(this.input.model.env.apps);
    if (cache) return this.checkPullThrough(cache);
    if (!mirror) return;
    const listed = new Set(
      (this.input.files?.get(`${this.env}/images.txt`) ?? '')
        .split('\n')
        .filter((l) => l && !l.startsWith('#'))
        .map((l) => l.split(' ')[1]),
    );
    const check = (target: string, path: string, image: string, file?: string) => {
      if (!image.startsWith(`${mirror}/`))
        this.report('REH-023', target, path, `pulls ${image} from outside the mirror ${mirror}: an air-gapped host cannot reach it`, file);
      else if (!listed.has(image))
        this.report('REH-023', target, path, `pulls ${image}, which images.txt does not list: the mirror will not have it`, file);
    };
    this.eachObjectImage(check);
    for (const [app, facts] of this.input.model.platform.applicationFacts)
      for (const image of facts.images ?? []) check(`Application/${app}`, 'chart images', mirroredImage(canonicalImage(image), mirror));
    for (const image of new Set(this.input.model.pulledImages)) check('hosts and bootstrap', 'images', mirroredImage(image, mirror));
  }

  private checkPullThrough(cache: PullThroughCache): void {
    const check = (target: string, path: string, image: string, file?: string) => {
      if (!pullThroughImage(image, cache))
        this.report(
          'REH-023',
          target,
          path,
          `pulls ${image} from ${registryAndPath(splitImageRef(canonicalImage(image)).name).registry}, which the nodes' pull-through cache ${cache.host} does not proxy (${cache.origins.map((o) => o.origin).join(', ')}): it bypasses the environment's registry`,
          file,
        );
    };
    this.eachObjectImage(check);
    for (const image of new Set(this.input.model.pulledImages)) check('hosts and bootstrap', 'images', image);
  }

  /** Every image the objects pull, where it is written: each pod template's containers, CloudNativePG's operand. */
  private eachObjectImage(check: (target: string, path: string, image: string, file?: string) => void): void {
    for (const t of podTemplates(this.input.objects))
      for (const { container, path } of containersOf(t)) check(objectRef(t.owner), `${path}.image`, container.image, t.owner.file);
    for (const o of this.input.objects)
      if (o.kind === 'Cluster' && o.apiVersion?.startsWith('postgresql.cnpg.io/') && o.spec?.imageName)
        check(objectRef(o), 'spec.imageName', o.spec.imageName, o.file);
  }
}

/** The Terraform side of the first deploy, read the way the planner and the clouds will run it. */
export function rehearseTerraform(input: RehearsalInput): Finding[] {
  const r = new TerraformRehearsal(input);
  r.checkImplicitDependencies();
  r.checkDataSources();
  r.checkVaultPaths();
  r.checkIdentities();
  r.checkMirror();
  return r.findings;
}
