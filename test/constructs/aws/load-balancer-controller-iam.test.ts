import { LoadBalancerControllerIam, loadBalancerControllerPolicy } from '../../../constructs/aws/load-balancer-controller-iam';
import { resourcesOf, synthTf, tfStack } from '../helpers';

const props = {
  clusterName: 'c1',
  clusterNameRef: '${aws_eks_cluster.c1.name}',
  serviceAccount: { namespace: 'kube-system', name: 'aws-load-balancer-controller' },
};

describe('LoadBalancerControllerIam', () => {
  it('a Pod Identity role for the controller’s service account carrying the upstream policy unchanged', () => {
    const s = tfStack();
    new LoadBalancerControllerIam(s, 'lbc', props);
    const json = synthTf(s);
    const [role] = resourcesOf(json, 'aws_iam_role');
    expect(role.name).toBe('c1-aws-lb-controller');
    expect(JSON.parse(role.assume_role_policy).Statement[0].Principal).toEqual({ Service: 'pods.eks.amazonaws.com' });
    const policy = JSON.parse(resourcesOf(json, 'aws_iam_role_policy')[0].policy);
    expect(policy.Statement).toEqual(loadBalancerControllerPolicy().Statement);
    expect(resourcesOf(json, 'aws_eks_pod_identity_association')[0]).toMatchObject({
      cluster_name: '${aws_eks_cluster.c1.name}',
      namespace: 'kube-system',
      service_account: 'aws-load-balancer-controller',
    });
  });

  it('the vendored policy changes only load balancers the controller tagged for its cluster', () => {
    const statements = loadBalancerControllerPolicy().Statement as any[];
    const deletes = statements.filter((st) => [st.Action].flat().includes('elasticloadbalancing:DeleteLoadBalancer'));
    expect(deletes).toHaveLength(1);
    expect(deletes[0].Condition.Null).toEqual({ 'aws:ResourceTag/elbv2.k8s.aws/cluster': 'false' });
    // WAF-ready: the controller may attach a web ACL to the load balancers it owns.
    expect(statements.some((st) => [st.Action].flat().includes('wafv2:AssociateWebACL'))).toBe(true);
  });
});
