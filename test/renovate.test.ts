import * as fs from 'fs';
import * as path from 'path';
import { synthesizeAll } from '../lib/pipeline/synth/pipeline';
import { IMAGE_PINS } from '../apps/renovate';
import { REPO_ROOT, examples, fixture, manifests, messageOf } from './helpers';

/** Renovate's regex managers, applied the way it applies them: every match of each string, named groups. */
function pinsIn(file: string): Array<{ depName: string; currentValue: string; currentDigest?: string }> {
  const manager = IMAGE_PINS.find((m) => m.fileMatch.some((f) => new RegExp(f).test(file)));
  if (!manager) return [];
  const text = fs.readFileSync(path.join(REPO_ROOT, file), 'utf8');
  return manager.matchStrings.flatMap((s) =>
    [...text.matchAll(new RegExp(s, 'g'))].map((m) => ({
      depName: m.groups!.depName,
      currentValue: m.groups!.currentValue,
      ...(m.groups!.currentDigest ? { currentDigest: m.groups!.currentDigest } : {}),
    })),
  );
}

describe('image update automation (app renovate)', () => {
  const lab = manifests(examples(), 'lab');
  const cron = lab.find((o) => o.kind === 'CronJob' && o.metadata.name === 'renovate');
  const pod = cron.spec.jobTemplate.spec.template.spec;
  const container = pod.containers[0];
  const env = (name: string) => container.env.find((e: { name: string }) => e.name === name);
  const settings = JSON.parse(env('RENOVATE_CONFIG').value);

  it('runs the image as it is built to run: its entrypoint, its user, a read-only root with /tmp writable', () => {
    expect(container.image).toBe('ghcr.io/renovatebot/renovate:39.86.1');
    expect(container.command).toEqual(['/usr/local/sbin/renovate-entrypoint.sh', 'renovate']);
    expect(pod.securityContext.runAsUser).toBe(12021);
    expect(container.securityContext.readOnlyRootFilesystem).toBe(true);
    expect(container.volumeMounts).toContainEqual({ name: 'tmp', mountPath: '/tmp' });
    expect(settings.baseDir.startsWith('/tmp/')).toBe(true);
    expect(cron.spec.concurrencyPolicy).toBe('Forbid');
  });

  it('targets Parity’s own repository with only the image pins, its token from Vault', () => {
    expect(settings).toMatchObject({
      platform: 'github',
      endpoint: 'https://api.github.com/',
      repositories: ['example-lab/parity'],
      onboarding: false,
      enabledManagers: ['custom.regex'],
      binarySource: 'global',
    });
    expect(env('RENOVATE_TOKEN').valueFrom.secretKeyRef).toEqual({ name: 'renovate-token', key: 'token' });
    expect(lab.find((o) => o.kind === 'ExternalSecret' && o.spec?.target?.name === 'renovate-token')).toBeDefined();
    expect(examples().files.get('lab/DEPLOY.md')).toContain('renovate-token');
  });

  it('finds every image pin of the environments and of the apps’ defaults, digests included', () => {
    const lab = pinsIn('environments/lab.yaml');
    expect(lab).toContainEqual({ depName: 'registry.lab.example.com/lab/status-service', currentValue: '1.0.0' });
    const onprem = pinsIn('environments/onprem.yaml');
    expect(onprem).toContainEqual({ depName: 'registry.partner.com/axion/gen-api', currentValue: '1.0.0' });
    // Multi-line maps with a digest (a production environment that requires them).
    const digests = fs
      .readdirSync(path.join(REPO_ROOT, 'environments'))
      .filter((f) => f.endsWith('.yaml'))
      .flatMap((f) => pinsIn(`environments/${f}`))
      .filter((p) => p.currentDigest);
    expect(digests.length).toBeGreaterThan(0);
    expect(pinsIn('lib/core/model/apps/n8n.ts')).toEqual([{ depName: 'docker.io/n8nio/n8n', currentValue: '2.38.7' }]);
    expect(pinsIn('lib/core/model/apps/renovate.ts')).toEqual([{ depName: 'ghcr.io/renovatebot/renovate', currentValue: '39.86.1' }]);
    // Every default image of every app schema is found: none is pinned where Renovate cannot see it.
    const dir = path.join(REPO_ROOT, 'lib/core/model/apps');
    for (const f of fs.readdirSync(dir).filter((x) => x.endsWith('.ts'))) {
      const text = fs.readFileSync(path.join(dir, f), 'utf8');
      expect([f, pinsIn(`lib/core/model/apps/${f}`).length]).toEqual([f, (text.match(/repository: '[^']+', tag: '/g) ?? []).length]);
    }
  });

  it('opens egress to its Git host and the registries it looks tags up in, and nothing else', () => {
    const policy = lab.find((o) => o.kind === 'NetworkPolicy' && JSON.stringify(o.spec.podSelector).includes('renovate'));
    expect(policy.spec.policyTypes).toContain('Egress');
    expect(JSON.stringify(policy.spec.egress)).toContain('"port":443');
    expect(examples().files.get('lab/README.md')).toMatch(/automation\/renovate.*api\.github\.com/);
  });

  it('refuses a schedule that is not cron, and an endpoint in clear', () => {
    const withRenovate = (patch: object) =>
      fixture('onprem', (e) => {
        e.namespaces.push({ name: 'automation', quota: { requestsCpu: '1', requestsMemory: '1Gi', limitsCpu: '2', limitsMemory: '2Gi' } });
        e.apps.push({
          app: 'renovate',
          namespace: 'automation',
          platform: 'gitea',
          endpoint: 'https://git.lab.internal/api/v1',
          repository: 'platform/parity',
          ...patch,
        });
      });
    expect(messageOf(() => synthesizeAll({ environmentsDir: withRenovate({ schedule: 'hourly' }) }))).toMatch(
      /schedule.*a five-field cron expression/,
    );
    expect(messageOf(() => synthesizeAll({ environmentsDir: withRenovate({ endpoint: 'http://git.lab.internal/api/v1' }) }))).toMatch(
      /apps\[\d+\]\.endpoint: .*the API over https/,
    );
  });
});
