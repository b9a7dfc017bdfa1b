import * as path from 'path';
import { Construct } from 'constructs';
import { ManifestDoc } from './vendored-manifest';
import { OperatorRelease, VendoredOperator, operatorImages, operatorPeer } from './vendored-operator';
import { WorkloadPeer } from '../../lib/core/facts/connections';
import { REPO_ROOT } from '../../lib/core/paths';

/** The feature gates Parity changes in the operator's ProjectConfig, with the upstream line each replaces. */
const GATES: ReadonlyArray<{ upstream: string; parity: string }> = [
  // No lokistack-gateway: it requires a tenants section (OIDC, OpenShift or mTLS passthrough); clients
  // reach the distributor and query frontend inside the namespace and name their tenant in a header.
  { upstream: 'lokiStackGateway: true', parity: 'lokiStackGateway: false' },
  // Loki's pods at Pod Security "restricted" (seccomp RuntimeDefault, no capabilities, non-root), as
  // the monitoring namespace enforces.
  { upstream: 'restrictedPodSecurityStandard: false', parity: 'restrictedPodSecurityStandard: true' },
];

/**
 * The community overlay mounts the webhook's serving certificate from the Secret OpenShift's service CA
 * would write (`...-service-cert`), while its cert-manager Certificate writes `...-webhook-server-cert`:
 * the pod would never start outside OpenShift. The mount names the Certificate's Secret.
 */
const WEBHOOK_CERT = { upstream: 'loki-operator-controller-manager-service-cert', certificate: 'loki-operator-webhook-server-cert' };

function configure(doc: ManifestDoc): ManifestDoc {
  if (doc.kind === 'Deployment') {
    const volumes: ManifestDoc[] = doc.spec.template.spec.volumes;
    if (!volumes.some((v) => v.secret?.secretName === WEBHOOK_CERT.upstream))
      throw new Error(`the vendored Loki operator's Deployment no longer mounts ${WEBHOOK_CERT.upstream}`);
    const fixed = volumes.map((v) =>
      v.secret?.secretName === WEBHOOK_CERT.upstream ? { ...v, secret: { ...v.secret, secretName: WEBHOOK_CERT.certificate } } : v,
    );
    return { ...doc, spec: { ...doc.spec, template: { ...doc.spec.template, spec: { ...doc.spec.template.spec, volumes: fixed } } } };
  }
  if (doc.kind !== 'ConfigMap' || !doc.data?.['controller_manager_config.yaml']) return doc;
  let config: string = doc.data['controller_manager_config.yaml'];
  for (const gate of GATES) {
    // A changed upstream ProjectConfig must be read again, not patched blindly.
    if (!config.includes(gate.upstream)) throw new Error(`the vendored Loki operator's ProjectConfig has no "${gate.upstream}"`);
    config = config.replace(gate.upstream, gate.parity);
  }
  return { ...doc, data: { ...doc.data, 'controller_manager_config.yaml': config } };
}

/**
 * `kubectl kustomize config/overlays/community` of grafana/loki `operator/` at operator/v0.11.0, its
 * operator image set to the release bundle's (the overlay renames an image the base already renamed).
 */
const RELEASE: OperatorRelease = {
  name: 'loki-operator',
  manifest: path.join(REPO_ROOT, 'vendor', 'loki-operator-0.11.0', 'install.yaml'),
  upstreamNamespace: 'loki-operator',
  crdGroup: 'loki.grafana.com',
  // distroless static:nonroot (operator/Dockerfile: USER 65532:65532).
  uid: 65532,
  reconciles: 'LokiStacks',
  configure,
};

/** The images the vendored operator runs and starts: its own, and Loki's (RELATED_IMAGE_LOKI). */
export function lokiOperatorImages(): { operator: string; loki: string } {
  const { operator, related } = operatorImages(RELEASE);
  return { operator, loki: related.RELATED_IMAGE_LOKI };
}

/** The operator's pods in `namespace`, by the upstream Deployment's selector. */
export function lokiOperatorPeer(namespace: string): WorkloadPeer {
  return operatorPeer(RELEASE, namespace);
}

export interface LokiOperatorProps {
  readonly namespace: string;
  /** Argo CD sync wave: before the LokiStacks it reconciles (its webhook rejects them until it runs). */
  readonly syncWave: number;
  /** Where Loki's image is pulled from (a mirror's copy of RELATED_IMAGE_LOKI). @default the upstream reference */
  readonly lokiImage?: string;
}

/**
 * Grafana's Loki operator, from its vendored release manifest (see VendoredOperator), with its
 * gateway off and Loki's pods at the restricted Pod Security profile.
 */
export class LokiOperator extends VendoredOperator {
  constructor(scope: Construct, id: string, props: LokiOperatorProps) {
    super(scope, id, RELEASE, {
      namespace: props.namespace,
      syncWave: props.syncWave,
      relatedImages: props.lokiImage ? { RELATED_IMAGE_LOKI: props.lokiImage } : undefined,
    });
  }
}
