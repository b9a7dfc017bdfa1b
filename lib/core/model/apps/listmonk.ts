import { z } from 'zod';
import { dnsLabel, dnsName, imageSchema, appDatabaseSchema } from '../primitives';

/**
 * listmonk (The Lab design: newsletter and list management, double opt-in, fed by the contact intake
 * flow), with its PostgreSQL.
 */
export const listmonkConfigSchema = z.strictObject({
  app: z.literal('listmonk'),
  namespace: dnsLabel,
  /** Where its admin UI and its public pages (subscription forms, opt-in confirmations) answer. */
  host: dnsName,
  images: z
    .strictObject({
      listmonk: imageSchema.default({ repository: 'docker.io/listmonk/listmonk', tag: 'v6.2.0' }),
    })
    .prefault({}),
  database: appDatabaseSchema('10Gi'),
});

export type ListmonkConfig = z.output<typeof listmonkConfigSchema>;
