import { cidrsOverlap } from '../lib/core/util/cidr';
import { ConfigIssue, show } from '../lib/core/model/issues';
import { Environment } from '../lib/core/model/schema';
import type { Substrate } from '../contracts/substrate';

/** Tailscale's CGNAT range: tailnet addresses live here, so no advertised route may overlap it. */
export const TAILNET_CGNAT = '100.64.0.0/10';

export interface AdvertisedRoute {
  readonly cidr: string;
  /** Config path the route came from, for messages. */
  readonly path: string;
}

/** The routes an environment's subnet router advertises: derived from its networks, never typed twice. */
export function advertisedRoutes(env: Environment, substrate: Substrate): AdvertisedRoute[] {
  if (env.access.kind !== 'tailscale') return [];
  const wanted = new Set(['node', ...env.access.advertise]);
  const seen = new Set<string>();
  return substrate
    .networks(env)
    .filter((n) => wanted.has(n.name) && !seen.has(n.cidr) && seen.add(n.cidr))
    .map((n) => ({ cidr: n.cidr, path: n.path }));
}

/**
 * Routes must not collide with the tailnet's own addresses, nor with the routes of another environment
 * on the same tailnet: a tailnet client could not tell the two clusters apart.
 */
export function tailnetIssues(envs: ReadonlyArray<{ env: Environment; substrate: Substrate }>): ConfigIssue[] {
  const out: ConfigIssue[] = [];
  const claimed: Array<{ env: string; tailnet: string; route: AdvertisedRoute }> = [];
  for (const { env, substrate } of envs) {
    if (env.access.kind !== 'tailscale') continue;
    const { tailnet } = env.access;
    for (const route of advertisedRoutes(env, substrate)) {
      if (cidrsOverlap(route.cidr, TAILNET_CGNAT)) {
        out.push({
          environment: env.name,
          path: route.path,
          found: show(route.cidr),
          expected: `a route outside the tailnet CGNAT range ${TAILNET_CGNAT}`,
        });
      }
      const clash = claimed.find((c) => c.tailnet === tailnet && cidrsOverlap(c.route.cidr, route.cidr));
      if (clash) {
        out.push({
          environment: env.name,
          path: route.path,
          found: show(route.cidr),
          expected: `a route that does not overlap ${clash.route.cidr} advertised by environment ${clash.env} on tailnet ${clash.tailnet}`,
        });
      }
      claimed.push({ env: env.name, tailnet, route });
    }
  }
  return out;
}
