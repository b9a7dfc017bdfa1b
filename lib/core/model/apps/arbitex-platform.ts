import { z } from 'zod';
import { dnsLabel, dnsName, imageSchema } from '../primitives';

const autoscaling = z.strictObject({ min: z.number().int().min(1), max: z.number().int().min(1) });

/** Arbitex platform on Kubernetes (Arbitex on AKS design, Epic M deployment architecture). */
export const arbitexConfigSchema = z
  .strictObject({
    app: z.literal('arbitex-platform'),
    namespace: dnsLabel,
    /** Helm-style release name: prefixes every object (arbitex-platform-api, ...). */
    release: dnsLabel.default('arbitex-platform'),
    /** Public host of the API and frontend, e.g. api.arbitex.ai. */
    host: dnsName,
    images: z.strictObject({ api: imageSchema, frontend: imageSchema, nerGpu: imageSchema, deberta: imageSchema }),
    autoscaling: z.strictObject({ api: autoscaling.default({ min: 2, max: 10 }), frontend: autoscaling.default({ min: 2, max: 6 }) }).prefault({}),
    /** Run `alembic upgrade head` as an init container of every API pod (the chart default). */
    alembicInitContainer: z.boolean().default(true),
    /**
     * Azure Key Vault through the Secrets Store CSI driver (recommended on AKS by the Arbitex design), read by
     * the app's own workload identity; the cluster stack creates the vault, the identity and the access.
     * Without it the same Secret comes from Vault through External Secrets.
     */
    keyVault: z
      .strictObject({
        name: z.string().regex(/^[a-zA-Z][a-zA-Z0-9-]{1,22}[a-zA-Z0-9]$/, 'a Key Vault name (3-24 letters, digits, -)'),
        tenantId: z.uuid(),
      })
      .optional(),
    /**
     * DATABASE_URL from a managed PostgreSQL server of the environment (`managedServices`): the cluster
     * stack writes the URL of database `name` into the Key Vault. Without it a person writes DATABASE_URL.
     */
    database: z
      .strictObject({
        service: dnsLabel,
        name: z
          .string()
          .regex(/^[a-z_][a-z0-9_]{0,62}$/)
          .default('arbitex'),
      })
      .optional(),
    /** REDIS_URL from a managed Redis cache of the environment, written into the Key Vault the same way. */
    cache: z.strictObject({ service: dnsLabel }).optional(),
    /**
     * Outpost mTLS (Arbitex design): a Platform CA issued by cert-manager in the namespace; the ingress asks
     * clients for a certificate and passes it on, the API verifies it against the CA mounted from a Secret,
     * and each listed Outpost gets a client certificate from that CA.
     */
    outpostMtls: z
      .strictObject({
        /** Outposts that get a client certificate (its Secret is handed to the Outpost's operator). */
        outposts: z.array(dnsLabel).default([]),
      })
      .optional(),
    /**
     * The chart's PersistentVolumeClaim: the API's data directory (/app/data), shared by every API replica,
     * so its StorageClass must offer ReadWriteMany (Azure Files on AKS, CephFS on bare metal).
     */
    dataVolume: z
      .strictObject({
        size: z
          .string()
          .regex(/^\d+(Mi|Gi|Ti)$/, 'a size like 10Gi')
          .default('10Gi'),
        storageClass: dnsLabel,
      })
      .optional(),
  })
  .superRefine((cfg, ctx) => {
    // The cluster stack writes connection URLs into the Key Vault; Vault's paths are written by a person.
    for (const key of ['database', 'cache'] as const)
      if (cfg[key] && !cfg.keyVault)
        ctx.addIssue({ code: 'custom', path: [key], message: 'keyVault as well: the cluster stack writes the URL into the Key Vault' });
  });

export type ArbitexConfig = z.output<typeof arbitexConfigSchema>;
