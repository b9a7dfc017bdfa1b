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
  if (ctx.env.access.kind === 'ingress' && ctx.env.access.routing === 'gateway') {
    service.exposeViaGateway({ host, paths });
    return;
  }
  const ingress = { host, className: ctx.routeClass, tls: routeTls(ctx, host) };
  service.exposeViaIngress(paths ? { ...ingress, paths: paths.map((path) => ({ path, pathType: 'Prefix' as const })) } : ingress);
}
