import { Certificate, CertificateSpecPrivateKeyAlgorithm } from '../imports/cert-manager.io';
import {
  Gateway,
  GatewayClass,
  GatewaySpecListenersAllowedRoutesNamespacesFrom,
  GatewaySpecListenersTlsMode,
  HttpRoute,
  HttpRouteSpecRulesFiltersRequestRedirect,
  HttpRouteSpecRulesFiltersRequestRedirectScheme,
  HttpRouteSpecRulesFiltersRequestRedirectStatusCode,
  HttpRouteSpecRulesFiltersType,
} from '../imports/gateway.networking.k8s.io';
import { PinnedChart } from '../constructs/k8s/helm-application';
import { Chart } from '../lib/core/facade/k8s';
import { ChartWorkload, chartWorkloadPeer } from '../lib/core/facts/chart-facts';
import { WAVES, waveAnnotation } from '../lib/core/facts/waves';
import { GATEWAY, GATEWAY_WORKLOAD } from '../lib/core/facts/gateway';
import type { AddOnContext } from '../contracts/addon';
import { HelmAddOn } from './helm-addon';
import { ingressLoadBalancer } from './load-balancer';

/*
 * Traefik's chart (traefik/traefik-helm-chart at v33.2.1, Traefik v3.2.2, vendored with the Gateway API
 * v1.2 standard CRDs it ships): release `traefik` in `traefik` labels its pods app.kubernetes.io/name
 * traefik and instance traefik-traefik; entry points web 8000 and websecure 8443 behind the Service's 80
 * and 443; GatewayClass controller traefik.io/gateway-controller.
 */
const NS = GATEWAY.namespace;
const TRAEFIK_CHART: PinnedChart = {
  repoURL: 'https://traefik.github.io/charts',
  chart: 'traefik',
  version: '33.2.1',
  images: { image: { deployed: true } },
};
const TRAEFIK: ChartWorkload = {
  name: 'traefik',
  kind: 'Deployment',
  podSecurity: 'restricted',
  replicas: 2,
  podLabels: { 'app.kubernetes.io/name': 'traefik', 'app.kubernetes.io/instance': 'traefik-traefik' },
};
const ENTRY_POINTS = { web: 8000, websecure: 8443 } as const;
/** The Gateway's certificate: the ingress domain and every name under it. */
const WILDCARD_SECRET = 'gateway-tls';

function ingressAccess(ctx: AddOnContext) {
  if (ctx.env.access.kind !== 'ingress') throw new Error(`add-on gateway in ${ctx.env.name}: needs access.kind ingress (checked by validation)`);
  return ctx.env.access;
}

/**
 * The Gateway every route of the environment attaches to (its listeners: HTTP on web, which only
 * redirects, and HTTPS on websecure with the wildcard certificate), the GatewayClass of Traefik's
 * controller, and the redirects: every plain-HTTP request to HTTPS, and www.<domain> to <domain> where
 * the environment asks (`access.wwwRedirect`).
 */
function gatewayObjects(chart: Chart, ctx: AddOnContext): void {
  const access = ingressAccess(ctx);
  const domain = access.ingressDomain;
  const meta = (name: string, namespaced = true) => ({ name, ...(namespaced ? { namespace: NS } : {}), annotations: waveAnnotation('gateway') });
  new GatewayClass(chart, 'gateway-class', { metadata: meta(GATEWAY.className, false), spec: { controllerName: 'traefik.io/gateway-controller' } });
  new Certificate(chart, 'gateway-certificate', {
    metadata: meta(WILDCARD_SECRET),
    spec: {
      secretName: WILDCARD_SECRET,
      dnsNames: [domain, `*.${domain}`],
      privateKey: { algorithm: CertificateSpecPrivateKeyAlgorithm.ECDSA, size: 256 },
      issuerRef: { name: access.tls.clusterIssuer, kind: 'ClusterIssuer', group: 'cert-manager.io' },
    },
  });
  new Gateway(chart, 'platform-gateway', {
    metadata: meta(GATEWAY.name),
    spec: {
      gatewayClassName: GATEWAY.className,
      listeners: [
        {
          name: GATEWAY.httpListener,
          port: ENTRY_POINTS.web,
          protocol: 'HTTP',
          allowedRoutes: { namespaces: { from: GatewaySpecListenersAllowedRoutesNamespacesFrom.SAME } },
        },
        {
          name: GATEWAY.httpsListener,
          port: ENTRY_POINTS.websecure,
          protocol: 'HTTPS',
          tls: { mode: GatewaySpecListenersTlsMode.TERMINATE, certificateRefs: [{ kind: 'Secret', name: WILDCARD_SECRET }] },
          allowedRoutes: { namespaces: { from: GatewaySpecListenersAllowedRoutesNamespacesFrom.ALL } },
        },
      ],
    },
  });
  const redirect = (
    id: string,
    hostnames: string[] | undefined,
    sectionName: string,
    to: Omit<HttpRouteSpecRulesFiltersRequestRedirect, 'statusCode'>,
  ) =>
    new HttpRoute(chart, id, {
      metadata: meta(id),
      spec: {
        parentRefs: [{ name: GATEWAY.name, namespace: NS, sectionName }],
        ...(hostnames ? { hostnames } : {}),
        rules: [
          {
            filters: [
              {
                type: HttpRouteSpecRulesFiltersType.REQUEST_REDIRECT,
                requestRedirect: { ...to, statusCode: HttpRouteSpecRulesFiltersRequestRedirectStatusCode.VALUE_301 },
              },
            ],
          },
        ],
      },
    });
  redirect('https-redirect', undefined, GATEWAY.httpListener, { scheme: HttpRouteSpecRulesFiltersRequestRedirectScheme.HTTPS });
  if (access.wwwRedirect) redirect('www-redirect', [`www.${domain}`], GATEWAY.httpsListener, { hostname: domain });
}

