import { z } from 'zod';
import { dnsLabel, dnsName, imageSchema, appDatabaseSchema } from '../primitives';

/**
 * n8n workflow automation (The Lab design: inbound contact form processing, list sign-ups, operational
 * glue between platform services), with its PostgreSQL.
 */
export const n8nConfigSchema = z.strictObject({
  app: z.literal('n8n'),
  namespace: dnsLabel,
  /** Where its editor and webhooks answer. */
  host: dnsName,
  images: z
    .strictObject({
      n8n: imageSchema.default({ repository: 'docker.io/n8nio/n8n', tag: '2.38.7' }),
    })
    .prefault({}),
  database: appDatabaseSchema('10Gi'),
  /** Time zone of schedule triggers (IANA name). @default 'UTC' */
  timezone: z
    .string()
    .regex(/^[A-Za-z_]+(\/[A-Za-z_+-]+)*$/, 'an IANA time zone such as Europe/Berlin')
    .default('UTC'),
});

export type N8nConfig = z.output<typeof n8nConfigSchema>;
