import { BaseService } from '../../constructs/k8s/base-service';
import { PlatformApp, routeTls } from '../../contracts/app';
import { WAVES } from '../../lib/core/facts/waves';

/** The app's typed configuration (in Parity it is a zod schema under lib/core/model/apps). */
export interface HelloConfig {
  readonly app: 'hello';
  readonly namespace: string;
  readonly host: string;
}

/** One hardened service behind the environment's ingress, scraped by Prometheus. */
export const hello: PlatformApp<HelloConfig> = {
  id: 'hello',
  description: 'Greets',
  usesGpu: () => false,
  requiresAddOns: () => ['kube-prometheus-stack'],
  vaultSecrets: () => [],
  databases: () => [],
  install(chart, config, ctx) {
    new BaseService(chart, 'hello', {
      name: 'hello',
      namespace: config.namespace,
      image: 'ghcr.io/example/hello:1.0.0',
      containerPort: 8080,
      syncWave: WAVES.appServices,
    })
      .exposeViaIngress({ host: config.host, className: ctx.routeClass, tls: routeTls(ctx, config.host) })
      .scrapeWith({ path: '/metrics' });
  },
};
