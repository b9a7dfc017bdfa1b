/* eslint-disable @typescript-eslint/no-explicit-any -- Helm values are arbitrary YAML */
import * as fs from 'fs';
import * as path from 'path';
import { chartDefaults, helmMerge, isObj, vendoredChartDir } from './vendored';
import { canonicalImage, mirroredImage } from '../util/image-ref';

/** How a chart spells an image in its values (scripts/vendor-charts.js detects it from values.yaml). */
export type ImageScheme =
  'repository' | 'registry-repository' | 'registry-image' | 'repository-image-version' | 'name-tag' | 'imagename-imagetag' | 'string';

/** One image slot of a vendored chart's values.yaml. */
export interface ImageSlot {
  /** Values path of the image object, e.g. `controller.image`; subcharts under their alias. */
  readonly path: string;
  readonly scheme: ImageScheme;
  /** The chart's default: the image object's scalar keys, or the reference for `string`. */
  readonly default: Record<string, unknown> | string;
  /** The appVersion of the (sub)chart, which an empty tag falls back to. */
  readonly appVersion: string;
}

/** How the pinned chart uses one image slot. */
export interface ImageUse {
  /**
   * Whether the chart runs this image with the given values (the add-on's values merged into the chart's
   * defaults); images an operator of the chart starts at run time count as deployed.
   */
  readonly deployed: boolean | ((values: any) => boolean);
  /**
   * The tag an empty tag renders as, where the template does not fall back to the appVersion as is
   * (`v` + appVersion) or the chart's appVersion is a placeholder the release substitutes.
   * @default the slot's appVersion
   */
  readonly defaultTag?: string;
  /** Appended to the repository by the template (Cilium's operator: `-generic`). @default '' */
  readonly repositorySuffix?: string;
  /** Appended to the tag by whoever starts the pod (gpu-operator: the nodes' OS on the driver). @default '' */
  readonly tagSuffix?: string;
  /** Key of the digest in the image object. @default 'digest' */
  readonly digestKey?: string;
}

/**
 * Every image slot of a pinned chart, with whether and how it is deployed. Keys are the slot paths of
 * the vendored images.json, plus `subchart:<alias>` for each dependency that is not vendored (its
 * images are unknown, so it must not be deployed). A table that misses a slot is an error at synth, so
 * a chart bump re-reads every image the new version has.
 */
export type ChartImageTable = Readonly<Record<string, ImageUse>>;

/** An image the chart pulls: the values slot it comes from and the reference the template renders. */
export interface ChartImage {
  readonly slot: string;
  readonly image: string;
}

export class ChartImageError extends Error {}

const slots = new Map<string, ReadonlyArray<ImageSlot> | undefined>();

/** The image slots of a vendored chart, or undefined when the chart is not vendored. */
export function chartImageSlots(name: string, version: string): ReadonlyArray<ImageSlot> | undefined {
  const id = `${name}-${version}`;
  if (!slots.has(id)) {
    const dir = vendoredChartDir(name, version);
    slots.set(id, dir ? (JSON.parse(fs.readFileSync(path.join(dir, 'images.json'), 'utf8')) as { slots: ImageSlot[] }).slots : undefined);
  }
  return slots.get(id);
}

/** Dependencies of the chart that are not vendored (scripts/vendor-charts.js lists them in keys.json). */
function unvendoredSubcharts(name: string, version: string): ReadonlyArray<string> {
  const dir = vendoredChartDir(name, version);
  return dir ? (JSON.parse(fs.readFileSync(path.join(dir, 'keys.json'), 'utf8')) as { dependencies: string[] }).dependencies : [];
}

const at = (values: any, p: string): any => p.split('.').reduce((o, k) => (isObj(o) ? o[k] : undefined), values);

function setAt(values: any, p: string, patch: any): any {
  const [head, ...rest] = p.split('.');
  const current = isObj(values) ? values : {};
  return { ...current, [head]: rest.length === 0 ? patch : setAt(current[head], rest.join('.'), patch) };
}

const str = (v: unknown): string => (v === undefined || v === null ? '' : String(v));

/** The reference the chart's template renders for a slot, given the slot's effective image object. */
function render(slot: ImageSlot, use: ImageUse, o: any): string {
  const tag = (t: unknown) => str(t) || use.defaultTag || slot.appVersion;
  const digestKey = use.digestKey ?? 'digest';
  switch (slot.scheme) {
    case 'string':
      return str(o);
    case 'repository': {
      if (str(o.override)) return str(o.override);
      const digest = o.useDigest === false ? '' : str(o[digestKey]);
      return `${str(o.repository)}${use.repositorySuffix ?? ''}:${tag(o.tag)}${digest ? `@${digest}` : ''}`;
    }
    case 'registry-repository': {
      const name = str(o.registry) ? `${str(o.registry)}/${str(o.repository)}` : str(o.repository);
      const sha = str(o.sha);
      const digest = sha ? `sha256:${sha}` : str(o[digestKey]);
      return `${name}:${tag(o.tag)}${digest ? `@${digest}` : ''}`;
    }
    case 'registry-image': {
      const digest = str(o[digestKey]);
      return `${str(o.repository) || `${str(o.registry)}/${str(o.image)}`}:${tag(o.tag)}${digest ? `@${digest}` : ''}`;
    }
    case 'repository-image-version':
      return `${str(o.repository)}/${str(o.image)}:${tag(o.version)}${use.tagSuffix ?? ''}`;
    case 'name-tag':
      return `${str(o.name)}:${tag(o.tag)}`;
    case 'imagename-imagetag':
      return `${str(o.imageName)}:${tag(o.imageTag)}`;
  }
}

