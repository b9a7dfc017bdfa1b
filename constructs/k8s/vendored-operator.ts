import { Construct } from 'constructs';
import { ManifestDoc, vendoredManifest } from './vendored-manifest';
import { ApiObject } from '../../lib/core/facade/k8s';
import { FactRegistry } from '../../lib/core/facts/registry';
import { SYNC_WAVE_ANNOTATION } from '../../lib/core/facts/waves';
import { WorkloadPeer, workloadPeer } from '../../lib/core/facts/connections';
import { HARDENED_CONTAINER, hardenedPod } from './container-defaults';
import { propError } from '../props';

/** An operator's release manifest as Parity vendors it (`kubectl kustomize` of its community overlay at the tag). */
export interface OperatorRelease {
  /** Short name, for the peer and messages: `tempo-operator`. */
  readonly name: string;
  /** Path of the rendered install manifest (CRDs, RBAC, Deployment, webhooks, cert-manager Certificate). */
  readonly manifest: string;
  /** The namespace the manifest installs into, replaced by the construct's. */
  readonly upstreamNamespace: string;
  /** API group of the resources it reconciles. */
  readonly crdGroup: string;
  /** The user its image runs as. */
  readonly uid: number;
  /** What it reconciles, for the connection graph: "Tempo resources". */
  readonly reconciles: string;
  /** Changes a document of the manifest (its own configuration), after the namespace move. @default none */
  readonly configure?: (doc: ManifestDoc) => ManifestDoc;
}

export interface VendoredOperatorProps {
  /** Namespace the operator runs in (declared: quota, default-deny). */
  readonly namespace: string;
  /** Argo CD sync wave: before the resources it reconciles (its webhooks reject them until it runs). */
  readonly syncWave: number;
  /** RELATED_IMAGE_* variables of the operator's container replaced, e.g. by a mirror's copies. @default none */
  readonly relatedImages?: Readonly<Record<string, string>>;
}

const deploymentOf = (release: OperatorRelease): ManifestDoc => vendoredManifest(release.manifest).find((d) => d.kind === 'Deployment');

/** The images the vendored operator runs (its own) and starts (RELATED_IMAGE_* values, by variable). */
export function operatorImages(release: OperatorRelease): { operator: string; related: Record<string, string> } {
  const c = deploymentOf(release).spec.template.spec.containers[0];
  const related = Object.fromEntries(
    (c.env ?? []).filter((e: ManifestDoc) => e.name.startsWith('RELATED_IMAGE_')).map((e: ManifestDoc) => [e.name, e.value as string]),
  );
  return { operator: c.image, related };
}

/** The operator's pods in `namespace`, by the upstream Deployment's selector. */
export function operatorPeer(release: OperatorRelease, namespace: string): WorkloadPeer {
  return workloadPeer(namespace, release.name, deploymentOf(release).spec.selector.matchLabels);
}

/**
 * An operator installed from its vendored upstream release manifest (CRDs, RBAC, its admission webhooks
 * with a serving certificate from cert-manager) into `namespace`, with its rules unchanged and its pod
 * hardened: non-root, read-only root filesystem, no capabilities, RuntimeDefault seccomp, limits.
 */
export class VendoredOperator extends Construct {
  /** The operator's pods. */
  readonly peer: WorkloadPeer;

