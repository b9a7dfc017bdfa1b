import { SplitDnsServer } from '../../../constructs/k8s/split-dns-server';
import { FactRegistry } from '../../../lib/core/facts/registry';
import { errorOf, k8sChart, only, synthK8s } from '../helpers';

const props = {
  namespace: 'private-access',
  zone: 'dev.example.com',
  answer: '100.100.1.1',
  clusterIp: '172.20.0.53',
  queriedBy: { kind: 'nodes' as const },
};

describe('SplitDnsServer', () => {
  it('defaults: CoreDNS answering every name of the zone with one address, on a pinned ClusterIP, two hardened replicas', () => {
    const c = k8sChart();
    const dns = new SplitDnsServer(c, 'dns', props);
    const out = synthK8s(c);
    expect(dns.corefile).toContain('template IN A dev.example.com {');
    expect(dns.corefile).toContain('answer "{{ .Name }} 60 IN A 100.100.1.1"');
    expect(only(out, 'Service').spec.clusterIP).toBe('172.20.0.53');
    const d = only(out, 'Deployment');
    expect(d.spec.replicas).toBe(2);
    expect(d.spec.template.spec.containers[0].image).toBe('registry.k8s.io/coredns/coredns:v1.11.3');
    expect(FactRegistry.of(c).connections()[0].connection.from).toEqual({ kind: 'nodes' });
  });

  it('options: image and replicas', () => {
    const c = k8sChart();
    new SplitDnsServer(c, 'dns', { ...props, image: 'mirror.example/coredns:v1.11.3', replicas: 3 });
    const d = only(synthK8s(c), 'Deployment');
    expect(d.spec.replicas).toBe(3);
    expect(d.spec.template.spec.containers[0].image).toBe('mirror.example/coredns:v1.11.3');
  });

  it('rejects an answer or ClusterIP that is not an IPv4 address', () => {
    expect(errorOf(() => new SplitDnsServer(k8sChart(), 'dns', { ...props, answer: 'router.example' }))).toBe(
      'SplitDnsServer at test/dns: prop "answer" is "router.example"; expected an IPv4 address',
    );
    expect(errorOf(() => new SplitDnsServer(k8sChart(), 'dns', { ...props, clusterIp: 'auto' }))).toMatch(/prop "clusterIp"/);
  });
});
