import * as fs from 'fs';
import * as path from 'path';
import { parse } from 'yaml';
import { REPO_ROOT, exampleEnvironment } from './helpers';

/**
 * The workflow that builds the organization's images must name what the rest of the repository names:
 * the runner scale set of dev, an image directory with a Dockerfile, an image slot of an app in the
 * environment file, and the payload image-bump.yml reads.
 */
describe('platform-images workflow', () => {
  const workflow = parse(fs.readFileSync(path.join(REPO_ROOT, '.github', 'workflows', 'platform-images.yml'), 'utf8'));
  const job = workflow.jobs.build;
  const lab = parse(fs.readFileSync(path.join(REPO_ROOT, '.github', 'workflows', 'lab-images.yml'), 'utf8'));

  it('runs on the runner scale set dev declares', () => {
    const runners = exampleEnvironment('dev').apps.find((a: { app: string }) => a.app === 'github-runners');
    expect(job['runs-on']).toBe(runners.scaleSetName);
  });

  it('builds every image directory (here, or for the Lab in lab-images.yml), each for an image slot the environment file pins', () => {
    const dirs = fs.readdirSync(path.join(REPO_ROOT, 'images')).filter((d) => fs.existsSync(path.join(REPO_ROOT, 'images', d, 'Dockerfile')));
    const matrix: Array<{ dir: string; env: string; app: string; image: string }> = job.strategy.matrix.include;
    const labMatrix: Array<{ dir: string; env: string; app: string; image: string }> = lab.jobs.build.strategy.matrix.include;
    expect([...matrix, ...labMatrix].map((m) => m.dir).sort()).toEqual(dirs.sort());
    for (const m of [...matrix, ...labMatrix]) {
      const app = exampleEnvironment(m.env as 'dev').apps.find((a: { app: string }) => a.app === m.app);
      expect(app?.images?.[m.image]?.repository).toMatch(/^[a-z0-9.-]+\//);
    }
    // The Lab's go to its own registry, the Harbor app of the Lab.
    const harbor = exampleEnvironment('lab').apps.find((a: { app: string }) => a.app === 'harbor');
    for (const m of labMatrix) {
      expect(m.env).toBe('lab');
      const app = exampleEnvironment('lab').apps.find((a: { app: string }) => a.app === m.app);
      expect(app.images[m.image].repository.split('/')[0]).toBe(harbor.host);
    }
  });

  it('may dispatch image-built (contents: write on the build job only), and pushes to the Lab with the named robot account only', () => {
    for (const w of [workflow, lab]) {
      expect(w.permissions).toEqual({ contents: 'read' });
      expect(w.jobs.build.permissions).toEqual({ contents: 'write' });
    }
    const text = fs.readFileSync(path.join(REPO_ROOT, '.github', 'workflows', 'lab-images.yml'), 'utf8');
    expect([...text.matchAll(/secrets\.([A-Z_]+)/g)].map((m) => m[1]).sort()).toEqual(['LAB_REGISTRY_PASSWORD', 'LAB_REGISTRY_USERNAME']);
    const steps = lab.jobs.build.steps.map((s: { run?: string }) => s.run ?? '').join('\n');
    expect(steps).toContain('event_type=image-built');
  });

  it('pushes exactly what the runners’ identity may push (apps[github-runners].pushes), with no stored credential', () => {
    const runners = exampleEnvironment('dev').apps.find((a: { app: string }) => a.app === 'github-runners');
    const matrix: Array<{ env: string; app: string; image: string }> = job.strategy.matrix.include;
    expect(matrix.map((m) => ({ app: m.app, image: m.image }))).toEqual(runners.pushes);
    const text = fs.readFileSync(path.join(REPO_ROOT, '.github', 'workflows', 'platform-images.yml'), 'utf8');
    expect(text).not.toMatch(/role-to-assume|secrets\.|vars\./);
  });

  it('dispatches the payload image-bump.yml reads, and takes BuildKit from the runner', () => {
    const steps = job.steps.map((s: { run?: string }) => s.run ?? '').join('\n');
    for (const key of ['env', 'app', 'image', 'tag', 'digest']) expect(steps).toContain(`client_payload[${key}]=`);
    expect(steps).toContain('event_type=image-built');
    expect(steps).toContain('"$BUILDKIT_HOST" --use');
    const bump = parse(fs.readFileSync(path.join(REPO_ROOT, '.github', 'workflows', 'image-bump.yml'), 'utf8'));
    expect(bump.on.repository_dispatch.types).toEqual(['image-built']);
  });
});
