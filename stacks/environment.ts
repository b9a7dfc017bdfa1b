import type { StaticSecret } from '../lib/core/sops';
import { PlatformAddOn } from '../contracts/addon';
import { ManifestApp } from '../lib/core/facade/k8s';
import { TerraformApp } from '../lib/core/facade/tf';
import { Environment } from '../lib/core/model/schema';
import { substrateFor } from '../substrates';
import { NodePoolSummary, ReviewFiles, Substrate } from '../contracts/substrate';
import { BootstrapStack, bootstrapImages } from './bootstrap-stack';
import { containersOf, podTemplates } from '../lib/core/k8s-objects';
import { registryAndPath, splitImageRef } from '../lib/core/util/image-ref';
import { TailnetStack } from './private-access';
import { VaultConfigStack } from './vault-config-stack';
import { ParityStack } from '../constructs/terraform/parity-stack';
import { ManifestFile, PlatformManifests, buildPlatformManifests, workloadIdentityRequests } from './platform-manifests';

/** Everything one environment synthesizes to, before it is written anywhere. */
export interface EnvironmentModel {
  readonly env: Environment;
  readonly substrate: Substrate;
  readonly stacks: ReadonlyArray<ParityStack>;
  readonly manifests: ReadonlyArray<ManifestFile>;
  readonly addOns: ReadonlyArray<PlatformAddOn>;
  readonly nodePools: ReadonlyArray<NodePoolSummary>;
  readonly reviewFiles: ReviewFiles;
  /** Manifest-side facts: the connection graph, what each chart deploys, deny-by-default namespaces. */
  readonly platform: PlatformManifests;
  /**
   * Images pulled outside the synthesized pod templates, as origin references: by the hosts before Argo
   * CD runs, by the bootstrap releases, and by every chart with its values (chart facts).
   */
  readonly pulledImages: ReadonlyArray<string>;
}

/**
 * Composes one environment: Terraform stacks from its substrate, manifests from the platform layer.
 * Nothing here knows which substrate it is; that is the substrate's business.
 */
export function buildEnvironment(
  env: Environment,
  tfApp: TerraformApp,
  k8sApp: ManifestApp,
  peers: ReadonlyArray<Environment> = [env],
  staticSecrets: ReadonlyArray<StaticSecret> = [],
): EnvironmentModel {
  const substrate = substrateFor(env.substrate.kind);
  const platform = buildPlatformManifests(k8sApp, env, substrate, staticSecrets);
  const pulledImages = [
    ...(substrate.hostImages?.(env) ?? []),
    ...bootstrapImages(env, substrate.bootstrapCharts(env)),
    ...[...platform.applicationFacts.values()].flatMap((a) => a.images ?? []),
  ];
  const mirroredRegistries = env.registryMirror ? originRegistries([...pulledImages, ...manifestImages(platform.files)]) : [];
  const infra = substrate.buildInfrastructure({
    env,
    workloadIdentities: workloadIdentityRequests(env),
    mirroredRegistries,
    newStack: (stackId, description, options) => new ParityStack(tfApp, { env, stackId, description, ...options }),
  });
  const bootstrap = new BootstrapStack(tfApp, {
    env,
    connection: infra.connection,
    prerequisites: substrate.bootstrapCharts(env),
    infrastructureBound: platform.infrastructureBound,
    workloadIdentityClientIds: infra.workloadIdentityClientIds ?? {},
  });
  bootstrap.addDependency(infra.clusterStack);
  const stacks: ParityStack[] = [...infra.stacks, bootstrap];
  if (env.addons.includes('vault')) {
    const vault = new VaultConfigStack(tfApp, { env, connection: infra.connection, backupCredentials: infra.backupCredentials });
    vault.addDependency(bootstrap);
    stacks.push(vault);
    if (env.access.kind === 'tailscale') {
      const tailnet = new TailnetStack(tfApp, { env, peers });
      tailnet.addDependency(vault);
      stacks.push(tailnet);
    }
  }
  const { files, addOns } = platform;
  return {
    env,
    substrate,
    stacks,
    manifests: files,
    addOns,
    nodePools: substrate.nodePools(env),
    reviewFiles: substrate.reviewFiles(env, mirroredRegistries),
    platform,
    pulledImages,
  };
}

/** Images the manifests' pod templates and CloudNativePG clusters name. */
function manifestImages(files: ReadonlyArray<ManifestFile>): string[] {
  const docs = files.flatMap((f) => f.chart.toJson());
  return [
    ...podTemplates(docs).flatMap((t) => containersOf(t).map(({ container }) => String(container.image))),
    ...docs.filter((d) => d?.kind === 'Cluster' && d.spec?.imageName).map((d) => String(d.spec.imageName)),
  ];
}

/** The registries images come from (`docker.io` for `grafana/loki`), sorted. */
function originRegistries(images: ReadonlyArray<string>): string[] {
  return [...new Set(images.map((i) => registryAndPath(splitImageRef(i).name).registry))].sort();
}
