import * as fs from 'fs';
import * as path from 'path';
import { synthesizeAll } from '../lib/pipeline/synth/pipeline';
import { REPO_ROOT, examples, fixture, manifests, messageOf, nameIs } from './helpers';

describe('Metaflow on dev (Axiom design: the metadata service of the ML pipelines in ai-platform)', () => {
  const objects = manifests(examples(), 'dev').filter((o) => o.metadata?.namespace === 'ai-platform');
  const one = (kind: string, name: string) => objects.find((o) => o.kind === kind && nameIs(o, name));
  const wave = (o: any) => Number(o.metadata.annotations['argocd.argoproj.io/sync-wave']);
  const service = one('Deployment', 'metaflow-metadata');
  const container = service.spec.template.spec.containers[0];
  const env = (c: any, name: string) => c.env.find((e: any) => e.name === name);

  it('serves metadata from PostgreSQL on CloudNativePG over TLS, logging in with Vault’s per-lease login', () => {
    expect(container.command).toEqual(['/opt/latest/bin/python3', '-m', 'services.metadata_service.server']);
    expect(env(container, 'MF_METADATA_DB_HOST').value).toBe('metaflow-postgres-rw.ai-platform.svc');
    expect(env(container, 'MF_METADATA_DB_SSL_MODE').value).toBe('require');
    expect(env(container, 'MF_METADATA_DB_USER').valueFrom.secretKeyRef).toEqual({ name: 'metaflow-postgres-vault-creds', key: 'username' });
    expect(env(container, 'MF_METADATA_DB_PSWD').valueFrom.secretKeyRef).toEqual({ name: 'metaflow-postgres-vault-creds', key: 'password' });
    expect(service.metadata.annotations['secret.reloader.stakater.com/reload']).toBe('metaflow-postgres-vault-creds');
    expect(container.readinessProbe.httpGet).toMatchObject({ path: '/ping', port: 8080 });
    expect(container.securityContext).toMatchObject({ runAsNonRoot: true, readOnlyRootFilesystem: true });
  });

  it('migrates its schema with goose in a wave Job between the database and the service', () => {
    const job = one('Job', 'metaflow-migrate');
    const c = job.spec.template.spec.containers[0];
    expect(c.command).toEqual(['/opt/latest/bin/python3', '/root/run_goose.py', '--wait', '60']);
    expect(env(c, 'MF_METADATA_DB_PSWD').valueFrom.secretKeyRef.name).toBe('metaflow-postgres-vault-creds');
    expect([wave(one('Cluster', 'metaflow-postgres')), wave(job), wave(service)]).toEqual([0, 2, 3]);
    expect(one('Ingress', 'metaflow-metadata').spec.rules[0].host).toBe('metaflow.dev.axiom.entropy.sa');
  });

  it('ships the Dockerfile of the image it runs: Metaflow’s, readable and run by a non-root user', () => {
    const dockerfile = fs.readFileSync(path.join(REPO_ROOT, 'images', 'metaflow-service', 'Dockerfile'), 'utf8');
    expect(dockerfile).toMatch(/^FROM netflixoss\/metaflow_metadata_service:v\d+\.\d+\.\d+$/m);
    expect(dockerfile).toContain('chmod -R a+rX /root');
    expect(dockerfile).toMatch(/^USER 1000:1000$/m);
  });

  it('the service image is a required input', () => {
    const dir = fixture('dev', (e) => {
      delete e.apps.find((a: { app: string }) => a.app === 'metaflow').images.service;
    });
    expect(messageOf(() => synthesizeAll({ environmentsDir: dir }))).toMatch(/apps\[\d\]\.images\.service: .*expected/);
  });
});