/** Where a name (no tag) lives, canonically: `grafana/loki` -> `docker.io/grafana/loki`. */
const canonicalName = (name: string): string => canonicalImage(`${name}:x`).replace(/:x$/, '');

/** The values that make the template render `<mirror>/<origin>` for a slot whose origin object is `o`. */
function mirrorPatch(slot: ImageSlot, o: any, mirror: string): any {
  const into = (name: string) => `${mirror}/${canonicalName(name)}`;
  switch (slot.scheme) {
    case 'string':
      return mirroredImage(str(o), mirror);
    case 'repository':
      return str(o.override) ? { override: mirroredImage(str(o.override), mirror) } : { repository: into(str(o.repository)) };
    case 'registry-repository': {
      const name = canonicalName(str(o.registry) ? `${str(o.registry)}/${str(o.repository)}` : str(o.repository));
      return { registry: mirror, repository: name };
    }
    case 'registry-image':
      return str(o.repository)
        ? { repository: into(str(o.repository)) }
        : { registry: mirror, image: canonicalName(`${str(o.registry)}/${str(o.image)}`) };
    case 'repository-image-version':
      return { repository: into(str(o.repository)) };
    case 'name-tag':
      return { name: into(str(o.name)) };
    case 'imagename-imagetag':
      return { imageName: into(str(o.imageName)) };
  }
}

function resolvedUse(chart: string, version: string, table: ChartImageTable, key: string): ImageUse {
  const use = table[key];
  if (!use)
    throw new ChartImageError(
      `chart ${chart} ${version}: image slot ${key} has no entry in the add-on's image table (vendor/charts/${chart}-${version}/images.json lists it); say whether it is deployed`,
    );
  return use;
}

const isDeployed = (use: ImageUse, merged: any) => (typeof use.deployed === 'function' ? use.deployed(merged) : use.deployed);

/**
 * The images a pinned chart pulls with the given values, and the values rewritten so that each of them
 * is pulled from `mirror` (when given). Every slot of the vendored chart must be in the table; a
 * non-vendored subchart that the values enable is an error, since its images are unknown.
 */
export function chartImages(
  chart: { readonly chart: string; readonly version: string },
  table: ChartImageTable,
  values: any,
  mirror?: string,
): { images: ChartImage[]; values: any } {
  const { chart: name, version } = chart;
  const all = chartImageSlots(name, version);
  if (!all) throw new ChartImageError(`chart ${name} ${version} is not vendored, so the images it pulls are unknown (node scripts/vendor-charts.js)`);
  const known = new Set([...all.map((s) => s.path), ...unvendoredSubcharts(name, version).map((d) => `subchart:${d}`)]);
  const extra = Object.keys(table).filter((k) => !known.has(k));
  if (extra.length)
    throw new ChartImageError(
      `chart ${name} ${version} has no image slot ${extra.join(', ')} (the image table names slots of images.json and subchart:<alias>)`,
    );
  const merged = helmMerge(chartDefaults(name, version), values ?? {});
  for (const dep of unvendoredSubcharts(name, version)) {
    if (isDeployed(resolvedUse(name, version, table, `subchart:${dep}`), merged))
      throw new ChartImageError(`chart ${name} ${version}: the values enable subchart ${dep}, which is not vendored, so its images are unknown`);
  }
  const images: ChartImage[] = [];
  let out = values ?? {};
  for (const slot of all) {
    const use = resolvedUse(name, version, table, slot.path);
    if (!isDeployed(use, merged)) continue;
    const own = at(values, slot.path);
    const o = slot.scheme === 'string' ? (own ?? slot.default) : helmMerge(slot.default, isObj(own) ? own : {});
    const image = render(slot, use, o);
    if (!mirror || image.startsWith(`${mirror}/`)) {
      images.push({ slot: slot.path, image: canonicalImage(image) });
      continue;
    }
    const patch = mirrorPatch(slot, o, mirror);
    const target = render(slot, use, slot.scheme === 'string' ? patch : helmMerge(o, patch));
    // The copy job pushes <mirror>/<origin>; the chart must render exactly that.
    if (target !== mirroredImage(image, mirror))
      throw new ChartImageError(
        `chart ${name} ${version}: slot ${slot.path} would render ${target} from the mirror, not ${mirroredImage(image, mirror)}`,
      );
    images.push({ slot: slot.path, image: canonicalImage(image) });
    out = setAt(out, slot.path, slot.scheme === 'string' ? patch : helmMerge(isObj(own) ? own : {}, patch));
  }
  return { images, values: out };
}

/** The value at a dotted path of merged chart values. */
export const valueAt = at;

/**
 * `deployed` when every path is enabled. A Helm "-" (vault's `injector.enabled: "-"`) means "as
 * `global.enabled`"; the caller passes that path after the "-" one.
 */
export function whenAll(...paths: string[]): (values: any) => boolean {
  return (values) =>
    paths.every((p) => {
      const v = at(values, p);
      return v === '-' ? true : v === true || v === 'true';
    });
}
