/**
 * The environment's Gateway (Gateway API), where routes attach: provided by the `gateway` add-on,
 * looked up by apps through the workload fact `GATEWAY_WORKLOAD` (a lookup nothing provides is a synth
 * error).
 */
export const GATEWAY = {
  namespace: 'traefik',
  name: 'platform',
  className: 'traefik',
  /** Plain HTTP: only the redirect to HTTPS attaches here. */
  httpListener: 'http',
  /** HTTPS with the wildcard certificate: every route attaches here. */
  httpsListener: 'https',
} as const;

/** Fact name of the Gateway's pods, which call the routes' backends. */
export const GATEWAY_WORKLOAD = 'gateway' as const;
