import * as fs from 'fs';
import * as path from 'path';
import { parseAllDocuments } from 'yaml';
import { synthesizeAll } from '../lib/pipeline/synth/pipeline';
import { REPO_ROOT, examples, fixture, manifests, messageOf, nameIs } from './helpers';

describe('MLflow on dev (Axiom design: experiment tracking and the model registry in ai-platform)', () => {
  const objects = manifests(examples(), 'dev').filter((o) => o.metadata?.namespace === 'ai-platform');
  const one = (kind: string, name: string) => objects.find((o) => o.kind === kind && nameIs(o, name));
  const wave = (o: any) => Number(o.metadata.annotations['argocd.argoproj.io/sync-wave']);
  const server = one('Deployment', 'mlflow');
  const container = server.spec.template.spec.containers[0];
  const env = (name: string) => container.env.find((e: any) => e.name === name);

  it('tracks in PostgreSQL on CloudNativePG with Vault’s per-lease login, rolled over by Reloader', () => {
    expect(one('Cluster', 'mlflow-postgres').spec.bootstrap.initdb).toMatchObject({ database: 'mlflow', owner: 'mlflow' });
    expect(env('MLFLOW_BACKEND_STORE_URI').valueFrom.secretKeyRef).toEqual({ name: 'mlflow-postgres-vault-creds', key: 'uri' });
    expect(container.args.slice(container.args.indexOf('--backend-store-uri'), container.args.indexOf('--backend-store-uri') + 2)).toEqual([
      '--backend-store-uri',
      '$(MLFLOW_BACKEND_STORE_URI)',
    ]);
    expect(server.metadata.annotations['secret.reloader.stakater.com/reload']).toBe('mlflow-postgres-vault-creds');
    expect(one('VaultDynamicSecret', 'mlflow-postgres-vault-creds').spec.path).toBe('database/creds/ai-platform-mlflow-postgres');
  });

  it('keeps artifacts in its MinIO bucket, created by a wave Job and proxied by the server', () => {
    expect(container.args).toEqual(expect.arrayContaining(['--serve-artifacts', '--artifacts-destination', 's3://mlflow']));
    expect(env('MLFLOW_S3_ENDPOINT_URL').value).toBe('http://mlflow-minio.ai-platform.svc:9000');
    expect(env('AWS_SECRET_ACCESS_KEY').valueFrom.secretKeyRef).toEqual({ name: 'mlflow-object-store', key: 'password' });
    const store = one('StatefulSet', 'mlflow-minio');
    expect(store.spec.volumeClaimTemplates[0].spec.resources.requests.storage).toBe('100Gi');
    const bucket = one('Job', 'mlflow-bucket');
    expect(bucket.spec.template.spec.containers[0].command[2]).toContain('mc mb --ignore-existing store/mlflow');
    // Schema and bucket before the server, after the database and the store.
    const schema = one('Job', 'mlflow-db-upgrade');
    expect(schema.spec.template.spec.containers[0].command[2]).toMatch(/^mlflow db upgrade "\$MLFLOW_BACKEND_STORE_URI" \|\| python -c /);
    expect([wave(one('Cluster', 'mlflow-postgres')), wave(store), wave(bucket), wave(schema), wave(server)]).toEqual([0, 1, 2, 2, 3]);
  });

  it('answers only its route and Service host names, is routed on the tailnet, and reaches exactly its stores', () => {
    expect(container.args.slice(-2)).toEqual(['--allowed-hosts', 'mlflow.dev.axiom.entropy.sa,mlflow.ai-platform.svc,mlflow.ai-platform.svc:5000']);
    expect(one('Ingress', 'mlflow').spec.rules[0].host).toBe('mlflow.dev.axiom.entropy.sa');
    expect(container.securityContext).toMatchObject({ runAsNonRoot: true, readOnlyRootFilesystem: true, allowPrivilegeEscalation: false });
    const policies = parseAllDocuments(examples().files.get('dev/manifests/network-policies.yaml')!).map((d) => d.toJS());
    const own = policies.find((p) => p.metadata.namespace === 'ai-platform' && p.metadata.name === 'mlflow-connections');
    const egressTo = own.spec.egress.map(
      (e: any) =>
        `${e.to[0].podSelector.matchLabels['app.kubernetes.io/name'] ?? e.to[0].podSelector.matchLabels['cnpg.io/cluster']}:${e.ports[0].port}`,
    );
    expect(egressTo.sort()).toEqual(['mlflow-minio:9000', 'mlflow-postgres:5432']);
    expect(examples().files.get('dev/README.md')).toContain('| `mlflow.dev.axiom.entropy.sa` | ai-platform/mlflow:5000 |');
  });

  it('ships the Dockerfile of the server image it runs (MLflow with psycopg2 and boto3, non-root)', () => {
    const dockerfile = fs.readFileSync(path.join(REPO_ROOT, 'images', 'mlflow', 'Dockerfile'), 'utf8');
    expect(dockerfile).toMatch(/^FROM ghcr\.io\/mlflow\/mlflow:v3\.\d+\.\d+$/m);
    expect(dockerfile).toMatch(/psycopg2-binary==[\d.]+ boto3==[\d.]+/);
    expect(dockerfile).toMatch(/^USER 1000:1000$/m);
  });

  it('has no public image to default to: the server image is a required input', () => {
    const dir = fixture('dev', (e) => {
      delete e.apps.find((a: { app: string }) => a.app === 'mlflow').images.server;
    });
    expect(messageOf(() => synthesizeAll({ environmentsDir: dir }))).toMatch(/apps\[\d\]\.images\.server: .*expected/);
  });
});
