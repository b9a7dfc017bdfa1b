import * as fs from 'fs';
import * as path from 'path';
import { Construct } from 'constructs';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { REPO_ROOT } from '../../lib/core/paths';
import { podIdentityRole } from './iam';

/**
 * The controller's IAM policy exactly as its authors publish it for this release
 * (kubernetes-sigs/aws-load-balancer-controller, docs/install/iam_policy.json at v2.12.0): it creates
 * and tags load balancers and target groups, and changes only those tagged with `elbv2.k8s.aws/cluster`.
 * Vendored, not retyped, so a version bump re-takes it (README, vendored facts).
 */
export function loadBalancerControllerPolicy(): { Version: string; Statement: ReadonlyArray<Record<string, unknown>> } {
  return JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'vendor', 'aws', 'load-balancer-controller-iam-policy.json'), 'utf8'));
}

export interface LoadBalancerControllerIamProps {
  readonly clusterName: string;
  /** The cluster resource's `name` attribute (a reference), so the association waits for the cluster. */
  readonly clusterNameRef: string;
  /** Namespace and service account of the controller. */
  readonly serviceAccount: { readonly namespace: string; readonly name: string };
}

/** The AWS Load Balancer Controller's identity through EKS Pod Identity, with the upstream policy. */
export class LoadBalancerControllerIam extends Construct {
  readonly role: IamRole;

  constructor(scope: Construct, id: string, props: LoadBalancerControllerIamProps) {
    super(scope, id);
    this.role = podIdentityRole(this, {
      name: `${props.clusterName}-aws-lb-controller`,
      clusterNameRef: props.clusterNameRef,
      serviceAccount: props.serviceAccount,
      statements: loadBalancerControllerPolicy().Statement,
    });
  }
}
