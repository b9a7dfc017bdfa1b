import { BaseService } from '../constructs/k8s/base-service';
import { privateHosts } from '../lib/core/model/hosts';
import { AppContext, routeTls } from '../contracts/app';

/**
 * Routes an app's `host` through the environment's ingress class. Where the environment's hosts are
 * private (tailnet, internal ingress) the whole app is routed; on a public environment only
 * `publicPaths` are (what visitors and webhooks call), and an app with none is not routed at all:
 * its admin pages never face the internet. Where the environment routes by Gateway API
 * (`access.routing: gateway`) the routes are HTTPRoutes on its Gateway instead of Ingresses.
 */
export function routeApp(service: BaseService, ctx: AppContext, host: string, publicPaths: ReadonlyArray<string> = []): void {
  const paths = privateHosts(ctx.env) ? undefined : publicPaths;
  if (paths && !paths.length) return;
  // On the environment's Gateway where it routes by Gateway API (the wildcard certificate covers the host).
  if (routesByGateway(ctx)) {
    service.exposeViaGateway({ host, paths });
    return;
  }
  const ingress = { host, className: ctx.routeClass, tls: routeTls(ctx, host) };
  service.exposeViaIngress(paths ? { ...ingress, paths: paths.map((path) => ({ path, pathType: 'Prefix' as const })) } : ingress);
}

/** Whether the environment routes apps by Gateway API (`access.routing: gateway`). */
function routesByGateway(ctx: AppContext): boolean {
  return ctx.env.access.kind === 'ingress' && ctx.env.access.routing === 'gateway';
}

/** Options of `routePublic`: protections at the edge of the cluster, whichever routes the host. */
export interface PublicRouteOptions {
  /** Requests per second per client address (a burst of three times that). @default no limit */
  readonly rateLimitRps?: number;
  /** Cross-origin requests answered for these origins and methods. @default none */
  readonly cors?: { readonly origins: ReadonlyArray<string>; readonly methods: ReadonlyArray<string> };
}

/**
 * Routes the whole of `host`, public or private alike (an app meant for the public: a read-only API, a
 * chat UI with its own login): by an HTTPRoute on the environment's Gateway where it routes by Gateway
 * API (its rate limit and CORS as the Gateway's middlewares), else by an Ingress of the route class with
 * its certificate (ingress-nginx's annotations for them).
 */
export function routePublic(service: BaseService, ctx: AppContext, host: string, options: PublicRouteOptions = {}): void {
  const rps = options.rateLimitRps;
  if (routesByGateway(ctx)) {
    service.exposeViaGateway({
      host,
      ...(rps ? { rateLimit: { average: rps, burst: rps * 3 } } : {}),
      ...(options.cors ? { cors: options.cors } : {}),
    });
    return;
  }
  const annotations: Record<string, string> = {
    ...(rps ? { 'nginx.ingress.kubernetes.io/limit-rps': String(rps), 'nginx.ingress.kubernetes.io/limit-burst-multiplier': '3' } : {}),
    ...(options.cors
      ? {
          'nginx.ingress.kubernetes.io/enable-cors': 'true',
          'nginx.ingress.kubernetes.io/cors-allow-origin': options.cors.origins.join(', '),
          'nginx.ingress.kubernetes.io/cors-allow-methods': options.cors.methods.join(', '),
        }
      : {}),
  };
  service.exposeViaIngress({
    host,
    className: ctx.routeClass,
    tls: routeTls(ctx, host),
    ...(Object.keys(annotations).length ? { annotations } : {}),
  });
}
