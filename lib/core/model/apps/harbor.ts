import { z } from 'zod';
import { appDatabaseSchema, dnsLabel, dnsName, imageSchema } from '../primitives';

/**
 * Harbor (The Lab design: the private registry with a pull-through proxy cache, a Helm chart repository
 * and vulnerability scanning), with its PostgreSQL.
 */
export const harborConfigSchema = z.strictObject({
  app: z.literal('harbor'),
  namespace: dnsLabel,
  /** Where its UI, API and registry answer (docker login <host>). */
  host: dnsName,
  images: z
    .strictObject({
      /** Runs the Job that keeps the proxy-cache projects (a Python script against Harbor's API). */
      configure: imageSchema.default({ repository: 'docker.io/library/python', tag: '3.12.8-alpine3.21' }),
    })
    .prefault({}),
  /** Image layers and chart packages: one volume of the default StorageClass, for the one registry pod. */
  storage: z
    .string()
    .regex(/^\d+(Gi|Ti)$/, 'a size such as 200Gi')
    .default('200Gi'),
  database: appDatabaseSchema('10Gi'),
  /**
   * Upstream registries served pull-through: each a proxy-cache project named like the registry, so
   * `<host>/docker.io/library/nginx` pulls docker.io's nginx once and serves it from then on (the same
   * `<mirror>/<origin>/<path>` names Parity's registry mirror uses). Every cached image is scanned.
   */
  proxyCaches: z
    .array(
      z.strictObject({
        /** The upstream's host, also the project's name, e.g. quay.io. */
        registry: dnsName,
        /** Harbor's adapter for it. */
        type: z.enum(['docker-hub', 'docker-registry', 'quay', 'github-ghcr', 'google-gcr', 'aws-ecr']),
        /** @default https://<registry> (Docker Hub: https://hub.docker.com) */
        url: z.url().optional(),
      }),
    )
    .default([
      { registry: 'docker.io', type: 'docker-hub' },
      { registry: 'quay.io', type: 'quay' },
      { registry: 'ghcr.io', type: 'github-ghcr' },
      { registry: 'registry.k8s.io', type: 'docker-registry' },
    ]),
});

export type HarborConfig = z.output<typeof harborConfigSchema>;
