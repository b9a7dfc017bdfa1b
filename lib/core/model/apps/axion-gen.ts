import { z } from 'zod';
import { dnsLabel, dnsName, quantity } from '../primitives';
import { secretKeyRef } from './secret-ref';

/**
 * axion-gen, as its installation guide specifies: the values contract of the vendor's chart, path for
 * path. Every "required value" of the chart is required here, so a missing one is a load error naming
 * its path. The secret values (client secret, S3 keys, database password, OpenFGA key, API keys) are
 * references to keys of Vault secrets: Parity never takes a secret as a literal, and the chart gets
 * them from Argo CD's secret-values plugin, never from Git.
 */
const image = z.strictObject({
  repository: z
    .string()
    .regex(/^[a-z0-9]+([._-][a-z0-9]+)*(:[0-9]+)?(\/[a-z0-9]+([._-][a-z0-9]+)*)*$/, 'an image repository in your private registry'),
  tag: z
    .string()
    .regex(/^[\w][\w.-]{0,127}$/, 'an image version tag such as 1.0.0')
    .refine((t) => t !== 'latest', 'a version tag, not latest'),
});

const resources = z.strictObject({
  requests: z.strictObject({ cpu: quantity, memory: quantity }),
  limits: z.strictObject({ cpu: quantity, memory: quantity }),
});

export const axionGenConfigSchema = z
  .strictObject({
    app: z.literal('axion-gen'),
    namespace: dnsLabel,
    release: dnsLabel.default('axion-gen'),
    /**
     * The vendor's chart (guide, "Pull the Helm chart"), pulled into the site's private registry with its
     * images (charts.txt) where the environment has a mirror.
     */
    chart: z.strictObject({
      repository: z
        .string()
        .regex(/^[a-z0-9.-]+(:\d+)?(\/[a-z0-9._-]+)+$/, 'an OCI registry path without oci://')
        .default('europe-west1-docker.pkg.dev/axionx-infra/axion/charts'),
      name: dnsLabel.default('axion-gen'),
      version: z
        .string()
        .regex(/^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$/, 'an exact chart version such as 1.0.0')
        .refine((v) => !/latest/i.test(v), 'a released chart version: 0.0.0-latest moves under the same name'),
    }),
    /** Pull secrets of a private registry (dockerconfigjson Secrets synced from Vault), by name. */
    global: z.strictObject({ imagePullSecrets: z.array(dnsLabel).default([]) }).prefault({}),
    api: z.strictObject({
      image,
      replicaCount: z.number().int().min(1).default(1),
      cors: z.strictObject({ allowedOrigins: z.array(z.url()).default([]) }).prefault({}),
      /** The API Service: ClusterIP behind the ingress, or NodePort / LoadBalancer where a site has no ingress (seed 002, option B). */
      service: z.strictObject({ type: z.enum(['ClusterIP', 'NodePort', 'LoadBalancer']).default('ClusterIP') }).prefault({}),
      resources: resources.default({ requests: { cpu: '100m', memory: '256Mi' }, limits: { cpu: '500m', memory: '512Mi' } }),
      apiKeys: z.array(z.strictObject({ key: secretKeyRef, serviceName: z.string().min(1) })).default([]),
      migration: z.strictObject({ enabled: z.boolean().default(true) }).prefault({}),
      ingress: z
        .discriminatedUnion('enabled', [
          z.strictObject({ enabled: z.literal(false) }),
          z.strictObject({
            enabled: z.literal(true),
            className: z.string().default('nginx'),
            annotations: z.record(z.string(), z.string()).default({}),
            hosts: z
              .array(
                z.strictObject({
                  host: dnsName,
                  paths: z.array(z.strictObject({ path: z.string(), pathType: z.enum(['Prefix', 'Exact']).default('Prefix') })).min(1),
                }),
              )
              .min(1),
            tls: z.array(z.strictObject({ hosts: z.array(dnsName).min(1), secretName: dnsLabel })).default([]),
          }),
        ])
        .default({ enabled: false }),
      certificate: z
        .discriminatedUnion('enabled', [
          z.strictObject({ enabled: z.literal(false) }),
          z.strictObject({
            enabled: z.literal(true),
            issuerRef: z.strictObject({ name: dnsLabel }),
            dnsNames: z.array(dnsName).min(1),
          }),
        ])
        .default({ enabled: false }),
    }),
    worker: z.strictObject({
      image,
      replicaCount: z.number().int().min(1).default(1),
      resources: resources.default({ requests: { cpu: '100m', memory: '256Mi' }, limits: { cpu: '1', memory: '1Gi' } }),
      hangfire: z
        .strictObject({
          dashboardEnabled: z.boolean().default(false),
          workerCount: z.number().int().min(1).default(2),
          queues: z.array(z.string().min(1)).min(1).default(['default', 'critical']),
          allowedEmails: z.array(z.email()).default([]),
        })
        .prefault({}),
    }),
    oidc: z.strictObject({
      authority: z.url(),
      clientId: z.string().min(1),
      clientSecret: secretKeyRef,
      audience: z.string().optional(),
      requireHttpsMetadata: z.boolean().default(true),
    }),
    s3: z.strictObject({ host: z.string().min(1), accessKey: secretKeyRef, secretKey: secretKeyRef, secured: z.boolean().default(true) }),
    postgres: z.strictObject({
      api: z.strictObject({
        host: z.string().min(1),
        database: z.string().min(1),
        username: z.string().min(1),
        password: secretKeyRef,
        port: z.number().int().default(5432),
        maxPoolSize: z.number().int().min(1).default(20),
      }),
    }),
    openfga: z.strictObject({
      /** Empty disables OpenFGA (allow-all permission service), as in the seed. */
      apiUrl: z.union([z.literal(''), z.url()]),
      apiKey: secretKeyRef,
      storeName: z.string().default('axion-gen'),
    }),
    /**
     * Parity deploys the PostgreSQL 15+ database the chart requires, as a CloudNativePG cluster
     * `<release>-postgres` whose owner password Vault generates (`<release>-postgres-owner`), since the
     * chart takes the password as a value; `postgres.api` then names its read-write Service and that
     * secret. @default none (the database is provisioned elsewhere)
     */
    database: z.strictObject({ instances: z.number().int().min(1).default(2), storageSize: quantity }).optional(),
  })
  .superRefine((cfg, ctx) => {
    if (!cfg.database) return;
    const cluster = postgresClusterName(cfg.release);
    const host = `${cluster}-rw.${cfg.namespace}.svc`;
    if (cfg.postgres.api.host !== host) {
      ctx.addIssue({
        code: 'custom',
        path: ['postgres', 'api', 'host'],
        message: `"${host}", the read-write Service of the database Parity deploys (database:)`,
      });
    }
    const { secret, key } = cfg.postgres.api.password;
    if (secret !== postgresOwnerSecret(cfg.release) || key !== 'password') {
      ctx.addIssue({
        code: 'custom',
        path: ['postgres', 'api', 'password'],
        message: `{ secret: ${postgresOwnerSecret(cfg.release)}, key: password }, the owner login Vault generates for that database (database:)`,
      });
    }
  });

/** The CloudNativePG cluster of a release whose database Parity deploys. */
export function postgresClusterName(release: string): string {
  return `${release}-postgres`;
}

/** The owner login of that cluster: generated by Vault, used by CloudNativePG's initdb and given to the chart. */
export function postgresOwnerSecret(release: string): string {
  return `${postgresClusterName(release)}-owner`;
}

export type AxionGenConfig = z.output<typeof axionGenConfigSchema>;
