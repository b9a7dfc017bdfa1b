import { z } from 'zod';
import { dnsLabel, imageSchema } from '../primitives';

const size = z.string().regex(/^\d+Gi$/, 'a size in Gi such as 100Gi');

/**
 * Self-hosted GitHub Actions runners (Dev Center design: the `ci` namespace, the compute pool): a
 * runner scale set of GitHub's Actions Runner Controller, ephemeral runners on the dedicated pool, and
 * a shared BuildKit with a persistent layer cache for image builds.
 */
export const githubRunnersConfigSchema = z
  .strictObject({
    app: z.literal('github-runners'),
    namespace: dnsLabel,
    /** The organization or repository the runners serve, e.g. https://github.com/entropy-sa. */
    githubConfigUrl: z
      .string()
      .regex(/^https:\/\/github\.com\/[A-Za-z0-9_.-]+(\/[A-Za-z0-9_.-]+)?$/, 'https://github.com/<org> or https://github.com/<org>/<repo>'),
    /** The scale set's name, which workflows select with `runs-on`. */
    scaleSetName: dnsLabel,
    minRunners: z.number().int().min(0).default(0),
    maxRunners: z.number().int().min(1).default(10),
    /** The node pool role the runners and the builder run on; the environment dedicates that pool. */
    pool: z.enum(['compute']).default('compute'),
    images: z
      .strictObject({
        runner: imageSchema.default({ repository: 'ghcr.io/actions/actions-runner', tag: '2.334.0' }),
        buildkit: imageSchema.default({ repository: 'docker.io/moby/buildkit', tag: 'v0.23.2-rootless' }),
      })
      .prefault({}),
    /** The image builder: its namespace (Pod Security "privileged": rootless BuildKit) and layer cache. */
    builder: z.strictObject({ namespace: dnsLabel, cacheSize: size.default('100Gi') }),
    /**
     * Images the runners build and push: another app's image slot in this environment, by app and slot
     * (`{ app: mlflow, image: server }`). The runners' pods get a cloud identity allowed to push exactly
     * those repositories. @default none
     */
    pushes: z.array(z.strictObject({ app: z.string().min(1), image: z.string().min(1) })).default([]),
    /** Registries builds push to and pull from (their hosts, for the builder's egress). */
    registries: z.array(z.string().min(1)).min(1),
  })
  .refine((c) => c.minRunners <= c.maxRunners, { message: 'minRunners ≤ maxRunners', path: ['minRunners'] });

export type GithubRunnersConfig = z.output<typeof githubRunnersConfigSchema>;
