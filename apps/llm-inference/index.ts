import { WAVES } from '../../lib/core/facts/waves';
import { BaseService } from '../../constructs/k8s/base-service';
import { AppDatabase } from '../../constructs/k8s/app-database';
import { Chart } from '../../lib/core/facade/k8s';
import { imageRef } from '../../lib/core/model/primitives';
import { AppContext, PlatformApp } from '../../contracts/app';
import { serviceUrl } from '../../lib/core/facts/connections';
import { LlmInferenceConfig } from '../../lib/core/model/apps/llm-inference';

/**
 * The Lab's inference stack (The Lab design): Ollama serving GGUF models from a persistent volume on the GPU
 * pool, Open WebUI in front of it, and a CloudNativePG cluster with pgvector for embeddings.
 */
export const llmInference: PlatformApp<LlmInferenceConfig> = {
  id: 'llm-inference',
  description: 'Ollama (GPU), Open WebUI and pgvector',
  usesGpu: () => true,
  requiresAddOns: () => ['cloudnative-pg', 'nvidia-gpu', 'ingress-nginx', 'cert-manager', 'external-secrets', 'vault', 'reloader'],
  vaultSecrets: () => [],
  // Vault's logins act as the owner role (openwebui), which the vector database belongs to.
  databases: () => [{ cluster: 'pgvector', database: 'vectors', owner: 'openwebui' }],

  install(chart: Chart, cfg: LlmInferenceConfig, ctx: AppContext): void {
    const ns = cfg.namespace;
    const { cluster: vectors, login } = new AppDatabase(chart, 'vectors', {
      identity: { app: cfg.app, namespace: ns },
      cluster: 'pgvector',
      database: 'vectors',
      owner: 'openwebui',
      storageSize: cfg.vectorStore.storage,
      storageClass: ctx.traits.defaultStorageClass,
      instances: cfg.vectorStore.instances,
      extensions: ['vector'],
      uri: true,
    });

    const ollama = new BaseService(chart, 'ollama', {
      name: 'ollama',
      namespace: ns,
      component: 'inference',
      image: imageRef(cfg.images.ollama),
      containerPort: 11434,
      gpus: cfg.gpusPerReplica,
      env: { OLLAMA_HOST: '0.0.0.0:11434', OLLAMA_MODELS: '/models', HOME: '/tmp' },
      readinessProbe: { path: '/' },
      persistence: { size: cfg.modelStorage, mountPath: '/models', storageClass: ctx.traits.defaultStorageClass },
      syncWave: WAVES.appServices,
    });

    new BaseService(chart, 'open-webui', {
      name: 'open-webui',
      namespace: ns,
      component: 'web',
      image: imageRef(cfg.images.openWebUi),
      containerPort: 8080,
      profile: 'python',
      env: {
        OLLAMA_BASE_URL: serviceUrl(ollama.endpoint, 'http'),
        VECTOR_DB: 'pgvector',
        DATA_DIR: '/app/backend/data',
        HOME: '/tmp',
      },
      // A login from Vault per lease (rotated twice a day, the pod rolled over by Reloader), as one URL.
      secretEnv: { PGVECTOR_DB_URL: { secret: login, key: 'uri' } },
      rotatedSecrets: [login],
      readinessProbe: { path: '/health' },
      persistence: { size: '10Gi', mountPath: '/app/backend/data', storageClass: ctx.traits.defaultStorageClass },
      connectsTo: [
        { endpoint: ollama.endpoint, purpose: 'model inference' },
        { endpoint: vectors.endpoint, purpose: 'embeddings (pgvector)' },
      ],
      syncWave: WAVES.appServing,
    }).exposeViaIngress({
      host: cfg.webHost,
      className: ctx.routeClass,
      // Behind an ingress, its own certificate; on a tailnet, the internal gateway's wildcard.
      tls: ctx.env.access.kind === 'ingress' ? { secretName: 'open-webui-tls', clusterIssuer: ctx.env.access.tls.clusterIssuer } : undefined,
    });
  },
};
