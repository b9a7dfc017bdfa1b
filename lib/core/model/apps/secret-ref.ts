import { z } from 'zod';
import { dnsLabel } from '../primitives';

/**
 * Where a secret value comes from: a key of a Kubernetes Secret that the platform produces (from
 * Vault through External Secrets, or from Key Vault through the CSI driver). Literal secret values are
 * not accepted anywhere in an environment file.
 */
export const secretKeyRef = z.strictObject(
  {
    secret: dnsLabel,
    key: z.string().regex(/^[-._a-zA-Z0-9]+$/, 'a Secret key such as DATABASE_URL'),
  },
  { error: (iss) => (iss.input === undefined ? undefined : 'a reference { secret: <Secret name>, key: <key> }; literal secret values are refused') },
);

export type SecretKeyRef = z.output<typeof secretKeyRef>;