  constructor(scope: Construct, id: string, release: OperatorRelease, props: VendoredOperatorProps) {
    super(scope, id);
    if (!/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(props.namespace)) throw propError(this, 'namespace', props.namespace, 'a DNS label');
    // The platform's namespaces are declared (quota, default-deny); the upstream one is not.
    if (props.namespace === release.upstreamNamespace)
      throw propError(this, 'namespace', props.namespace, `a declared namespace of the platform, not the upstream "${release.upstreamNamespace}"`);
    const known = operatorImages(release).related;
    for (const name of Object.keys(props.relatedImages ?? {}))
      if (!(name in known)) throw propError(this, `relatedImages.${name}`, name, `one of ${Object.keys(known).join(', ')}`);
    const ns = props.namespace;
    const wave = String(props.syncWave);
    const facts = FactRegistry.of(this);
    const by = this.node.path;
    facts.name('Namespace', ns, `${by} (namespace)`);
    facts.name('CRD group', 'cert-manager.io', `${by} (the webhooks' serving certificate)`);
    const moved = vendoredManifest(release.manifest).map((doc) => moveNamespace(doc, release.upstreamNamespace, ns));
    for (const upstream of moved) {
      if (upstream.kind === 'Namespace') continue;
      const doc = release.configure ? release.configure(upstream) : upstream;
      const annotations: Record<string, string> = { ...doc.metadata.annotations, [SYNC_WAVE_ANNOTATION]: wave };
      if (doc.kind === 'CustomResourceDefinition') annotations['argocd.argoproj.io/sync-options'] = 'ServerSideApply=true';
      const out = { ...doc, metadata: { ...doc.metadata, annotations } };
      if (doc.kind === 'Deployment') harden(out.spec.template.spec, release.uid, props.relatedImages ?? {});
      new ApiObject(this, `${doc.kind}-${doc.metadata.name}`.toLowerCase(), out);
    }
    facts.provideName('CRD group', release.crdGroup, by);
    this.peer = operatorPeer(release, ns);
    facts.connect({ from: this.peer, to: { kind: 'api-server' }, ports: [], purpose: `reconciles ${release.reconciles}` }, by);
    const webhook = moved.find((d) => d.kind === 'Service' && d.metadata.name.endsWith('webhook-service'));
    facts.connect(
      {
        from: { kind: 'api-server' },
        to: this.peer,
        ports: [{ port: webhook.spec.ports[0].targetPort }],
        purpose: `admission webhooks for ${release.reconciles}`,
      },
      by,
    );
  }
}

/**
 * Every namespace reference of an upstream document moved from `from` to `to`: `namespace` fields
 * (metadata, RBAC subjects, webhook and conversion services), `<namespace>/<name>` references (the CA
 * injection annotation) and in-cluster DNS names (`<service>.<namespace>.svc`). Names that merely
 * contain the upstream namespace (`loki-operator-controller-manager`) stay.
 */
function moveNamespace(value: ManifestDoc, from: string, to: string, key?: string): ManifestDoc {
  if (typeof value === 'string') {
    if (key === 'namespace' && value === from) return to;
    if (value.startsWith(`${from}/`)) return `${to}/${value.slice(from.length + 1)}`;
    return value.split(`.${from}.svc`).join(`.${to}.svc`);
  }
  if (Array.isArray(value)) return value.map((v) => moveNamespace(v, from, to));
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, moveNamespace(v, from, to, k)]));
  return value;
}

/** The upstream pod, hardened in place: the restricted profile, a writable /tmp, limits. */
function harden(spec: ManifestDoc, uid: number, relatedImages: Readonly<Record<string, string>>): void {
  spec.securityContext = hardenedPod(uid);
  const c = spec.containers[0];
  c.securityContext = HARDENED_CONTAINER;
  c.imagePullPolicy = 'IfNotPresent';
  c.resources = { requests: c.resources.requests, limits: { cpu: '500m', memory: '512Mi' } };
  c.env = (c.env ?? []).map((e: ManifestDoc) => (relatedImages[e.name] ? { ...e, value: relatedImages[e.name] } : e));
  // The probes' port (--health-probe-bind-address / healthProbeBindAddress), which upstream leaves undeclared.
  c.ports = [...c.ports, { containerPort: 8081, name: 'health', protocol: 'TCP' }];
  c.volumeMounts = [...c.volumeMounts, { name: 'tmp', mountPath: '/tmp' }];
  spec.volumes = [...spec.volumes, { name: 'tmp', emptyDir: {} }];
}
