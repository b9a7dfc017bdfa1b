import { z } from 'zod';
import { dnsLabel, dnsName, imageSchema, appDatabaseSchema } from '../primitives';

/**
 * Gatus (The Lab design: status monitoring under the operator's control, the upstream of the platform's
 * status service): health checks of endpoints, their history in PostgreSQL, a status page.
 */
export const gatusConfigSchema = z.strictObject({
  app: z.literal('gatus'),
  namespace: dnsLabel,
  images: z
    .strictObject({
      gatus: imageSchema.default({ repository: 'docker.io/twinproduction/gatus', tag: 'v5.36.0' }),
    })
    .prefault({}),
  database: appDatabaseSchema('5Gi'),
  /**
   * What it checks: HTTPS endpoints as their users reach them (the environment's public hosts, the
   * providers it depends on). Each must answer 200 within `maxResponseMs`, with a certificate valid for
   * at least `certificateDays` more days.
   */
  checks: z
    .array(
      z.strictObject({
        name: z.string().min(1),
        group: z.string().min(1).optional(),
        url: z.string().regex(/^https:\/\/[a-z0-9]([a-z0-9.-]*[a-z0-9])?(:\d+)?(\/\S*)?$/, 'an https:// URL'),
        interval: z
          .string()
          .regex(/^\d+[sm]$/, 'seconds or minutes such as 60s')
          .default('60s'),
        maxResponseMs: z.number().int().min(1).default(1000),
        certificateDays: z.number().int().min(1).default(14),
      }),
    )
    .min(1),
  /**
   * The organization's status service (The Lab design: the LIVE status panel's backend): a read-only
   * public API over Gatus's results and the cluster's signals from Prometheus, rate-limited, with CORS
   * for the sites that show it. Its image is the organization's own. @default none
   */
  statusService: z
    .strictObject({
      image: imageSchema,
      /** Public host of its API. */
      host: dnsName,
      /** Sites whose pages call it (CORS), e.g. https://www.example.org. */
      corsOrigins: z.array(z.string().regex(/^https:\/\/[a-z0-9]([a-z0-9.-]*[a-z0-9])?$/, 'an https:// origin without a path')).min(1),
      /** Requests per second per client address, at the ingress. */
      rateLimitRps: z.number().int().min(1).default(5),
      replicas: z.number().int().min(1).default(2),
    })
    .optional(),
});

export type GatusConfig = z.output<typeof gatusConfigSchema>;
