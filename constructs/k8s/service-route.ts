import { Construct } from 'constructs';
import { WorkloadPeer } from '../../lib/core/facts/connections';
import { FactRegistry } from '../../lib/core/facts/registry';
import { k8s } from '../../lib/core/facade/k8s';
import { propError } from '../props';

export interface ServiceRouteProps {
  /** Name of the Ingress. */
  readonly name: string;
  readonly namespace: string;
  readonly host: string;
  /** Ingress class that serves the host (the environment's, or the internal gateway's on a tailnet). */
  readonly className: string;
  /** The Service behind the host. */
  readonly service: { readonly name: string; readonly port: number };
  /** The pods behind the Service and the port they listen on, for the connection from the controller. */
  readonly target: { readonly workload: WorkloadPeer; readonly port: number };
  /** The backend speaks TLS itself (Argo CD's server). @default 'HTTP' */
  readonly backendProtocol?: 'HTTP' | 'HTTPS';
  /** TLS secret; with `clusterIssuer`, cert-manager issues it. @default no TLS section (the controller's default certificate) */
  readonly tls?: { readonly secretName: string; readonly clusterIssuer?: string };
}

const HOST = /^(?=.{1,253}$)[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)+$/;

/**
 * A host for a Service that a chart deploys without a route of its own (Argo CD, Grafana): an Ingress
 * of the given class, and the connection from that class's controller to the pods, so the namespace's
 * policies admit it.
 */
export class ServiceRoute extends Construct {
  constructor(scope: Construct, id: string, props: ServiceRouteProps) {
    super(scope, id);
    if (!HOST.test(props.host)) throw propError(this, 'host', props.host, 'a lower-case DNS name with at least two labels');
    const facts = FactRegistry.of(this);
    const controller = facts.workload(`ingress-controller:${props.className}`, `${this.node.path} (ingress class ${props.className})`);
    if (props.tls?.clusterIssuer) facts.name('ClusterIssuer', props.tls.clusterIssuer, `${this.node.path} (TLS)`);
    facts.connect(
      { from: controller, to: props.target.workload, ports: [{ port: props.target.port }], purpose: `routes ${props.host}` },
      this.node.path,
    );
    const annotations = {
      ...(props.backendProtocol === 'HTTPS' ? { 'nginx.ingress.kubernetes.io/backend-protocol': 'HTTPS' } : {}),
      ...(props.tls?.clusterIssuer ? { 'cert-manager.io/cluster-issuer': props.tls.clusterIssuer } : {}),
    };
    new k8s.KubeIngress(this, 'ingress', {
      metadata: {
        name: props.name,
        namespace: props.namespace,
        labels: { 'app.kubernetes.io/managed-by': 'parity' },
        annotations: Object.keys(annotations).length ? annotations : undefined,
      },
      spec: {
        ingressClassName: props.className,
        tls: props.tls ? [{ hosts: [props.host], secretName: props.tls.secretName }] : undefined,
        rules: [
          {
            host: props.host,
            http: {
              paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: props.service.name, port: { number: props.service.port } } } }],
            },
          },
        ],
      },
    });
  }
}
