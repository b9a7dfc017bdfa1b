import type { IngressEntry, PlatformTraits } from '../contracts/platform';
import { privateHosts } from '../lib/core/model/hosts';
import type { Environment } from '../lib/core/model/schema';

/**
 * The LoadBalancer Service in front of one of an environment's ingress entries (the ingress controller,
 * the Gateway): from the substrate's address pools where it has them (labels choosing the pool, the
 * address the edge forwards to, the public address it reports), else the substrate's annotations, and where the hosts are private
 * (tailnet, internal exposure) its private annotations and implementation (`loadBalancerClass`), so
 * the address is private.
 */
export function ingressLoadBalancer(
  traits: PlatformTraits,
  env: Environment,
  entry: IngressEntry,
): { service: { annotations: Record<string, string>; labels?: Record<string, string>; loadBalancerClass?: string }; published?: string } {
  const internal = privateHosts(env);
  const pooled = traits.entryAddress?.(env, entry, internal);
  if (pooled)
    return {
      service: { annotations: { ...pooled.annotations }, labels: { ...pooled.labels } },
      ...(pooled.published ? { published: pooled.published } : {}),
    };
  return {
    service: {
      annotations: { ...traits.loadBalancerAnnotations, ...(internal ? traits.internalLoadBalancerAnnotations : {}) },
      ...(internal && traits.internalLoadBalancerClass ? { loadBalancerClass: traits.internalLoadBalancerClass } : {}),
    },
  };
}
