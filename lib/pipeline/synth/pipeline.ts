import { loadStaticSecrets } from './static-secrets';
import { STATIC_SECRETS_DIR, staticSecretsKustomization } from '../../core/sops';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { PropError } from '../../../constructs/props';
import { MissingFactError } from '../../core/facts/registry';
import { ManifestApp } from '../../core/facade/k8s';
import { TerraformApp } from '../../core/facade/tf';
import { LoadedEnvironment, loadEnvironments } from '../load';
import { Environment } from '../../core/model/schema';
import { K8sObject } from '../../core/k8s-objects';
import { EnvironmentModel, buildEnvironment } from '../../../stacks/environment';
import { renderEnvironmentReadme } from './readme';
import { deployPlan } from '../deploy/plan';
import { renderDeployDoc } from '../deploy/doc';
import { terraformStacks } from '../guardrails/check';
import { MirrorPlan, applyMirror, imagesOf, mirroredChart, mirroredChartRepository, planFile, pullThroughImage } from '../../../constructs/mirror';
import { nodePullThroughCache } from '../../core/model/apps/harbor';
import { toYamlStream } from '../../core/util/serialize';
import { canonicalImage, mirroredImage } from '../../core/util/image-ref';

export interface SynthOptions {
  /** Directory of `<env>.yaml` files. */
  readonly environmentsDir: string;
  /** Only these environments (by name); all when empty. */
  readonly only?: ReadonlyArray<string>;
}

/** The synthesized tree, keyed by path relative to `dist/`, plus the models and objects it came from. */
export interface SynthResult {
  readonly files: Map<string, string>;
  readonly models: EnvironmentModel[];
  /** Kubernetes objects per environment exactly as written (the guardrails check these, unparsed). */
  readonly objects: Map<string, K8sObject[]>;
}

/** Terraform JSON of every stack of the environment, via cdktf's own synthesizer (stable key order). */
function synthTerraform(tfApp: TerraformApp, model: EnvironmentModel, outdir: string, files: Map<string, string>): void {
  tfApp.synth();
  for (const stack of model.stacks) {
    const json = fs.readFileSync(path.join(outdir, 'stacks', stack.node.id, 'cdk.tf.json'), 'utf8');
    files.set(`${model.env.name}/terraform/${stack.stackId}/cdk.tf.json`, json.endsWith('\n') ? json : `${json}\n`);
  }
}

function synthManifests(model: EnvironmentModel, files: Map<string, string>, objects: K8sObject[]): void {
  const mirror = model.env.registryMirror;
  const plan: MirrorPlan = { images: new Map(), charts: new Map() };
  for (const { chart, file } of model.manifests) {
    const docs = chart.toJson();
    if (mirror) applyMirror(docs, mirror, plan);
    if (docs.length === 0) continue;
    const path = `${model.env.name}/manifests/${file}`;
    files.set(path, toYamlStream(docs));
    for (const doc of docs) objects.push(Object.defineProperty(doc, 'file', { value: path, enumerable: false }));
  }
  const cache = mirror ? undefined : nodePullThroughCache(model.env.apps);
  if (cache) {
    // The nodes pull through the environment's own proxy cache: every image as they get it from there
    // (one the cache does not proxy is the rehearsal's REH-023, and stays out of the list).
    for (const ref of [...imagesOf(objects), ...model.pulledImages]) {
      const through = pullThroughImage(ref, cache);
      if (through) plan.images.set(canonicalImage(ref), through);
    }
    files.set(`${model.env.name}/images.txt`, planFile(plan.images, `images the nodes pull through ${cache.host} (its proxy cache)`));
  }
  if (mirror) {
    // Images no synthesized pod template names: the hosts', the bootstrap releases' and the charts'.
    for (const ref of model.pulledImages) plan.images.set(canonicalImage(ref), mirroredImage(ref, mirror));
    // The bootstrap stack's Helm releases (Argo CD, argocd-apps, the CNI) pull from the mirror too.
    for (const [rel, text] of files) {
      if (!rel.startsWith(`${model.env.name}/terraform/`)) continue;
      for (const r of Object.values<{ repository?: string; chart: string; version: string }>(JSON.parse(text).resource?.helm_release ?? {})) {
        const prefix = `oci://${mirroredChartRepository('', mirror)}`;
        if (!r.repository?.startsWith(prefix)) continue;
        mirroredChart(plan, mirror, r.repository.slice(prefix.length), r.chart, r.version);
      }
    }
    files.set(`${model.env.name}/images.txt`, planFile(plan.images, `images to copy into ${mirror} before syncing ${model.env.name}`));
    files.set(
      `${model.env.name}/charts.txt`,
      planFile(plan.charts, `Helm charts to push to oci://${mirror}/charts before syncing ${model.env.name}`),
    );
  }
}

