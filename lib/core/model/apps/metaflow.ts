import { z } from 'zod';
import { dnsLabel, imageSchema } from '../primitives';

/** Metaflow's metadata service (Axiom design: ML pipelines), with its PostgreSQL, in the ML namespace. */
export const metaflowConfigSchema = z.strictObject({
  app: z.literal('metaflow'),
  namespace: dnsLabel,
  images: z.strictObject({
    /**
     * The metadata service, built by the organization from images/metaflow-service/Dockerfile (Metaflow's
     * own image keeps its code under /root, unreadable to a non-root user): required.
     */
    service: imageSchema,
  }),
  database: z
    .strictObject({
      storage: z
        .string()
        .regex(/^\d+(Gi|Ti)$/, 'a size such as 20Gi')
        .default('20Gi'),
      instances: z.number().int().min(1).default(2),
    })
    .prefault({}),
});

export type MetaflowConfig = z.output<typeof metaflowConfigSchema>;
