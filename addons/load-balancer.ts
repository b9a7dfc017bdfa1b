import type { PlatformTraits } from '../contracts/platform';
import type { Environment } from '../lib/core/model/schema';

/**
 * The LoadBalancer Service in front of an environment's ingress (the ingress controller, the Gateway):
 * the substrate's annotations, and where exposure is not public, its private annotations and
 * implementation (`loadBalancerClass`), so the address is private.
 */
export function ingressLoadBalancer(traits: PlatformTraits, env: Environment): { annotations: Record<string, string>; loadBalancerClass?: string } {
  const internal = !(env.access.kind === 'ingress' && env.access.exposure === 'public');
  return {
    annotations: { ...traits.loadBalancerAnnotations, ...(internal ? traits.internalLoadBalancerAnnotations : {}) },
    ...(internal && traits.internalLoadBalancerClass ? { loadBalancerClass: traits.internalLoadBalancerClass } : {}),
  };
}
