import * as path from 'path';
import { Construct } from 'constructs';
import { OperatorRelease, VendoredOperator, operatorImages, operatorPeer } from './vendored-operator';
import { WorkloadPeer } from '../../lib/core/facts/connections';
import { REPO_ROOT } from '../../lib/core/paths';

/** The operator release whose install manifest (and CRDs, in imports/) Parity vendors. */
const TEMPO_OPERATOR_RELEASE = '0.22.0';

/** `kubectl kustomize config/overlays/community` of grafana/tempo-operator at the release tag. */
const RELEASE: OperatorRelease = {
  name: 'tempo-operator',
  manifest: path.join(REPO_ROOT, 'vendor', `tempo-operator-${TEMPO_OPERATOR_RELEASE}`, 'install.yaml'),
  upstreamNamespace: 'tempo-operator-system',
  crdGroup: 'tempo.grafana.com',
  // The operator's user in its image (distroless nonroot).
  uid: 65532,
  reconciles: 'Tempo resources',
};

/** The images the vendored operator runs and starts: its own, and Tempo's (RELATED_IMAGE_TEMPO). */
export function tempoOperatorImages(): { operator: string; tempo: string } {
  const { operator, related } = operatorImages(RELEASE);
  return { operator, tempo: related.RELATED_IMAGE_TEMPO };
}

/** The operator's pods in `namespace`, by the upstream Deployment's selector. */
export function tempoOperatorPeer(namespace: string): WorkloadPeer {
  return operatorPeer(RELEASE, namespace);
}

export interface TempoOperatorProps {
  readonly namespace: string;
  /** Argo CD sync wave: before the Tempo resources it reconciles (its webhooks reject them until it runs). */
  readonly syncWave: number;
  /** Where Tempo's image is pulled from (a mirror's copy of RELATED_IMAGE_TEMPO). @default the upstream reference */
  readonly tempoImage?: string;
}

/** Grafana's Tempo operator, from its vendored release manifest (see VendoredOperator). */
export class TempoOperator extends VendoredOperator {
  constructor(scope: Construct, id: string, props: TempoOperatorProps) {
    super(scope, id, RELEASE, {
      namespace: props.namespace,
      syncWave: props.syncWave,
      relatedImages: props.tempoImage ? { RELATED_IMAGE_TEMPO: props.tempoImage } : undefined,
    });
  }
}
