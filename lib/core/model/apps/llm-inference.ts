import { z } from 'zod';
import { dnsLabel, dnsName, imageSchema } from '../primitives';

/** Private LLM inference (The Lab design): Ollama on GPU, Open WebUI, pgvector. */
export const llmInferenceConfigSchema = z.strictObject({
  app: z.literal('llm-inference'),
  namespace: dnsLabel,
  images: z
    .strictObject({
      ollama: imageSchema.default({ repository: 'docker.io/ollama/ollama', tag: '0.5.4' }),
      openWebUi: imageSchema.default({ repository: 'ghcr.io/open-webui/open-webui', tag: 'v0.5.4' }),
      /**
       * Chroma's server at the client release Open WebUI v0.5.4 pins (chromadb 0.5.15: open-webui issues
       * #8398 and #8783): a client talks to a server of its own release.
       */
      chroma: imageSchema.default({ repository: 'docker.io/chromadb/chroma', tag: '0.5.15' }),
    })
    .prefault({}),
  /** Volume for model weights (GGUF files), on the substrate's default storage class. */
  modelStorage: z
    .string()
    .regex(/^\d+(Gi|Ti)$/, 'a size such as 200Gi')
    .default('200Gi'),
  gpusPerReplica: z.number().int().min(1).default(1),
  /** Host of the web interface under the environment's ingress. */
  webHost: dnsName,
  /**
   * Where Open WebUI keeps the embeddings of RAG attachments: `chroma`, a Chroma server of the app's own
   * (The Lab design), or `pgvector`, the app's PostgreSQL. The pgvector cluster runs either way, for
   * relational vector work.
   */
  ragStore: z.enum(['pgvector', 'chroma']).default('pgvector'),
  /** The Chroma server's volume, when `ragStore` is chroma. */
  chromaStorage: z
    .string()
    .regex(/^\d+(Gi|Ti)$/, 'a size such as 20Gi')
    .default('20Gi'),
  vectorStore: z
    .strictObject({
      storage: z
        .string()
        .regex(/^\d+(Gi|Ti)$/)
        .default('20Gi'),
      instances: z.number().int().min(1).default(2),
    })
    .prefault({}),
});

export type LlmInferenceConfig = z.output<typeof llmInferenceConfigSchema>;
