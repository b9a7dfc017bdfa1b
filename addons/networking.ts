import { TAILSCALE_OPERATOR_IMAGES } from './chart-images';
import type { ChartFacts } from '../lib/core/facts/chart-facts';
import { HelmAddOn } from './helm-addon';
import { WAVES } from '../lib/core/facts/waves';
import { workloadPeer } from '../lib/core/facts/connections';

export const TAILSCALE_NAMESPACE = 'tailscale';
/** The subnet-router proxies the operator creates for Connectors, in the operator's namespace. */
const TAILSCALE_PROXIES = workloadPeer(TAILSCALE_NAMESPACE, 'connector-proxies', {});

/** Tailscale operator: Connectors advertise cluster routes into the tailnet (Axiom design). OAuth client from Vault. */
export const tailscaleOperator = new HelmAddOn({
  id: 'tailscale-operator',
  description: 'Tailscale Kubernetes operator (subnet router Connectors, private access)',
  namespace: TAILSCALE_NAMESPACE,
  syncWave: WAVES.operators,
  chart: () => ({
    repoURL: 'https://pkgs.tailscale.com/helmcharts',
    chart: 'tailscale-operator',
    version: '1.78.3',
    images: TAILSCALE_OPERATOR_IMAGES,
  }),
  // The OAuth client secret is an ExternalSecret named operator-oauth, never a value here.
  values: ({ env }) => ({
    operatorConfig: { hostname: `${env.cluster.name}-operator`, defaultTags: ['tag:k8s-operator'] },
    apiServerProxyConfig: { mode: 'false' },
  }),
  facts: (): ChartFacts => ({
    crds: [{ group: 'tailscale.com', kinds: ['Connector', 'ProxyClass', 'DNSConfig', 'Recorder', 'ProxyGroup'] }],
    workloads: [
      { name: 'operator', kind: 'Deployment', podSecurity: 'restricted', podLabels: { app: 'operator' }, readsSecrets: ['operator-oauth'] },
      {
        name: 'connector-proxies',
        kind: 'StatefulSet',
        podSecurity: 'privileged',
        podSecurityReason: 'the proxy init container runs privileged to enable IP forwarding (sysctl) for subnet routing',
        podLabels: {},
      },
    ],
  }),
  publish: (facts) => facts.provideWorkload('tailscale-connector', TAILSCALE_PROXIES, 'add-on tailscale-operator'),
});
