import { z } from 'zod';
import { dnsLabel, imageSchema, appDatabaseSchema } from '../primitives';

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
  database: appDatabaseSchema('20Gi'),
});

export type MetaflowConfig = z.output<typeof metaflowConfigSchema>;
