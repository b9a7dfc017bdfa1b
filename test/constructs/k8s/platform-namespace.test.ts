import { PlatformNamespace } from '../../../constructs/k8s/platform-namespace';
import { namespaceSchema } from '../../../lib/core/model/schema';
import { k8sChart, only, synthK8s } from '../helpers';

// The props are a namespace of the environment file, with the schema's defaults.
const props = {
  name: 'team',
  quota: { requestsCpu: '4', requestsMemory: '8Gi', limitsCpu: '8', limitsMemory: '16Gi', pods: 50 },
  containerDefaults: { maxCpu: '4', maxMemory: '8Gi' },
};

function build(extra: object = {}) {
  const c = k8sChart();
  new PlatformNamespace(c, 'ns', namespaceSchema.parse({ ...props, ...extra }));
  return synthK8s(c);
}

describe('PlatformNamespace', () => {
  it('defaults: Pod Security enforced (and warned) at its level, quota, container defaults, default deny with DNS, all in the namespaces wave', () => {
    const out = build();
    const ns = only(out, 'Namespace');
    expect(ns.metadata.labels).toMatchObject({ 'pod-security.kubernetes.io/enforce': 'restricted', 'pod-security.kubernetes.io/warn': 'restricted' });
    expect(ns.metadata.annotations).toEqual({ 'argocd.argoproj.io/sync-wave': '-40' });
    expect(only(out, 'ResourceQuota').spec.hard).toEqual({
      'requests.cpu': '4',
      'requests.memory': '8Gi',
      'limits.cpu': '8',
      'limits.memory': '16Gi',
      pods: '50',
      'requests.nvidia.com/gpu': '0',
    });
    expect(only(out, 'LimitRange').spec.limits[0].max).toEqual({ cpu: '4', memory: '8Gi' });
    expect(only(out, 'NetworkPolicy', 'default-deny-all').spec).toEqual({ podSelector: {}, policyTypes: ['Ingress', 'Egress'] });
    expect(only(out, 'NetworkPolicy', 'allow-dns-egress').spec.egress[0].ports).toEqual([
      { protocol: 'UDP', port: 53 },
      { protocol: 'TCP', port: 53 },
    ]);
  });

  it('option rbac: identity-provider groups bound to the built-in admin, edit and view roles in the namespace', () => {
    const out = build({ rbac: { admins: ['platform'], viewers: ['auditors'] } });
    expect(out.filter((o) => o.kind === 'RoleBinding').map((b) => [b.metadata.name, b.roleRef.name, b.subjects.map((x: any) => x.name)])).toEqual([
      ['team-admin', 'admin', ['platform']],
      ['team-view', 'view', ['auditors']],
    ]);
  });

  it('options: a separate warn level and a description', () => {
    const ns = only(build({ podSecurity: 'baseline', podSecurityWarn: 'restricted', description: 'LLM inference' }), 'Namespace');
    expect(ns.metadata.labels).toMatchObject({
      'pod-security.kubernetes.io/enforce': 'baseline',
      'pod-security.kubernetes.io/warn': 'restricted',
      'pod-security.kubernetes.io/audit': 'restricted',
    });
    expect(ns.metadata.annotations['parity.dev/description']).toBe('LLM inference');
  });
});
