import { KarpenterIam } from '../../../constructs/aws/karpenter-iam';
import { resourcesOf, synthTf, tfStack } from '../helpers';

const props = {
  clusterName: 'c1',
  clusterNameRef: '${aws_eks_cluster.c1.name}',
  clusterArn: 'arn:aws:eks:eu-west-1:1:cluster/c1',
  nodeRoleArn: 'arn:aws:iam::1:role/c1-node',
};

describe('KarpenterIam', () => {
  const statements = (json: any) => JSON.parse(resourcesOf(json, 'aws_iam_role_policy')[0].policy).Statement;

  it('defaults: a Pod Identity role for kube-system/karpenter that terminates only its own nodes and passes only the node role', () => {
    const s = tfStack();
    new KarpenterIam(s, 'k', props);
    const json = synthTf(s);
    expect(resourcesOf(json, 'aws_iam_role')[0].name).toBe('c1-karpenter');
    expect(JSON.parse(resourcesOf(json, 'aws_iam_role')[0].assume_role_policy).Statement[0].Principal).toEqual({ Service: 'pods.eks.amazonaws.com' });
    const bySid = Object.fromEntries(statements(json).map((st: any) => [st.Sid, st]));
    expect(bySid.TerminateOwn.Condition.StringEquals).toEqual({ 'aws:ResourceTag/kubernetes.io/cluster/c1': 'owned' });
    expect(bySid.PassNodeRole).toMatchObject({ Action: 'iam:PassRole', Resource: props.nodeRoleArn });
    expect(bySid.Cluster).toMatchObject({ Action: 'eks:DescribeCluster', Resource: props.clusterArn });
    expect(resourcesOf(json, 'aws_eks_pod_identity_association')[0]).toMatchObject({
      // A reference to the cluster, so the association waits for it.
      cluster_name: '${aws_eks_cluster.c1.name}',
      namespace: 'kube-system',
      service_account: 'karpenter',
    });
  });

  it('option: the controller service account', () => {
    const s = tfStack();
    new KarpenterIam(s, 'k', { ...props, serviceAccount: { namespace: 'karpenter', name: 'controller' } });
    expect(resourcesOf(synthTf(s), 'aws_eks_pod_identity_association')[0]).toMatchObject({ namespace: 'karpenter', service_account: 'controller' });
  });
});
