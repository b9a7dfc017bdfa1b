import { HelmAddOn } from './helm-addon';

/** Tailscale operator: Connectors advertise cluster routes into the tailnet (seed 000). OAuth client from Vault. */
export const tailscaleOperator = new HelmAddOn({
  id: 'tailscale-operator',
  description: 'Tailscale Kubernetes operator (subnet router Connectors, private access)',
  namespace: 'tailscale',
  syncWave: -6,
  chart: () => ({ repoURL: 'https://pkgs.tailscale.com/helmcharts', chart: 'tailscale-operator', version: '1.78.3' }),
  // The OAuth client secret is an ExternalSecret named operator-oauth, never a value here.
  values: ({ env }) => ({ operatorConfig: { hostname: `${env.cluster.name}-operator`, defaultTags: ['tag:k8s-operator'] }, apiServerProxyConfig: { mode: 'false' } }),
});
