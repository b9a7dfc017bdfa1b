import { Construct } from 'constructs';
import { propError } from './props';

/** An image reference split the way registries and mirrors see it. */
export interface ImageRef {
  /** Registry host, e.g. docker.io, ghcr.io, registry.example.com:5000. */
  readonly registry: string;
  /** Path inside the registry, e.g. library/nginx. */
  readonly path: string;
  readonly tag?: string;
  readonly digest?: string;
}

/**
 * Splits `name[:tag][@digest]` without judging it: the tag is after the last slash's colon (a registry
 * port is not a tag). Guardrails use this to report; constructs use parseImageRef to reject.
 */
export function splitImageRef(ref: string): { name: string; tag?: string; digest?: string } {
  const [nameTag, digest] = ref.split('@');
  const lastSlash = nameTag.lastIndexOf('/');
  const colon = nameTag.indexOf(':', lastSlash + 1);
  return colon >= 0 ? { name: nameTag.slice(0, colon), tag: nameTag.slice(colon + 1), digest } : { name: nameTag, digest };
}

/**
 * Parses `[registry/]path[:tag][@digest]` like the container runtimes do: the first segment is a
 * registry only if it looks like a host (has a dot or port, or is localhost); otherwise Docker Hub.
 * References without tag and digest, or with :latest alone, are rejected: they are not reproducible.
 */
export function parseImageRef(ref: string, construct: Construct | string = 'image', prop = 'image'): ImageRef {
  const { name, tag, digest } = splitImageRef(ref);
  if (digest !== undefined && !/^sha256:[a-f0-9]{64}$/.test(digest))
    throw propError(construct, prop, ref, 'a digest of the form sha256:<64 hex digits>');
  if (!tag && !digest) throw propError(construct, prop, ref, 'an image with a tag or a digest (repository:1.2.3 or repository@sha256:...)');
  if (tag === 'latest' && !digest) throw propError(construct, prop, ref, 'a version tag or a digest instead of :latest');
  if (!/^[a-z0-9]+([._-][a-z0-9]+)*(:[0-9]+)?(\/[a-z0-9]+([._-][a-z0-9]+)*)*$/.test(name))
    throw propError(construct, prop, ref, 'a lower-case image repository');
  const first = name.split('/')[0];
  const hasRegistry = name.includes('/') && (first.includes('.') || first.includes(':') || first === 'localhost');
  const registry = hasRegistry ? first : 'docker.io';
  let path = hasRegistry ? name.slice(first.length + 1) : name;
  if (registry === 'docker.io' && !path.includes('/')) path = `library/${path}`;
  return { registry, path, tag, digest };
}

export function formatImageRef(i: ImageRef): string {
  return `${i.registry}/${i.path}${i.tag ? `:${i.tag}` : ''}${i.digest ? `@${i.digest}` : ''}`;
}

/** Where the mirror serves an image: `<mirror>/<origin registry>/<path>`, same tag and digest. */
export function mirroredImage(ref: string, mirror: string): string {
  const i = parseImageRef(ref);
  return formatImageRef({ ...i, registry: mirror, path: `${i.registry}/${i.path}` });
}
