import { z } from 'zod';
import { dnsLabel, imageSchema, appDatabaseSchema } from '../primitives';

const size = z.string().regex(/^\d+(Gi|Ti)$/, 'a size such as 20Gi');

/**
 * MLflow (Axiom design: experiment tracking and the model registry): the tracking server with its
 * PostgreSQL and an S3-compatible object store for artifacts, in the ML namespace.
 */
export const mlflowConfigSchema = z.strictObject({
  app: z.literal('mlflow'),
  namespace: dnsLabel,
  images: z.strictObject({
    /**
     * The tracking server, built by the organization from images/mlflow/Dockerfile (MLflow's own image
     * lacks the PostgreSQL driver and boto3): required, there is no public image that runs this setup.
     */
    server: imageSchema,
    minio: imageSchema.default({ repository: 'quay.io/minio/minio', tag: 'RELEASE.2024-12-18T13-15-44Z' }),
    /** MinIO's client, for the Job that creates the artifact bucket. */
    minioClient: imageSchema.default({ repository: 'quay.io/minio/mc', tag: 'RELEASE.2024-11-21T17-21-54Z' }),
  }),
  database: appDatabaseSchema('20Gi'),
  /** The object store's volume (artifacts and registered models). */
  artifactStorage: size.default('100Gi'),
});

export type MlflowConfig = z.output<typeof mlflowConfigSchema>;
