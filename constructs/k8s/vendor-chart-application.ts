import { Construct } from 'constructs';
import { stringify } from 'yaml';
import { Application } from '../../imports/argoproj.io';
import { ChartSecretValue, PLUGIN_ENV, SECRET_VALUES_PLUGIN } from '../../lib/core/chart-secret-values';
import { mirroredImage } from '../../lib/core/util/image-ref';
import { applicationFrame } from './helm-application';
import { propError } from '../props';

export interface VendorChartApplicationProps {
  /** Application name, also the Helm release name. */
  readonly name: string;
  /** Namespace the release is installed into (created by the platform, not by Argo CD). */
  readonly destinationNamespace: string;
  /** The vendor's chart in an OCI registry: `repository` is the registry path without `oci://`. */
  readonly chart: { readonly repository: string; readonly name: string; readonly version: string };
  /** Every value of the chart's contract except the secret ones. */
  readonly values: object;
  /** Values the chart takes as plain strings that are secrets: read by the plugin from the mounted Secret. @default [] */
  readonly secretValues?: ReadonlyArray<ChartSecretValue>;
  /** The Git repository and directory the plugin runs in (the environment's GitOps path; the plugin only reads its env). */
  readonly source: { readonly repoURL: string; readonly revision: string; readonly path: string };
  /** Values paths of the chart's image objects (`{ repository, tag }`), e.g. `api.image`. @default [] */
  readonly imageValues?: ReadonlyArray<string>;
  /** Registry that serves every image (air-gapped mirror): each image's repository is rewritten to it. @default none */
  readonly registryMirror?: string;
  /** @default 'argocd' */
  readonly argoNamespace?: string;
  /** @default 0 */
  readonly syncWave?: number;
}

const EXACT_VERSION = /^v?\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$/;
const REGISTRY_PATH = /^[a-z0-9.-]+(:\d+)?(\/[a-z0-9._-]+)+$/;
const VALUE_PATH = /^[A-Za-z][A-Za-z0-9]*(\[\d+\])?(\.[A-Za-z][A-Za-z0-9]*(\[\d+\])?)*$/;

/** Whether a dotted values path (with `[n]` indices) is set in `values`. */
function isSet(values: object, valuePath: string): boolean {
  let at: unknown = values;
  for (const part of valuePath.split('.')) {
    const [, key, index] = /^([^[]+)(?:\[(\d+)\])?$/.exec(part)!;
    at = (at as Record<string, unknown> | undefined)?.[key];
    if (index !== undefined) at = (at as unknown[] | undefined)?.[Number(index)];
    if (at === undefined) return false;
  }
  return true;
}

/**
 * A vendor's Helm chart from an OCI registry, rendered by Argo CD's secret-values plugin: the values
 * contract is the vendor's, secrets included, but the secret values never reach Git or the Application.
 * The Application carries the typed values and, per secret value, the key of the Secret the plugin
 * reads it from. Automated sync with prune and self-heal, like every other Application.
 */
export class VendorChartApplication extends Construct {
  readonly application: Application;
  /** The images the chart pulls, as origin references (`repository:tag`), from `imageValues`. */
  readonly images: ReadonlyArray<string>;

  constructor(scope: Construct, id: string, props: VendorChartApplicationProps) {
    super(scope, id);
    const { chart } = props;
    if (!EXACT_VERSION.test(chart.version) || /latest/i.test(chart.version))
      throw propError(
        this,
        'chart.version',
        chart.version,
        'an exact released chart version such as 1.2.3 (a "latest" version moves under the same name)',
      );
    if (!REGISTRY_PATH.test(chart.repository))
      throw propError(this, 'chart.repository', chart.repository, 'an OCI registry path without scheme, e.g. registry.example.com/charts');
    const secretValues = props.secretValues ?? [];
    for (const [i, s] of secretValues.entries()) {
      if (!VALUE_PATH.test(s.path))
        throw propError(this, `secretValues[${i}].path`, s.path, 'a values path such as oidc.clientSecret or api.apiKeys[0].key');
      if (!/^[-._a-zA-Z0-9]+$/.test(s.key)) throw propError(this, `secretValues[${i}].key`, s.key, 'a Secret key ([-._a-zA-Z0-9])');
      if (isSet(props.values, s.path))
        throw propError(this, `values.${s.path}`, '(set)', 'unset: it is a secret value, read from the Secret by the plugin');
    }
    const values = structuredClone(props.values) as Record<string, unknown>;
    const images: string[] = [];
    for (const p of props.imageValues ?? []) {
      const image = p.split('.').reduce<any>((at, k) => at?.[k], values); // eslint-disable-line @typescript-eslint/no-explicit-any
      if (typeof image?.repository !== 'string' || typeof image?.tag !== 'string')
        throw propError(this, `values.${p}`, image, 'an image object { repository, tag }');
      const ref = `${image.repository}:${image.tag}`;
      images.push(ref);
      if (props.registryMirror) image.repository = mirroredImage(ref, props.registryMirror).replace(/:[^:/]+$/, '');
    }
    this.images = images;
    const frame = applicationFrame(props);
    this.application = new Application(this, 'app', {
      metadata: frame.metadata,
      spec: {
        project: 'default',
        source: {
          repoUrl: props.source.repoURL,
          targetRevision: props.source.revision,
          path: props.source.path,
          plugin: {
            name: SECRET_VALUES_PLUGIN,
            env: [
              { name: PLUGIN_ENV.repository, value: chart.repository },
              { name: PLUGIN_ENV.chart, value: chart.name },
              { name: PLUGIN_ENV.version, value: chart.version },
              { name: PLUGIN_ENV.values, value: stringify(values, { sortMapEntries: true }) },
              { name: PLUGIN_ENV.secretValues, value: secretValues.map((s) => `${s.path}=${s.key}`).join(' ') },
            ],
          },
        },
        destination: { server: 'https://kubernetes.default.svc', namespace: props.destinationNamespace },
        syncPolicy: frame.syncPolicy,
      },
    });
  }
}
