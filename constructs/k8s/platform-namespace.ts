import { Construct } from 'constructs';
import { k8s } from '../../lib/core/facade/k8s';
import { NamespaceConfig } from '../../lib/core/model/schema';
import { waveAnnotation } from '../../lib/core/facts/waves';

export type NamespaceProps = NamespaceConfig;

/**
 * A namespace as the platform hands it to a team: Pod Security labels, a quota, container defaults,
 * group role bindings, and a default-deny network posture that opens only DNS. Every other flow is a
 * declared connection, opened per workload by the generated NetworkPolicies. All of it syncs in the
 * first wave, before anything lives in the namespace.
 */
export class PlatformNamespace extends Construct {
  constructor(scope: Construct, id: string, props: NamespaceProps) {
    super(scope, id);
    const ns = props.name;
    const warn = props.podSecurityWarn ?? props.podSecurity;
    const wave = waveAnnotation('namespaces');
    new k8s.KubeNamespace(this, 'namespace', {
      metadata: {
        name: ns,
        labels: {
          'kubernetes.io/metadata.name': ns,
          'pod-security.kubernetes.io/enforce': props.podSecurity,
          'pod-security.kubernetes.io/enforce-version': 'latest',
          'pod-security.kubernetes.io/audit': warn,
          'pod-security.kubernetes.io/warn': warn,
          'app.kubernetes.io/managed-by': 'parity',
        },
        annotations: { ...wave, ...(props.description ? { 'parity.dev/description': props.description } : {}) },
      },
    });

    const q = props.quota;
    new k8s.KubeResourceQuota(this, 'quota', {
      metadata: { name: 'compute', namespace: ns, annotations: wave },
      spec: {
        hard: {
          'requests.cpu': k8s.Quantity.fromString(q.requestsCpu),
          'requests.memory': k8s.Quantity.fromString(q.requestsMemory),
          'limits.cpu': k8s.Quantity.fromString(q.limitsCpu),
          'limits.memory': k8s.Quantity.fromString(q.limitsMemory),
          pods: k8s.Quantity.fromString(String(q.pods)),
          'requests.nvidia.com/gpu': k8s.Quantity.fromString(String(q.gpus)),
        },
      },
    });

    const d = props.containerDefaults;
    new k8s.KubeLimitRange(this, 'limits', {
      metadata: { name: 'container-defaults', namespace: ns, annotations: wave },
      spec: {
        limits: [
          {
            type: 'Container',
            defaultRequest: { cpu: k8s.Quantity.fromString(d.requestCpu), memory: k8s.Quantity.fromString(d.requestMemory) },
            default: { cpu: k8s.Quantity.fromString(d.limitCpu), memory: k8s.Quantity.fromString(d.limitMemory) },
            max: { cpu: k8s.Quantity.fromString(d.maxCpu), memory: k8s.Quantity.fromString(d.maxMemory) },
          },
        ],
      },
    });

    new k8s.KubeNetworkPolicy(this, 'default-deny', {
      metadata: { name: 'default-deny-all', namespace: ns, annotations: wave },
      spec: { podSelector: {}, policyTypes: ['Ingress', 'Egress'] },
    });
    new k8s.KubeNetworkPolicy(this, 'allow-dns', {
      metadata: { name: 'allow-dns-egress', namespace: ns, annotations: wave },
      spec: {
        podSelector: {},
        policyTypes: ['Egress'],
        egress: [
          {
            to: [
              {
                namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } },
                podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } },
              },
            ],
            ports: [
              { protocol: 'UDP', port: k8s.IntOrString.fromNumber(53) },
              { protocol: 'TCP', port: k8s.IntOrString.fromNumber(53) },
            ],
          },
        ],
      },
    });
    // Team access through groups of the identity provider, bound to Kubernetes' built-in roles.
    for (const [role, groups] of [
      ['admin', props.rbac.admins],
      ['edit', props.rbac.editors],
      ['view', props.rbac.viewers],
    ] as const) {
      if (groups.length === 0) continue;
      new k8s.KubeRoleBinding(this, `rbac-${role}`, {
        metadata: { name: `team-${role}`, namespace: ns, annotations: wave },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: role },
        subjects: groups.map((name) => ({ apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name })),
      });
    }
  }
}
