import { Environment } from './schema';

/**
 * The domain the environment's own hosts live under: on a tailnet its internal domain (answered by the
 * split-DNS server), otherwise its domain.
 */
export function hostDomain(env: Environment): string {
  return env.access.kind === 'tailscale' ? env.access.internalDomain : env.domain;
}
