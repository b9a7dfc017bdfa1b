import * as path from 'path';
import { Construct } from 'constructs';
import { ManifestDoc, vendoredManifest } from './vendored-manifest';
import { ApiObject } from '../../lib/core/facade/k8s';
import { FactRegistry } from '../../lib/core/facts/registry';
import { SYNC_WAVE_ANNOTATION } from '../../lib/core/facts/waves';
import { WorkloadPeer, workloadPeer } from '../../lib/core/facts/connections';
import { REPO_ROOT } from '../../lib/core/paths';
import { HARDENED_CONTAINER, hardenedPod } from './container-defaults';
import { propError } from '../props';

/** The operator release whose install manifest (and CRDs, in imports/) Parity vendors. */
export const TEMPO_OPERATOR_RELEASE = '0.22.0';
const VENDORED = path.join(REPO_ROOT, 'vendor', `tempo-operator-${TEMPO_OPERATOR_RELEASE}`);
/** `kubectl kustomize config/overlays/community` of grafana/tempo-operator at the release tag. */
const MANIFEST = path.join(VENDORED, 'install.yaml');
/** The namespace the upstream manifest installs into, replaced by the construct's. */
const UPSTREAM_NAMESPACE = 'tempo-operator-system';
export const TEMPO_CRD_GROUP = 'tempo.grafana.com';
/** The operator's user in its image (distroless nonroot). */
const OPERATOR_UID = 65532;

type Doc = ManifestDoc;
const upstream = (): Doc[] => vendoredManifest(MANIFEST);

/** The images the vendored operator runs and starts: its own, and Tempo's (RELATED_IMAGE_TEMPO). */
export function tempoOperatorImages(): { operator: string; tempo: string } {
  const c = upstream().find((d) => d.kind === 'Deployment').spec.template.spec.containers[0];
  return { operator: c.image, tempo: c.env.find((e: Doc) => e.name === 'RELATED_IMAGE_TEMPO').value };
}

/** The operator's pods in `namespace`, by the upstream Deployment's selector. */
export function tempoOperatorPeer(namespace: string): WorkloadPeer {
  return workloadPeer(namespace, 'tempo-operator', upstream().find((d) => d.kind === 'Deployment').spec.selector.matchLabels);
}

export interface TempoOperatorProps {
  readonly namespace: string;
  /** Argo CD sync wave: before the Tempo resources it reconciles (its webhooks reject them until it runs). */
  readonly syncWave: number;
  /** Where Tempo's image is pulled from (a mirror's copy of RELATED_IMAGE_TEMPO). @default the upstream reference */
  readonly tempoImage?: string;
}

/**
 * Grafana's Tempo operator, installed from the vendored upstream manifest (CRDs, RBAC, its admission
 * webhooks with a serving certificate from cert-manager) into `namespace`, with its rules unchanged and
 * its pod hardened: non-root, read-only root filesystem, no capabilities, RuntimeDefault seccomp, limits.
 */
export class TempoOperator extends Construct {
  /** The operator's pods. */
  readonly peer: WorkloadPeer;

  constructor(scope: Construct, id: string, props: TempoOperatorProps) {
    super(scope, id);
    if (props.namespace === UPSTREAM_NAMESPACE || !/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(props.namespace))
      throw propError(this, 'namespace', props.namespace, 'a DNS label');
    const ns = props.namespace;
    const wave = String(props.syncWave);
    const facts = FactRegistry.of(this);
    facts.name('Namespace', ns, `${this.node.path} (namespace)`);
    facts.name('CRD group', 'cert-manager.io', `${this.node.path} (the webhooks' serving certificate)`);
    // Every namespaced name and reference of the upstream manifest, moved to `ns`.
    const moved: Doc[] = JSON.parse(JSON.stringify(upstream()).split(UPSTREAM_NAMESPACE).join(ns));
    for (const doc of moved) {
      if (doc.kind === 'Namespace') continue;
      const annotations: Record<string, string> = { ...doc.metadata.annotations, [SYNC_WAVE_ANNOTATION]: wave };
      if (doc.kind === 'CustomResourceDefinition') annotations['argocd.argoproj.io/sync-options'] = 'ServerSideApply=true';
      const out = { ...doc, metadata: { ...doc.metadata, annotations } };
      if (doc.kind === 'Deployment') harden(out.spec.template.spec, props.tempoImage);
      new ApiObject(this, `${doc.kind}-${doc.metadata.name}`.toLowerCase(), out);
    }
    facts.provideName('CRD group', TEMPO_CRD_GROUP, this.node.path);
    this.peer = tempoOperatorPeer(ns);
    const by = this.node.path;
    facts.connect({ from: this.peer, to: { kind: 'api-server' }, ports: [], purpose: 'reconciles Tempo resources' }, by);
    const webhook = moved.find((d) => d.kind === 'Service' && d.metadata.name.endsWith('webhook-service'));
    facts.connect(
      {
        from: { kind: 'api-server' },
        to: this.peer,
        ports: [{ port: webhook.spec.ports[0].targetPort }],
        purpose: 'admission webhooks for Tempo resources',
      },
      by,
    );
  }
}

/** The upstream pod, hardened in place: the restricted profile, a writable /tmp, limits. */
function harden(spec: Doc, tempoImage: string | undefined): void {
  spec.securityContext = hardenedPod(OPERATOR_UID);
  const c = spec.containers[0];
  c.securityContext = HARDENED_CONTAINER;
  c.imagePullPolicy = 'IfNotPresent';
  c.resources = { requests: c.resources.requests, limits: { cpu: '500m', memory: '512Mi' } };
  if (tempoImage) c.env = c.env.map((e: Doc) => (e.name === 'RELATED_IMAGE_TEMPO' ? { ...e, value: tempoImage } : e));
  // The probes' port (--health-probe-bind-address), which upstream leaves undeclared.
  c.ports = [...c.ports, { containerPort: 8081, name: 'health', protocol: 'TCP' }];
  c.volumeMounts = [...c.volumeMounts, { name: 'tmp', mountPath: '/tmp' }];
  spec.volumes = [...spec.volumes, { name: 'tmp', emptyDir: {} }];
}
