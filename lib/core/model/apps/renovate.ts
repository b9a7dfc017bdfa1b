import { z } from 'zod';
import { dnsLabel, imageSchema } from '../primitives';

/**
 * Image update automation (The Lab design: "commits updated image tags back to Git for Argo CD to
 * reconcile"): Renovate on a schedule against Parity's own repository, where every image is pinned
 * (the environments' `images:` and the apps' defaults). Each new tag is a pull request there; CI
 * synthesizes and checks it, and once merged the published tree is what Argo CD reconciles.
 */
export const renovateConfigSchema = z.strictObject({
  app: z.literal('renovate'),
  namespace: dnsLabel,
  images: z
    .strictObject({
      renovate: imageSchema.default({ repository: 'ghcr.io/renovatebot/renovate', tag: '39.86.1' }),
    })
    .prefault({}),
  /** The Git host of Parity's repository. */
  platform: z.enum(['github', 'gitlab', 'gitea']),
  /**
   * Its API, for a self-hosted host (GitHub Enterprise, a GitLab or Gitea of the site).
   * @default the platform's public API (api.github.com, gitlab.com)
   */
  endpoint: z
    .url()
    .regex(/^https:\/\//, 'the API over https')
    .optional(),
  /** Parity's repository, `owner/name`: where the environments and the apps' image pins live. */
  repository: z.string().regex(/^[A-Za-z0-9_.-]+(\/[A-Za-z0-9_.-]+)+$/, 'a repository path such as platform/parity'),
  /** When it runs (five-field cron, UTC). @default hourly */
  schedule: z.string().default('17 * * * *'),
});
export type RenovateConfig = z.output<typeof renovateConfigSchema>;
