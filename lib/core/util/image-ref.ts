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
 * Where a name lives, as the container runtimes read it: the first segment is a registry only if it
 * looks like a host (has a dot or port, or is localhost); otherwise Docker Hub, where single names are
 * under `library/`.
 */
export function registryAndPath(name: string): { registry: string; path: string } {
  const first = name.split('/')[0];
  const hasRegistry = name.includes('/') && (first.includes('.') || first.includes(':') || first === 'localhost');
  const registry = hasRegistry ? first : 'docker.io';
  const path = hasRegistry ? name.slice(first.length + 1) : name;
  return { registry, path: registry === 'docker.io' && !path.includes('/') ? `library/${path}` : path };
}

export function formatImageRef(i: ImageRef): string {
  return `${i.registry}/${i.path}${i.tag ? `:${i.tag}` : ''}${i.digest ? `@${i.digest}` : ''}`;
}

/** `grafana/loki:3.3.2` -> `docker.io/grafana/loki:3.3.2`: the reference with its registry spelled out. */
export function canonicalImage(ref: string): string {
  const { name, tag, digest } = splitImageRef(ref);
  return formatImageRef({ ...registryAndPath(name), tag, digest });
}

/** Where the mirror serves an image: `<mirror>/<origin registry>/<path>`, same tag and digest. */
export function mirroredImage(ref: string, mirror: string): string {
  const { name, tag, digest } = splitImageRef(ref);
  const i = registryAndPath(name);
  return formatImageRef({ registry: mirror, path: `${i.registry}/${i.path}`, tag, digest });
}
