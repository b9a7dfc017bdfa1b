import type { PlatformTraits } from '../contracts/platform';
import { privateHosts } from '../lib/core/model/hosts';
import type { Environment } from '../lib/core/model/schema';

/**
 * The LoadBalancer Service in front of an environment's ingress (the ingress controller, the Gateway):
 * the substrate's annotations, and where the hosts are private (tailnet, internal exposure), its private annotations and
 * implementation (`loadBalancerClass`), so the address is private.
 */
export function ingressLoadBalancer(traits: PlatformTraits, env: Environment): { annotations: Record<string, string>; loadBalancerClass?: string } {
  const internal = privateHosts(env);
  return {
    annotations: { ...traits.loadBalancerAnnotations, ...(internal ? traits.internalLoadBalancerAnnotations : {}) },
    ...(internal && traits.internalLoadBalancerClass ? { loadBalancerClass: traits.internalLoadBalancerClass } : {}),
  };
}