/** `environments/dev.yaml`: independent of the working directory so output bytes do not depend on it. */
function sourceName(file: string): string {
  return path.posix.join(path.basename(path.dirname(path.resolve(file))), path.basename(file));
}

export function synthesizeEnvironment(
  loaded: LoadedEnvironment,
  scratch: string,
  files: Map<string, string>,
  peers: ReadonlyArray<Environment>,
  objects: K8sObject[] = [],
): EnvironmentModel {
  const { env } = loaded;
  const outdir = path.join(scratch, env.name);
  const tfApp = new TerraformApp({ outdir, stackTraces: false });
  const staticSecrets = loadStaticSecrets(loaded);
  const model = inEnvironment(env.name, () =>
    buildEnvironment(env, tfApp, new ManifestApp({ outdir: path.join(scratch, `${env.name}-k8s`) }), peers, staticSecrets),
  );
  synthTerraform(tfApp, model, outdir, files);
  synthManifests(model, files, objects);
  for (const [rel, content] of Object.entries(model.reviewFiles)) files.set(`${env.name}/${rel}`, content);
  // The encrypted files as committed (sops signs their bytes), and the generator that decrypts them.
  if (staticSecrets.length) {
    for (const secret of staticSecrets) files.set(`${env.name}/${STATIC_SECRETS_DIR}/${secret.file}`, secret.text);
    for (const [name, text] of Object.entries(staticSecretsKustomization(staticSecrets)))
      files.set(`${env.name}/${STATIC_SECRETS_DIR}/${name}`, text);
  }
  files.set(`${env.name}/README.md`, renderEnvironmentReadme(model, files, sourceName(loaded.file), objects));
  files.set(`${env.name}/DEPLOY.md`, renderDeployDoc(model, deployPlan(model, terraformStacks(files, env.name), objects)));
  return model;
}

/** Names the environment in a construct's or a fact lookup's error, so the message says where to look. */
function inEnvironment<T>(env: string, build: () => T): T {
  try {
    return build();
  } catch (e) {
    if (e instanceof PropError || e instanceof MissingFactError) e.message = `environment ${env}: ${e.message}`;
    throw e;
  }
}

/**
 * Synthesizes every environment in memory. Nothing is written to `dist/` here: the caller decides
 * whether to check, compare or swap the result in, so a failure anywhere leaves the old tree intact.
 */
export function synthesizeAll(options: SynthOptions): SynthResult {
  const all = loadEnvironments(options.environmentsDir);
  const loaded = all.filter((l) => !options.only?.length || options.only.includes(l.env.name));
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'parity-synth-'));
  const files = new Map<string, string>();
  try {
    const peers: Environment[] = all.map((l) => l.env);
    const objects = new Map<string, K8sObject[]>();
    const models = loaded.map((l) => {
      const envObjects: K8sObject[] = [];
      objects.set(l.env.name, envObjects);
      return synthesizeEnvironment(l, scratch, files, peers, envObjects);
    });
    return { files: new Map([...files].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))), models, objects };
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}
