import { Construct } from 'constructs';
import { propError } from './props';
import { ImageRef, registryAndPath, splitImageRef } from '../lib/core/util/image-ref';

export { ImageRef, mirroredImage, splitImageRef } from '../lib/core/util/image-ref';

/**
 * Parses `[registry/]path[:tag][@digest]` like the container runtimes do (see registryAndPath).
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
  return { ...registryAndPath(name), tag, digest };
}
