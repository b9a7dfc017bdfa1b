import { ServiceRoute, ServiceRouteProps } from '../../../constructs/k8s/service-route';
import { workloadPeer } from '../../../lib/core/facts/connections';
import { FactRegistry } from '../../../lib/core/facts/registry';
import { errorOf, k8sChart, only, synthK8s } from '../helpers';

const grafana = workloadPeer('monitoring', 'grafana', { 'app.kubernetes.io/name': 'grafana' });
const props: ServiceRouteProps = {
  name: 'grafana',
  namespace: 'monitoring',
  host: 'grafana.example.com',
  className: 'nginx',
  service: { name: 'grafana', port: 80 },
  target: { workload: grafana, port: 3000 },
};

function chart() {
  const c = k8sChart();
  FactRegistry.of(c).provideWorkload('ingress-controller:nginx', workloadPeer('ingress', 'controller', { app: 'nginx' }), 'test');
  FactRegistry.of(c).provideName('ClusterIssuer', 'le', 'test');
  return c;
}

describe('ServiceRoute', () => {
  it('defaults: one host to the Service over HTTP, no TLS section, the controller admitted to the pods’ port', () => {
    const c = chart();
    new ServiceRoute(c, 'r', props);
    const ingress = only(synthK8s(c), 'Ingress');
    expect(ingress.metadata.annotations).toBeUndefined();
    expect(ingress.spec).toEqual({
      ingressClassName: 'nginx',
      rules: [
        {
          host: 'grafana.example.com',
          http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'grafana', port: { number: 80 } } } }] },
        },
      ],
    });
    expect(FactRegistry.of(c).connections()).toEqual([
      {
        connection: {
          from: expect.objectContaining({ name: 'ingress/controller' }),
          to: grafana,
          ports: [{ port: 3000 }],
          purpose: 'routes grafana.example.com',
        },
        declaredBy: 'test/r',
      },
    ]);
  });

  it('options: a TLS backend, a certificate from a ClusterIssuer', () => {
    const c = chart();
    new ServiceRoute(c, 'r', { ...props, backendProtocol: 'HTTPS', tls: { secretName: 'grafana-tls', clusterIssuer: 'le' } });
    const ingress = only(synthK8s(c), 'Ingress');
    expect(ingress.metadata.annotations).toEqual({ 'nginx.ingress.kubernetes.io/backend-protocol': 'HTTPS', 'cert-manager.io/cluster-issuer': 'le' });
    expect(ingress.spec.tls).toEqual([{ hosts: ['grafana.example.com'], secretName: 'grafana-tls' }]);
  });

  it('needs the ingress class’s controller and the issuer, and a valid host', () => {
    expect(errorOf(() => new ServiceRoute(chart(), 'r', { ...props, className: 'traefik' }))).toMatch(
      /test\/r \(ingress class traefik\) needs workload:ingress-controller:traefik/,
    );
    expect(errorOf(() => new ServiceRoute(chart(), 'r', { ...props, tls: { secretName: 's', clusterIssuer: 'nope' } }))).toMatch(
      /needs ClusterIssuer "nope"/,
    );
    expect(errorOf(() => new ServiceRoute(chart(), 'r', { ...props, host: 'Grafana' }))).toBe(
      'ServiceRoute at test/r: prop "host" is "Grafana"; expected a lower-case DNS name with at least two labels',
    );
  });
});
