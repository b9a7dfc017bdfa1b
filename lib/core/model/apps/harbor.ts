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
  /**
   * The environment's nodes pull every `proxyCaches` registry through this Harbor (containerd mirrors,
   * with the upstream as the fallback while Harbor is not up), instead of a `registryMirror`. The host's
   * certificate must chain to a CA the nodes trust (ACME's on a public environment). Bare metal only:
   * the substrate writes the nodes' containerd configuration. @default false
   */
  nodeMirror: z.boolean().default(false),
});

export type HarborConfig = z.output<typeof harborConfigSchema>;

/** The registry API an upstream's images are pulled from (Docker Hub's differs from its name). */
function upstreamOf(registry: string): string {
  return registry === 'docker.io' ? 'https://registry-1.docker.io' : `https://${registry}`;
}

/** The pull-through cache the environment's nodes use: the first harbor app with `nodeMirror`. */
export function nodePullThroughCache(
  apps: ReadonlyArray<{ readonly app: string }>,
): { host: string; origins: Array<{ origin: string; upstream: string }> } | undefined {
  const h = apps.find((a): a is HarborConfig => a.app === 'harbor' && (a as HarborConfig).nodeMirror);
  return h && { host: h.host, origins: h.proxyCaches.map((p) => ({ origin: p.registry, upstream: upstreamOf(p.registry) })) };
}
