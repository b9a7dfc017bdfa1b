import * as path from 'path';
import { AppOfApps, AppOfAppsProps } from '../constructs/k8s/app-of-apps';
import { PlatformNamespace } from '../constructs/k8s/platform-namespace';
import { VaultAppSecrets } from '../constructs/k8s/vault-app-secrets';
import { ADD_ON_CATALOGUE } from '../addons/catalogue';
import { appFor, vaultAccessOf } from '../apps';
import { PlatformAddOn } from '../addons/addon';
import { Chart, ManifestApp } from '../lib/facade/k8s';
import { Environment } from '../lib/model/schema';
import { Substrate } from '../substrates/substrate';
import { buildPrivateAccessManifests } from './private-access';

export const ARGO_NAMESPACE = 'argocd';

/** A chart and the file (relative to `dist/<env>/manifests`) it is written to. */
export interface ManifestFile {
  readonly chart: Chart;
  readonly file: string;
}

/** Path of the environment's manifests inside its GitOps repository. */
export function manifestsPathInRepo(env: Environment): string {
  return path.posix.join(env.gitops.path, 'manifests');
}

/** The environment's root Application: its GitOps repository, branch and manifests path. */
export function rootAppProps(env: Environment): AppOfAppsProps {
  return { name: `${env.name}-root`, repoURL: env.gitops.repoURL, revision: env.gitops.branch, path: manifestsPathInRepo(env), argoNamespace: ARGO_NAMESPACE };
}

/**
 * The Kubernetes side of an environment: the namespace layer, one chart per add-on, and the
 * app-of-apps root that makes Argo CD reconcile all of it.
 */
export function buildPlatformManifests(app: ManifestApp, env: Environment, substrate: Substrate): { files: ManifestFile[]; addOns: PlatformAddOn[] } {
  const files: ManifestFile[] = [];
  const chart = (id: string, file: string) => {
    const c = new Chart(app, `${env.name}-${id}`, { disableResourceNameHashes: true });
    files.push({ chart: c, file });
    return c;
  };

  const namespaces = chart('namespaces', 'namespaces.yaml');
  for (const ns of env.namespaces) new PlatformNamespace(namespaces, ns.name, ns);

  const addOns = [...env.addons.map((id) => ADD_ON_CATALOGUE.get(id)!), ...substrate.platformAddOns(env)];
  for (const addOn of addOns) {
    addOn.install(chart(`addon-${addOn.id}`, `addons/${addOn.id}.yaml`), { env, traits: substrate.traits, argoNamespace: ARGO_NAMESPACE, vaultSeal: substrate.vaultSeal(env) });
  }

  for (const config of env.apps) {
    const app = appFor(config);
    const appChart = chart(`app-${config.app}-${config.namespace}`, `apps/${config.app}.${config.namespace}.yaml`);
    app.install(appChart, config, { env, traits: substrate.traits });
    const access = vaultAccessOf(config);
    if (access.secrets.length) new VaultAppSecrets(appChart, 'vault-secrets', { identity: access.identity, secrets: access.secrets });
  }

  if (env.access.kind === 'tailscale') buildPrivateAccessManifests(chart('private-access', 'private-access.yaml'), env);

  new AppOfApps(chart('root', 'bootstrap/root-app.yaml'), 'root', rootAppProps(env));
  return { files, addOns };
}
