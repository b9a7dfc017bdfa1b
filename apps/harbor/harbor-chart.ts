import { PinnedChart } from '../../constructs/k8s/helm-application';
import { ChartImageTable, whenAll } from '../../lib/core/charts/chart-images';
import { ChartWorkload } from '../../lib/core/facts/chart-facts';

/*
 * Facts of Harbor's chart (goharbor/harbor-helm at v1.16.1, Harbor 2.12.1, vendored in
 * vendor/charts/harbor-1.16.1): release `harbor` names every object `harbor-<component>` and labels its
 * pods `release`, `app: harbor` and `component`; with internal TLS off the components serve HTTP on 8080
 * behind Services on 80, the registry on 5000 (its controller on 8080), metrics on 8001.
 */

export const RELEASE = 'harbor';
export const HARBOR_CHART: Omit<PinnedChart, 'images'> = { repoURL: 'https://helm.goharbor.io', chart: 'harbor', version: '1.16.1' };

/** Which images the chart runs: the nginx proxy only when not exposed by an ingress, no internal database. */
export const HARBOR_IMAGES: ChartImageTable = {
  'nginx.image': { deployed: (v) => v?.expose?.type !== 'ingress' },
  'portal.image': { deployed: true },
  'core.image': { deployed: true },
  'jobservice.image': { deployed: true },
  'registry.registry.image': { deployed: true },
  'registry.controller.image': { deployed: true },
  'trivy.image': { deployed: whenAll('trivy.enabled') },
  'database.internal.image': { deployed: (v) => v?.database?.type === 'internal' },
  'redis.internal.image': { deployed: (v) => v?.redis?.type === 'internal' },
  'exporter.image': { deployed: whenAll('metrics.enabled') },
};

export type Component = 'core' | 'portal' | 'jobservice' | 'registry' | 'trivy' | 'redis' | 'exporter';

/**
 * Container ports and the Services' ports in front of them, with internal TLS on (the chart's
 * `harbor.<component>.containerPort`/`servicePort` helpers at v1.16.1: 8443 behind 443 for core, portal
 * and jobservice, 8443 for the registry controller and Trivy, 5443 for the registry).
 */
export const PORTS = {
  http: 8443,
  service: 443,
  registry: 5443,
  redis: 6379,
  metrics: 8001,
} as const;

/** A component's pods, by the chart's selector labels. */
export function harborWorkload(component: Component, readsSecrets: ReadonlyArray<string> = []): ChartWorkload {
  return {
    name: `${RELEASE}-${component}`,
    kind: component === 'trivy' || component === 'redis' ? 'StatefulSet' : 'Deployment',
    // Every pod runs as a non-root uid with no capabilities (the chart's containerSecurityContext).
    podSecurity: 'restricted',
    podLabels: { release: RELEASE, app: 'harbor', component },
    readsSecrets,
  };
}
