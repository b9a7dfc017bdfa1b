import * as fs from 'fs';
import * as path from 'path';
import { isMap, parse, parseDocument, YAMLMap } from 'yaml';
import { ConfigError, show } from '../../core/model/issues';
import { ImageConfig, imageRef } from '../../core/model/primitives';
import { parseEnvironment } from '../load';

/** A new build of one image of one app: what CI knows after it pushed the image. */
export interface ImageBump {
  readonly env: string;
  readonly app: string;
  /** Which entry of that app, where the environment runs it in more than one namespace. @default the only one */
  readonly namespace?: string;
  /** Key under the app's `images:` (backend, migrations, ...). */
  readonly image: string;
  readonly tag: string;
  /** Required where the environment pins images by digest (requireImageDigests). @default none */
  readonly digest?: string;
}

export interface BumpResult {
  readonly file: string;
  readonly before: string;
  readonly after: string;
  /** The whole file as written, comments and layout kept. */
  readonly text: string;
}

/**
 * Writes a new image tag (and digest) into an environment file, the only place a decision like this
 * lives; `npm run synth` then carries it into `dist/`. The file keeps its comments and layout, and the
 * result must load and validate like any environment file, or nothing is written.
 */
export function bumpImage(environmentsDir: string, bump: ImageBump, opts: { write?: boolean } = {}): BumpResult {
  const file = path.join(environmentsDir, `${bump.env}.yaml`);
  const fail = (at: string, found: unknown, expected: string): never => {
    throw new ConfigError([
      { environment: `${bump.env} (${path.join(path.basename(environmentsDir), `${bump.env}.yaml`)})`, path: at, found: show(found), expected },
    ]);
  };
  if (!fs.existsSync(file)) fail('--env', bump.env, `an environment of ${environmentsDir}`);
  const text = fs.readFileSync(file, 'utf8');
  const loaded = parseEnvironment(file, text);
  if (!loaded.env) throw new ConfigError(loaded.issues);

  const matches = loaded.env.apps
    .map((a, i) => ({ a, i }))
    .filter(({ a }) => a.app === bump.app && (!bump.namespace || a.namespace === bump.namespace));
  if (matches.length === 0)
    fail(
      'apps',
      bump.app + (bump.namespace ? ` in ${bump.namespace}` : ''),
      `an app of the environment (${loaded.env.apps.map((a) => `${a.app} in ${a.namespace}`).join(', ') || 'none'})`,
    );
  if (matches.length > 1) fail('--namespace', bump.namespace, `one of ${matches.map(({ a }) => a.namespace).join(', ')}: ${bump.app} runs in each`);
  const { a: app, i } = matches[0];
  const images = (app as { images?: Record<string, ImageConfig> }).images ?? {};
  const current = images[bump.image];
  if (!current) fail(`apps[${i}].images`, bump.image, `an image of ${bump.app} (${Object.keys(images).sort().join(', ')})`);
  if (loaded.env.requireImageDigests && !bump.digest)
    fail(
      `apps[${i}].images.${bump.image}.digest`,
      undefined,
      'a digest (sha256:...): this environment pins every image by digest (requireImageDigests)',
    );

  const next = rewriteImage(text, i, bump.image, { repository: current.repository, tag: bump.tag, digest: bump.digest }, (found, expected) =>
    fail(`apps[${i}].images.${bump.image}`, found, expected),
  );

  const checked = parseEnvironment(file, next);
  if (!checked.env || checked.issues.length) throw new ConfigError(checked.issues);
  const after = (checked.env.apps[i] as { images: Record<string, ImageConfig> }).images[bump.image];
  if (opts.write !== false) {
    // Atomic: a reader never sees half a file.
    const tmp = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, next);
    fs.renameSync(tmp, file);
  }
  return { file, before: imageRef(current), after: imageRef(after), text: next };
}

/** A scalar as the environment files write it: bare where YAML reads it back as the same string. */
function scalar(v: string): string {
  const readsBack = (): boolean => {
    try {
      return parse(v) === v;
    } catch {
      return false;
    }
  };
  return /^[\w./:@-]+$/.test(v) && readsBack() ? v : JSON.stringify(v);
}

/**
 * `text` with apps[app].images[key] set to `image`, edited in place: only that entry's source changes,
 * in the style it was written in (flow `{ ... }` or block), so the rest of the file is byte for byte
 * what its authors wrote (comments, spacing, order).
 */
function rewriteImage(text: string, app: number, key: string, image: ImageConfig, fail: (found: unknown, expected: string) => never): string {
  const doc = parseDocument(text, { keepSourceTokens: true });
  const column = (offset: number) => offset - text.lastIndexOf('\n', offset - 1) - 1;
  const fields = [`repository: ${scalar(image.repository)}`, `tag: ${scalar(image.tag!)}`, ...(image.digest ? [`digest: "${image.digest}"`] : [])];
  const appNode = doc.getIn(['apps', app]);
  if (!isMap(appNode) || appNode.flow) return fail('a flow-style app entry', 'a block mapping under apps: (edit this one by hand)');
  const images = appNode.get('images', true);
  const entry = isMap(images) ? images.get(key, true) : undefined;
  if (isMap(entry) && entry.range) {
    const [start, end] = entry.range;
    const indent = ' '.repeat(column(start));
    // A block mapping's range runs through its last line break: keep it.
    const body = (entry.flow ? `{ ${fields.join(', ')} }` : fields.join(`\n${indent}`)) + (text[end - 1] === '\n' ? '\n' : '');
    return text.slice(0, start) + body + text.slice(end);
  }
  // An image left to the app's default: a new entry of its own, after the last one (or a new images:).
  const flowEntry = `${key}: { ${fields.join(', ')} }`;
  if (isMap(images) && !images.flow && images.items.length && images.range) {
    const first = images.items[0].key as { range?: [number, number, number] };
    const at = images.range[1];
    return `${text.slice(0, at).replace(/\n*$/, '')}\n${' '.repeat(column(first.range![0]))}${flowEntry}\n${text.slice(at).replace(/^\n/, '')}`;
  }
  if (images !== undefined) return fail('an images: section written inline', 'a block mapping (edit this one by hand)');
  const firstKey = (appNode as YAMLMap).items[0].key as { range?: [number, number, number] };
  const indent = ' '.repeat(column(firstKey.range![0]));
  const at = appNode.range![1];
  return `${text.slice(0, at).replace(/\n*$/, '')}\n${indent}images:\n${indent}  ${flowEntry}\n${text.slice(at).replace(/^\n/, '')}`;
}
