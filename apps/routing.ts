import { BaseService } from '../constructs/k8s/base-service';
import { privateHosts } from '../lib/core/model/hosts';
import { AppContext, routeTls } from '../contracts/app';

/**
 * Routes an app's `host` through the environment's ingress class. Where the environment's hosts are
 * private (tailnet, internal ingress) the whole app is routed; on a public environment only
 * `publicPaths` are (what visitors and webhooks call), and an app with none is not routed at all:
 * its admin pages never face the internet.
 */
export function routeApp(service: BaseService, ctx: AppContext, host: string, publicPaths: ReadonlyArray<string> = []): void {
  const ingress = { host, className: ctx.routeClass, tls: routeTls(ctx, host) };
  if (privateHosts(ctx.env)) service.exposeViaIngress(ingress);
  else if (publicPaths.length) service.exposeViaIngress({ ...ingress, paths: publicPaths.map((path) => ({ path, pathType: 'Prefix' as const })) });
}
