import { z } from 'zod';
import { OPERATOR_REDIS_IMAGES, dnsLabel, dnsName, imageSchema } from '../primitives';

const size = z.string().regex(/^\d+(Gi|Ti)$/, 'a size such as 20Gi');

/** Axiom platform services (Axiom design): operators where mature ones exist, Flyway before the backend. */
export const axiomPlatformConfigSchema = z.strictObject({
  app: z.literal('axiom-platform'),
  namespace: dnsLabel,
  images: z.strictObject({
    backend: imageSchema,
    /** Flyway image with the V###__ and R__ migrations baked in. */
    migrations: imageSchema,
    ...OPERATOR_REDIS_IMAGES,
    /** Temporal's server, the image its chart (0.52.0) runs; auto-setup is for development only. */
    temporal: imageSchema.default({ repository: 'docker.io/temporalio/server', tag: '1.25.2' }),
    /** temporal-sql-tool, for the schema Job. */
    temporalAdminTools: imageSchema.default({ repository: 'docker.io/temporalio/admin-tools', tag: '1.25.2-tctl-1.18.1-cli-1.1.1' }),
    temporalUi: imageSchema.default({ repository: 'docker.io/temporalio/ui', tag: '2.31.2' }),
    minio: imageSchema.default({ repository: 'quay.io/minio/minio', tag: 'RELEASE.2024-12-18T13-15-44Z' }),
  }),
  postgres: z.strictObject({ storage: size.default('50Gi'), instances: z.number().int().min(1).default(3) }).prefault({}),
  minioStorage: size.default('100Gi'),
  /** Replicas of the stateless services: production sizes up without another code path. */
  replicas: z.strictObject({ backend: z.number().int().min(1).default(2), keycloak: z.number().int().min(1).default(2) }).prefault({}),
  /** Host of the backend under the environment's domain, e.g. api.dev.axiom.entropy.sa. */
  backendHost: dnsName,
  /** The realm the backend trusts, imported by the environment's keycloak app (its OIDC issuer). */
  oidcRealm: dnsLabel.default('axiom'),
  /**
   * Scheduled work run with the backend's image (data cleanup, reports, retraining; Dev Center design):
   * each a CronJob with the backend's hardening, reaching only the services it `uses`.
   */
  scheduledJobs: z
    .array(
      z.strictObject({
        name: dnsLabel,
        schedule: z.string().min(1),
        command: z.array(z.string().min(1)).min(1),
        args: z.array(z.string()).optional(),
        timeZone: z.string().default('Etc/UTC'),
        uses: z.array(z.enum(['database', 'cache', 'objectStore'])).default(['database']),
      }),
    )
    .default([]),
});

export type AxiomPlatformConfig = z.output<typeof axiomPlatformConfigSchema>;
