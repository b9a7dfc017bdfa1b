import { Construct } from 'constructs';
import { Application, ApplicationSpec, toJson_ApplicationSpec } from '../../imports/argoproj.io';

export interface AppOfAppsProps {
  /** Name of the root Application, e.g. "dev-root". */
  readonly name: string;
  readonly repoURL: string;
  readonly revision: string;
  /** Directory in the repo holding this environment's manifests. */
  readonly path: string;
  /**
   * Namespace of Argo CD.
   * @default 'argocd'
   */
  readonly argoNamespace?: string;
}

/** The root Application's spec, shared by the manifest and by the bootstrap stack that installs it. */
export function rootApplicationSpec(props: AppOfAppsProps): ApplicationSpec {
  return {
    project: 'default',
    source: {
      repoUrl: props.repoURL,
      targetRevision: props.revision,
      path: props.path,
      directory: { recurse: true, exclude: 'bootstrap/*' },
    },
    destination: { server: 'https://kubernetes.default.svc', namespace: props.argoNamespace ?? 'argocd' },
    // Retries cover the first sync's waits outside Git (Vault initialised, the vault stack applied).
    syncPolicy: { automated: { prune: true, selfHeal: true }, retry: { limit: 10, backoff: { duration: '30s', factor: 2, maxDuration: '10m' } } },
  };
}

/** The same spec in manifest (JSON) form, e.g. for Helm values. */
export function rootApplicationSpecJson(props: AppOfAppsProps): Record<string, unknown> {
  return toJson_ApplicationSpec(rootApplicationSpec(props))!;
}

/**
 * The root Application of an environment: it syncs every manifest under `path` (namespaces and one
 * Application per add-on), so adding a component is a commit, never a `kubectl apply`. Its own
 * directory (`bootstrap/`) is excluded: the root is installed by the bootstrap stack.
 */
export class AppOfApps extends Construct {
  constructor(scope: Construct, id: string, props: AppOfAppsProps) {
    super(scope, id);
    new Application(this, 'root', {
      metadata: { name: props.name, namespace: props.argoNamespace ?? 'argocd' },
      spec: rootApplicationSpec(props),
    });
  }
}
