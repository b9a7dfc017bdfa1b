import { z } from 'zod';
import { isCidr, isIpv4 } from '../util/cidr';

/** Value types shared by the environment schema and the app config schemas. */

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

export const dnsLabel = z
  .string()
  .max(63, 'a DNS-1123 label of at most 63 characters')
  .regex(DNS1123_LABEL, 'a DNS-1123 label: lower-case letters, digits and "-", starting and ending alphanumeric');

/** An age public key (bech32 `age1` + 58 characters), a SOPS recipient. */
export const ageRecipient = z.string().regex(/^age1[02-9ac-hj-np-z]{58}$/, 'an age public key (age1 followed by 58 bech32 characters)');

export const dnsName = z.string().max(253).regex(DNS1123_SUBDOMAIN, 'a lower-case DNS name such as dev.example.com');

export const cidr = z.string().refine(isCidr, 'an IPv4 CIDR block with no host bits set, like 10.0.0.0/16');
export const ipv4 = z.string().refine(isIpv4, 'an IPv4 address like 10.0.20.10');

/** Kubernetes minor versions Parity generates configuration for (all three substrates support them). */
export const SUPPORTED_KUBERNETES_MINORS = ['1.29', '1.30', '1.31', '1.32', '1.33'] as const;

export const kubernetesVersion = z.string().regex(/^1\.\d+(\.\d+)?$/, 'a Kubernetes version like "1.31" or "1.31.4"');

export const quantity = z
  .union([z.string(), z.number()])
  .transform(String)
  .refine((q) => /^\d+(\.\d+)?(m|Ki|Mi|Gi|Ti|k|M|G|T)?$/.test(q), 'a Kubernetes quantity like 500m, 2 or 4Gi');

/** A container image: repository plus a tag, a digest, or both. Never neither (K8S-004). */
export const imageSchema = z
  .strictObject({
    repository: z
      .string()
      .regex(/^[a-z0-9]+([._-][a-z0-9]+)*(:[0-9]+)?(\/[a-z0-9]+([._-][a-z0-9]+)*)*$/, 'an image repository such as registry.example.com/team/api'),
    tag: z
      .string()
      .regex(/^[\w][\w.-]{0,127}$/, 'an image tag such as 1.4.2')
      .optional(),
    digest: z
      .string()
      .regex(/^sha256:[a-f0-9]{64}$/, 'a digest such as sha256:<64 hex digits>')
      .optional(),
  })
  .refine((i) => i.tag !== undefined || i.digest !== undefined, {
    message: 'a tag or a digest (an image without either changes under the same manifest)',
  })
  .refine((i) => i.tag !== 'latest' || i.digest !== undefined, { message: 'a version tag, not latest', path: ['tag'] });

export type ImageConfig = z.output<typeof imageSchema>;

export function imageRef(i: ImageConfig): string {
  return `${i.repository}${i.tag ? `:${i.tag}` : ''}${i.digest ? `@${i.digest}` : ''}`;
}

/** `1.31.4` → `1.31`. */
export function kubernetesMinor(version: string): string {
  return version.split('.').slice(0, 2).join('.');
}

/**
 * An app's own PostgreSQL on CloudNativePG, as its config sizes it: the volume of each instance
 * (`defaultStorage` unless set) and the number of instances (2: a primary and a standby).
 */
export function appDatabaseSchema(defaultStorage: string) {
  return z
    .strictObject({
      storage: z
        .string()
        .regex(/^\d+(Gi|Ti)$/, `a size such as ${defaultStorage}`)
        .default(defaultStorage),
      instances: z.number().int().min(1).default(2),
    })
    .prefault({});
}

/**
 * The images of an app's own Redis on OT-CONTAINER-KIT's operator (add-on redis-operator): its redis
 * and redis-sentinel images (their entrypoints write the operator's replication and Sentinel
 * configuration) and the metrics sidecar, the releases the operator (chart 0.25.0) is tested with.
 */
export const OPERATOR_REDIS_IMAGES = {
  redis: imageSchema.default({ repository: 'quay.io/opstree/redis', tag: 'v7.0.15' }),
  redisSentinel: imageSchema.default({ repository: 'quay.io/opstree/redis-sentinel', tag: 'v7.0.15' }),
  /** The metrics sidecar of every Redis pod (the operator's tested exporter). */
  redisExporter: imageSchema.default({ repository: 'quay.io/opstree/redis-exporter', tag: 'v1.44.0' }),
} as const;
