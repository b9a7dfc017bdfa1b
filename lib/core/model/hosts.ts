import { Environment } from './schema';

/**
 * The domain the environment's own hosts live under: on a tailnet its internal domain (answered by the
 * split-DNS server), otherwise its domain.
 */
export function hostDomain(env: Environment): string {
  return env.access.kind === 'tailscale' ? env.access.internalDomain : env.domain;
}

/**
 * Whether the environment's hosts are reachable only from inside (a tailnet, or an internal ingress):
 * only there do UIs without a login of their own, or admin UIs, get a host.
 */
export function privateHosts(env: Environment): boolean {
  return env.access.kind === 'tailscale' || (env.access.kind === 'ingress' && env.access.exposure === 'internal');
}
