import { ConnectionPolicies } from '../../../constructs/k8s/network-policies';
import { Connection, workloadPeer } from '../../../lib/core/facts/connections';
import { errorOf, k8sChart, synthK8s } from '../helpers';

const api = workloadPeer('app', 'api', { app: 'api' });
const db = workloadPeer('data', 'pg', { 'cnpg.io/cluster': 'pg' });
const addresses = { apiServer: { cidrs: ['10.0.0.1/32'], port: 443 }, nodeCidrs: ['10.1.0.0/16'], clusterCidrs: ['10.0.0.0/8'] };

function policies(connections: Connection[], denyByDefault: string[]) {
  const c = k8sChart();
  new ConnectionPolicies(c, 'p', { connections, denyByDefault: new Set(denyByDefault), addresses });
  return synthK8s(c);
}

describe('ConnectionPolicies', () => {
  it('opens a declared connection at both ends, on the receiving port, one policy per workload', () => {
    const out = policies([{ from: api, to: db, ports: [{ port: 5432 }], purpose: 'db' }], ['app', 'data']);
    expect(out.map((p) => `${p.metadata.namespace}/${p.metadata.name}`)).toEqual(['app/api-connections', 'data/pg-connections']);
    const [egress, ingress] = out;
    expect(egress.spec).toEqual({
      podSelector: { matchLabels: { app: 'api' } },
      policyTypes: ['Egress'],
      egress: [
        {
          to: [
            {
              namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'data' } },
              podSelector: { matchLabels: { 'cnpg.io/cluster': 'pg' } },
            },
          ],
          ports: [{ protocol: 'TCP', port: 5432 }],
        },
      ],
    });
    expect(ingress.spec.ingress[0].from[0].podSelector).toEqual({ matchLabels: { app: 'api' } });
  });

  it('writes nothing for namespaces that do not deny by default, and maps the API server, nodes and external hosts to IP blocks', () => {
    expect(policies([{ from: api, to: db, ports: [{ port: 5432 }], purpose: 'db' }], [])).toEqual([]);
    const out = policies(
      [
        { from: api, to: { kind: 'api-server' }, ports: [], purpose: 'watch' },
        { from: api, to: { kind: 'external', host: 'example.com' }, ports: [{ port: 443 }], purpose: 'webhook' },
      ],
      ['app'],
    );
    expect(out[0].spec.egress).toEqual([
      { to: [{ ipBlock: { cidr: '10.0.0.1/32' } }], ports: [{ protocol: 'TCP', port: 443 }] },
      { to: [{ ipBlock: { cidr: '0.0.0.0/0', except: ['10.0.0.0/8'] } }], ports: [{ protocol: 'TCP', port: 443 }] },
    ]);
  });

  it('rejects one workload declared with two pod selectors', () => {
    const other = workloadPeer('app', 'api', { app: 'api-v2' });
    expect(
      errorOf(() =>
        policies(
          [
            { from: api, to: db, ports: [{ port: 5432 }], purpose: 'db' },
            { from: other, to: db, ports: [{ port: 5432 }], purpose: 'db' },
          ],
          ['app'],
        ),
      ),
    ).toMatch(/^ConnectionPolicies at test\/p: prop "connections \(app\/api\)"/);
  });
});
