import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { bumpImage } from '../lib/pipeline/review/bump-image';
import { ENVIRONMENTS_DIR, messageOf } from './helpers';

/** A scratch copy of the shipped environment files. */
function scratch(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'parity-bump-'));
  for (const f of fs.readdirSync(ENVIRONMENTS_DIR)) fs.copyFileSync(path.join(ENVIRONMENTS_DIR, f), path.join(dir, f));
  return dir;
}
const changedLines = (a: string, b: string) => {
  const la = a.split('\n');
  const lb = b.split('\n');
  return lb.filter((l, i) => l !== la[i]);
};

describe('bump-image: CI writes a new build into the environment file', () => {
  const digest = `sha256:${'b'.repeat(64)}`;

  it('changes only that image’s tag and digest, in place: comments and every other line kept', () => {
    const dir = scratch();
    const before = fs.readFileSync(path.join(dir, 'axiom-prod.yaml'), 'utf8');
    const r = bumpImage(dir, { env: 'axiom-prod', app: 'axiom-platform', image: 'backend', tag: '9b8c7d6e', digest });
    const after = fs.readFileSync(path.join(dir, 'axiom-prod.yaml'), 'utf8');
    expect(after).toBe(r.text);
    expect(changedLines(before, after)).toEqual(['        tag: 9b8c7d6e', `        digest: "${digest}"`]);
    expect(after.split('\n').length).toBe(before.split('\n').length);
    expect(r.after).toBe(`444455556666.dkr.ecr.us-east-1.amazonaws.com/axiom/backend:9b8c7d6e@${digest}`);
  });

  it('keeps the flow style of an inline entry, quotes a tag YAML would read as a number, and adds an entry for a defaulted image', () => {
    const dir = scratch();
    bumpImage(dir, { env: 'dev', app: 'axiom-platform', image: 'backend', tag: '1234' });
    bumpImage(dir, { env: 'dev', app: 'axiom-platform', image: 'redis', tag: 'v7.0.16' });
    const text = fs.readFileSync(path.join(dir, 'dev.yaml'), 'utf8');
    expect(text).toContain('      backend: { repository: 111122223333.dkr.ecr.us-east-1.amazonaws.com/axiom/backend, tag: "1234" }\n');
    expect(text).toContain('      redis: { repository: quay.io/opstree/redis, tag: v7.0.16 }\n');
  });

  it('the synthesized output carries the new image', () => {
    const dir = scratch();
    bumpImage(dir, { env: 'dev', app: 'axiom-platform', image: 'backend', tag: '0a1b2c3d' });
    const { synthesizeAll } = require('../lib/pipeline/synth/pipeline') as typeof import('../lib/pipeline/synth/pipeline');
    const out = synthesizeAll({ environmentsDir: dir, only: ['dev'] });
    expect(out.files.get('dev/manifests/apps/axiom-platform.dev-center.yaml')).toContain(
      'image: 111122223333.dkr.ecr.us-east-1.amazonaws.com/axiom/backend:0a1b2c3d',
    );
  });

  it('bad input is a clear error and writes nothing', () => {
    const dir = scratch();
    const before = fs.readFileSync(path.join(dir, 'dev.yaml'), 'utf8');
    expect(messageOf(() => bumpImage(dir, { env: 'dev', app: 'axiom-platform', image: 'frontend', tag: 'x1' }))).toMatch(
      /apps\[0\]\.images: found "frontend"; expected an image of axiom-platform \(backend, migrations, minio, redis, redisExporter, redisSentinel, temporal, temporalAdminTools, temporalUi\)/,
    );
    expect(messageOf(() => bumpImage(dir, { env: 'dev', app: 'axiom-platform', image: 'backend', tag: 'latest' }))).toMatch(
      /apps\[0\]\.images\.backend\.tag: found "latest"; expected a version tag, not latest/,
    );
    expect(messageOf(() => bumpImage(dir, { env: 'dev', app: 'arbitex-platform', image: 'api', tag: 'v1' }))).toMatch(
      /apps: found "arbitex-platform"; expected an app of the environment \(axiom-platform in dev-center, llm-inference in ai-platform, keycloak in auth, github-runners in ci, mlflow in ai-platform, metaflow in ai-platform\)/,
    );
    expect(messageOf(() => bumpImage(dir, { env: 'staging', app: 'axiom-platform', image: 'backend', tag: 'v1' }))).toMatch(/--env: found "staging"/);
    expect(fs.readFileSync(path.join(dir, 'dev.yaml'), 'utf8')).toBe(before);
    // Where the environment pins digests, a tag alone is not enough.
    expect(messageOf(() => bumpImage(dir, { env: 'prod', app: 'arbitex-platform', image: 'api', tag: 'v0.30.0' }))).toMatch(
      /apps\[0\]\.images\.api\.digest: found nothing; expected a digest \(sha256:\.\.\.\): this environment pins every image by digest/,
    );
  });
});
