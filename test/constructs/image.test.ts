import { mirroredImage, parseImageRef, splitImageRef } from '../../constructs/image';
import { errorOf } from './helpers';

describe('image references', () => {
  it('split into registry, path, tag and digest; docker.io is implied', () => {
    expect(splitImageRef('ghcr.io/org/app:1.2.3@sha256:' + 'a'.repeat(64))).toEqual({
      name: 'ghcr.io/org/app',
      tag: '1.2.3',
      digest: 'sha256:' + 'a'.repeat(64),
    });
    expect(parseImageRef('nginx:1.27')).toMatchObject({ registry: 'docker.io', path: 'library/nginx', tag: '1.27' });
  });

  it('mirror to <mirror>/<origin registry>/<path>', () => {
    expect(mirroredImage('quay.io/org/app:1.0', 'registry.lab')).toBe('registry.lab/quay.io/org/app:1.0');
  });

  it('reject untagged and :latest images, naming the caller', () => {
    expect(errorOf(() => parseImageRef('app', 'Caller', 'image'))).toMatch(
      /^Caller: prop "image" is "app"; expected an image with a tag or a digest/,
    );
    expect(errorOf(() => parseImageRef('app:latest'))).toMatch(/expected a version tag or a digest instead of :latest/);
  });
});