/**
 * Gateway API as the routing model (The Lab design: Traefik with Gateway API, TLS termination and the
 * www-to-apex redirect): Traefik 3.2 as the implementation, only its Gateway provider on (ingress-nginx
 * keeps serving Ingresses), hardened as the chart ships it (non-root 65532, read-only root, no
 * capabilities), two replicas behind the substrate's load balancer. Apps route through it where the
 * environment chooses `access.routing: gateway`.
 */
export const gateway = new HelmAddOn({
  id: 'gateway',
  description: 'Gateway API through Traefik: the Gateway, HTTPS with a wildcard certificate, redirects',
  namespace: NS,
  syncWave: WAVES.clusterServices,
  requires: ['cert-manager'],
  // The Gateway API CRDs exceed what client-side apply's last-applied annotation holds (REH-024).
  syncOptions: ['ServerSideApply=true'],
  chart: () => TRAEFIK_CHART,
  values: ({ traits, env }) => {
    const lb = ingressLoadBalancer(traits, env, 'gateway');
    return {
      deployment: { replicas: 2 },
      podDisruptionBudget: { enabled: true, minAvailable: 1 },
      providers: {
        // Behind a NAT the Gateway reports the public address, which external-dns then publishes.
        kubernetesGateway: { enabled: true, ...(lb.published ? { statusAddress: { ip: lb.published } } : {}) },
        kubernetesIngress: { enabled: false },
        // Only for the Middlewares routes name in ExtensionRef filters (rate limits, CORS): Traefik
        // resolves those through this provider. No IngressRoute is written; cross-namespace refs stay off.
        kubernetesCRD: { enabled: true, allowCrossNamespace: false },
      },
      // The Gateway and its class are objects of this add-on (typed, and validated against the CRDs).
      gateway: { enabled: false },
      gatewayClass: { enabled: false },
      ingressClass: { enabled: false },
      // The chart takes the Service's class under service.spec.
      service: {
        annotations: lb.service.annotations,
        ...(lb.service.labels ? { labels: lb.service.labels } : {}),
        ...(lb.service.loadBalancerClass ? { spec: { loadBalancerClass: lb.service.loadBalancerClass } } : {}),
      },
    };
  },
  facts: () => ({
    crds: [
      { group: 'gateway.networking.k8s.io', kinds: ['GatewayClass', 'Gateway', 'HTTPRoute', 'GRPCRoute', 'ReferenceGrant'] },
      // The chart's own (crds/): its routes and middlewares.
      {
        group: 'traefik.io',
        kinds: [
          'Middleware',
          'MiddlewareTCP',
          'IngressRoute',
          'IngressRouteTCP',
          'IngressRouteUDP',
          'ServersTransport',
          'ServersTransportTCP',
          'TLSOption',
          'TLSStore',
          'TraefikService',
        ],
      },
    ],
    workloads: [TRAEFIK],
    connections: [{ from: chartWorkloadPeer(NS, TRAEFIK), to: { kind: 'api-server' }, ports: [], purpose: 'watches Gateways, HTTPRoutes, Services' }],
  }),
  publish: (facts) => facts.provideWorkload(GATEWAY_WORKLOAD, chartWorkloadPeer(NS, TRAEFIK), 'add-on gateway'),
  extras: (chart, ctx) => gatewayObjects(chart, ctx),
});
