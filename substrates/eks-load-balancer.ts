import { AWS_LOAD_BALANCER_CONTROLLER_IMAGES } from './chart-images';
import { HelmAddOn } from '../addons/helm-addon';
import { PinnedChart } from '../constructs/k8s/helm-application';
import { WAVES } from '../lib/core/facts/waves';
import { Environment } from '../lib/core/model/schema';

export const LOAD_BALANCER_CONTROLLER_NAMESPACE = 'kube-system';
export const LOAD_BALANCER_CONTROLLER_SERVICE_ACCOUNT = { namespace: LOAD_BALANCER_CONTROLLER_NAMESPACE, name: 'aws-load-balancer-controller' };

export const AWS_LOAD_BALANCER_CONTROLLER_CHART: PinnedChart = {
  repoURL: 'https://aws.github.io/eks-charts',
  chart: 'aws-load-balancer-controller',
  version: '1.12.0',
  images: AWS_LOAD_BALANCER_CONTROLLER_IMAGES,
};

/**
 * Annotations that hand a Service of type LoadBalancer to the controller: an NLB with IP targets (pods
 * registered directly, no NodePort hop), internet-facing unless the internal scheme overrides it.
 */
export const LBC_LOAD_BALANCER_ANNOTATIONS = {
  'service.beta.kubernetes.io/aws-load-balancer-type': 'external',
  'service.beta.kubernetes.io/aws-load-balancer-nlb-target-type': 'ip',
  'service.beta.kubernetes.io/aws-load-balancer-scheme': 'internet-facing',
} as const;
export const LBC_INTERNAL_ANNOTATIONS = { 'service.beta.kubernetes.io/aws-load-balancer-scheme': 'internal' } as const;

function values(env: Environment, region: string) {
  return {
    clusterName: env.cluster.name,
    // Pods cannot reach instance metadata (IMDSv2 hop limit 1 on every node), so region and VPC are
    // given: the VPC by its Name tag, which the network stack sets to the cluster name.
    region,
    vpcTags: { Name: env.cluster.name },
    replicaCount: 2,
    serviceAccount: { create: true, name: LOAD_BALANCER_CONTROLLER_SERVICE_ACCOUNT.name },
    // Only Services route through it (ingress-nginx's NLB); the ALB IngressClass would be an unused entry point.
    createIngressClassResource: false,
    ingressClassParams: { create: false },
    // The Service mutator webhook fails closed on every Service CREATE in the cluster: while the controller
    // is down nothing could create a Service. Services opt in by annotation instead.
    enableServiceMutatorWebhook: false,
    // The webhook's serving certificate from cert-manager: a chart-generated one differs on every render,
    // so Argo CD would never see the Application in sync.
    enableCertManager: true,
    resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '500m', memory: '512Mi' } },
    podSecurityContext: { fsGroup: 65534, runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } },
    securityContext: { readOnlyRootFilesystem: true, runAsNonRoot: true, allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } },
    podDisruptionBudget: { maxUnavailable: 1 },
  };
}

/**
 * The AWS Load Balancer Controller (EKS): turns the ingress controller's Service into an NLB with IP
 * targets, internet-facing for a public environment and internal otherwise. Its IAM role and Pod
 * Identity association come from the cluster stack. WAF-ready: the controller runs with its WAFv2
 * and Shield integrations (upstream defaults and policy), so an ALB Ingress can name a web ACL.
 */
export function loadBalancerControllerAddOn(region: string): HelmAddOn<ReturnType<typeof values>> {
  return new HelmAddOn({
    id: 'aws-load-balancer-controller',
    description: 'AWS Load Balancer Controller (NLBs for LoadBalancer Services, Pod Identity)',
    namespace: LOAD_BALANCER_CONTROLLER_NAMESPACE,
    // Before the ingress controllers (cluster services) whose Services it provisions; after cert-manager.
    syncWave: WAVES.operators,
    requires: ['cert-manager'],
    chart: () => AWS_LOAD_BALANCER_CONTROLLER_CHART,
    values: (ctx) => values(ctx.env, region),
    facts: () => ({
      crds: [{ group: 'elbv2.k8s.aws', kinds: ['TargetGroupBinding', 'IngressClassParams'] }],
      workloads: [
        {
          name: 'aws-load-balancer-controller',
          kind: 'Deployment',
          podSecurity: 'restricted',
          replicas: 2,
          podLabels: { 'app.kubernetes.io/name': 'aws-load-balancer-controller', 'app.kubernetes.io/instance': 'aws-load-balancer-controller' },
        },
      ],
      services: [{ name: 'aws-load-balancer-webhook-service', ports: [{ port: 443, targetPort: 9443 }], workload: 'aws-load-balancer-controller' }],
      secrets: [`${LOAD_BALANCER_CONTROLLER_NAMESPACE}/aws-load-balancer-tls`],
    }),
  });
}
