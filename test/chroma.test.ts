import { synthesizeAll } from '../lib/pipeline/synth/pipeline';
import { examples, fixture, manifests } from './helpers';

describe('ChromaDB behind Open WebUI’s RAG (llm-inference ragStore: chroma), chosen by any environment', () => {
  const onprem = manifests(examples(), 'onprem');
  const named = (objects: any[], kind: string, name: string) => objects.find((o) => o.kind === kind && o.metadata.name === name);
  const envOf = (c: any) => Object.fromEntries(c.env.map((e: any) => [e.name, e.value ?? e.valueFrom.secretKeyRef]));

  it('runs Chroma 0.5.15 (the client Open WebUI v0.5.4 pins) persistent, token-protected, without telemetry', () => {
    const chroma = named(onprem, 'StatefulSet', 'chroma');
    const c = chroma.spec.template.spec.containers[0];
    expect(c.image).toBe('registry.lab.internal/docker.io/chromadb/chroma:0.5.15');
    expect(envOf(c)).toMatchObject({
      PERSIST_DIRECTORY: '/data',
      ANONYMIZED_TELEMETRY: 'FALSE',
      CHROMA_SERVER_AUTHN_PROVIDER: 'chromadb.auth.token_authn.TokenAuthenticationServerProvider',
      CHROMA_SERVER_AUTHN_CREDENTIALS: { name: 'chroma-token', key: 'token' },
    });
    expect(c.volumeMounts).toEqual(expect.arrayContaining([{ name: 'data', mountPath: '/data' }]));
    expect(c.readinessProbe.httpGet).toMatchObject({ path: '/api/v1/heartbeat', port: 8000 });
    expect(c.securityContext).toMatchObject({ readOnlyRootFilesystem: true });
    expect(chroma.spec.template.spec.securityContext).toMatchObject({ runAsNonRoot: true });
    expect(named(onprem, 'ExternalSecret', 'chroma-token')).toBeDefined();
  });

  it('points Open WebUI at it with the same token, and allows exactly that connection', () => {
    const webui = named(onprem, 'StatefulSet', 'open-webui').spec.template.spec.containers[0];
    expect(envOf(webui)).toMatchObject({
      VECTOR_DB: 'chroma',
      CHROMA_HTTP_HOST: 'chroma.ai-platform.svc',
      CHROMA_HTTP_PORT: '8000',
      CHROMA_CLIENT_AUTH_PROVIDER: 'chromadb.auth.token_authn.TokenAuthClientProvider',
      CHROMA_CLIENT_AUTH_CREDENTIALS: { name: 'chroma-token', key: 'token' },
    });
    expect(envOf(webui)).not.toHaveProperty('PGVECTOR_DB_URL');
    const policy = onprem.find(
      (o) =>
        o.kind === 'NetworkPolicy' &&
        o.metadata.namespace === 'ai-platform' &&
        o.spec.podSelector.matchLabels?.['app.kubernetes.io/name'] === 'chroma',
    );
    expect(JSON.stringify(policy.spec.ingress)).toContain('open-webui');
    // pgvector stays for relational vector work.
    expect(named(onprem, 'Cluster', 'pgvector')).toBeDefined();
    expect(examples().files.get('onprem/images.txt')).toContain('docker.io/chromadb/chroma:0.5.15');
  });

  it('keeps pgvector as the RAG store where an environment does not choose chroma', () => {
    const dev = manifests(examples(), 'dev');
    expect(envOf(named(dev, 'StatefulSet', 'open-webui').spec.template.spec.containers[0])).toMatchObject({ VECTOR_DB: 'pgvector' });
    expect(named(dev, 'StatefulSet', 'chroma')).toBeUndefined();
    const chosen = manifests(
      synthesizeAll({
        environmentsDir: fixture('dev', (e) => (e.apps.find((a: any) => a.app === 'llm-inference').ragStore = 'chroma')),
      }),
      'dev',
    );
    expect(named(chosen, 'StatefulSet', 'chroma').spec.template.spec.containers[0].image).toMatch(/chromadb\/chroma:0\.5\.15$/);
  });
});
