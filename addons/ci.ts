import { ARC_CONTROLLER_IMAGES } from './chart-images';
import { HARDENED_CONTAINER, hardenedPod } from '../constructs/k8s/container-defaults';
import { ChartWorkload, chartWorkloadPeer } from '../lib/core/facts/chart-facts';
import { WAVES } from '../lib/core/facts/waves';
import { ARC_CONTROLLER_SERVICE_ACCOUNT } from '../contracts/platform';
import { HelmAddOn } from './helm-addon';

const NS = ARC_CONTROLLER_SERVICE_ACCOUNT.namespace;
/** The controller Deployment, by the chart's selector labels (release = add-on id). */
const CONTROLLER: ChartWorkload = {
  name: 'arc-controller',
  kind: 'Deployment',
  podSecurity: 'restricted',
  podLabels: { 'app.kubernetes.io/name': 'gha-rs-controller', 'app.kubernetes.io/instance': 'actions-runner-controller' },
};
/** The controller's image user (distroless nonroot). */
const ARC_UID = 65532;

/**
 * GitHub's Actions Runner Controller (runner scale sets, chart gha-runner-scale-set-controller): it
 * creates one listener pod per scale set here, which long-polls GitHub for jobs, and ephemeral runner
 * pods in the scale set's namespace (app `github-runners`). Hardened: the chart's defaults set no
 * security context; logs at info, not the chart's debug.
 */
export const actionsRunnerController = new HelmAddOn({
  id: 'actions-runner-controller',
  description: 'Actions Runner Controller: ephemeral GitHub Actions runners as pods',
  namespace: NS,
  syncWave: WAVES.operators,
  // Its CRDs exceed what client-side apply's last-applied annotation holds (REH-024).
  syncOptions: ['ServerSideApply=true'],
  chart: () => ({
    repoURL: 'ghcr.io/actions/actions-runner-controller-charts',
    chart: 'gha-runner-scale-set-controller',
    version: '0.14.2',
    images: ARC_CONTROLLER_IMAGES,
  }),
  values: () => ({
    serviceAccount: { create: true, name: ARC_CONTROLLER_SERVICE_ACCOUNT.name },
    podSecurityContext: hardenedPod(ARC_UID),
    securityContext: HARDENED_CONTAINER,
    resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '500m', memory: '512Mi' } },
    flags: { logLevel: 'info', logFormat: 'json' },
  }),
  facts: () => ({
    crds: [{ group: 'actions.github.com', kinds: ['AutoscalingRunnerSet', 'AutoscalingListener', 'EphemeralRunnerSet', 'EphemeralRunner'] }],
    workloads: [CONTROLLER],
    connections: [
      {
        from: chartWorkloadPeer(NS, CONTROLLER),
        to: { kind: 'api-server' },
        ports: [],
        purpose: 'reconciles runner scale sets, creates listener and runner pods',
      },
      // Registers and removes runners through GitHub's API.
      {
        from: chartWorkloadPeer(NS, CONTROLLER),
        to: { kind: 'external', host: 'api.github.com' },
        ports: [{ port: 443 }],
        purpose: 'registers runners with GitHub',
      },
    ],
  }),
});
