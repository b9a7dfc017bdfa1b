import { z } from 'zod';
import { dnsLabel, dnsName, imageSchema } from '../primitives';

const autoscaling = z.strictObject({ min: z.number().int().min(1), max: z.number().int().min(1) });

/** Arbitex platform on Kubernetes (Arbitex on AKS design, Epic M deployment architecture). */
export const arbitexConfigSchema = z.strictObject({
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
});

export type ArbitexConfig = z.output<typeof arbitexConfigSchema>;
