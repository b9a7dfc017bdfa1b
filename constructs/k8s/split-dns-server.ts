import { Construct } from 'constructs';
import { k8s } from '../../lib/core/facade/k8s';
import { Peer, workloadPeer } from '../../lib/core/facts/connections';
import { FactRegistry } from '../../lib/core/facts/registry';
import { isIpv4 } from '../../lib/core/util/cidr';
import { parseImageRef } from '../image';
import { propError } from '../props';
import { HARDENED_CONTAINER, hardenedPod, resourceRequirements } from './container-defaults';
import { RESOURCE_PROFILES } from './resource-profiles';

export interface SplitDnsServerProps {
  readonly namespace: string;
  /** Zone answered here, e.g. dev.axiom.entropy.sa. */
  readonly zone: string;
  /** Every name in the zone resolves to this address (the internal gateway). */
  readonly answer: string;
  /** Fixed ClusterIP of the DNS Service, inside a route the subnet router advertises. */
  readonly clusterIp: string;
  /** Who queries it (the Tailscale subnet router): declared as a connection, opened by the generated NetworkPolicies. */
  readonly queriedBy: Peer;
  /** @default registry.k8s.io/coredns/coredns:v1.11.3 */
  readonly image?: string;
  /** @default 2 */
  readonly replicas?: number;
}

/**
 * CoreDNS serving one zone for tailnet clients (split DNS): `*.<zone>` answers with the internal
 * gateway, so engineers use real names and real certificates instead of port-forwards (Axiom design).
 * It listens on 5353 so it runs unprivileged; the Service maps 53 to it.
 */
export class SplitDnsServer extends Construct {
  readonly corefile: string;

  constructor(scope: Construct, id: string, props: SplitDnsServerProps) {
    super(scope, id);
    if (!isIpv4(props.answer)) throw propError(this, 'answer', props.answer, 'an IPv4 address');
    if (!isIpv4(props.clusterIp)) throw propError(this, 'clusterIp', props.clusterIp, 'an IPv4 ClusterIP');
    const image = props.image ?? 'registry.k8s.io/coredns/coredns:v1.11.3';
    parseImageRef(image, this, 'image');
    const name = 'split-dns';
    const labels = { 'app.kubernetes.io/name': name, 'app.kubernetes.io/managed-by': 'parity' };
    this.corefile = [
      `${props.zone}:5353 {`,
      '    errors',
      '    health :8080',
      '    ready :8181',
      `    template IN A ${props.zone} {`,
      `        answer "{{ .Name }} 60 IN A ${props.answer}"`,
      '    }',
      `    template IN AAAA ${props.zone} {`,
      '        rcode NOERROR',
      '    }',
      '}',
      '',
    ].join('\n');
    new k8s.KubeConfigMap(this, 'config', { metadata: { name, namespace: props.namespace, labels }, data: { Corefile: this.corefile } });
    new k8s.KubeServiceAccount(this, 'service-account', {
      metadata: { name, namespace: props.namespace, labels },
      automountServiceAccountToken: false,
    });
    const replicas = props.replicas ?? 2;
    new k8s.KubeDeployment(this, 'deployment', {
      metadata: { name, namespace: props.namespace, labels },
      spec: {
        replicas,
        selector: { matchLabels: labels },
        template: {
          metadata: { labels },
          spec: {
            serviceAccountName: name,
            automountServiceAccountToken: false,
            securityContext: hardenedPod(65532),
            containers: [
              {
                name: 'coredns',
                image,
                args: ['-conf', '/etc/coredns/Corefile'],
                ports: [
                  { name: 'dns', containerPort: 5353, protocol: 'UDP' },
                  { name: 'dns-tcp', containerPort: 5353, protocol: 'TCP' },
                  { name: 'health', containerPort: 8080, protocol: 'TCP' },
                  { name: 'ready', containerPort: 8181, protocol: 'TCP' },
                ],
                resources: resourceRequirements(RESOURCE_PROFILES.typescript),
                securityContext: HARDENED_CONTAINER,
                readinessProbe: { httpGet: { path: '/ready', port: k8s.IntOrString.fromNumber(8181) }, periodSeconds: 10 },
                livenessProbe: { httpGet: { path: '/health', port: k8s.IntOrString.fromNumber(8080) }, periodSeconds: 20 },
                volumeMounts: [{ name: 'config', mountPath: '/etc/coredns', readOnly: true }],
              },
            ],
            volumes: [{ name: 'config', configMap: { name } }],
          },
        },
      },
    });
    new k8s.KubeService(this, 'service', {
      metadata: { name, namespace: props.namespace, labels },
      spec: {
        type: 'ClusterIP',
        clusterIp: props.clusterIp,
        selector: labels,
        ports: [
          { name: 'dns', port: 53, targetPort: k8s.IntOrString.fromString('dns'), protocol: 'UDP' },
          { name: 'dns-tcp', port: 53, targetPort: k8s.IntOrString.fromString('dns-tcp'), protocol: 'TCP' },
        ],
      },
    });
    if (replicas > 1) {
      new k8s.KubePodDisruptionBudget(this, 'pdb', {
        metadata: { name, namespace: props.namespace, labels },
        spec: { minAvailable: k8s.IntOrString.fromNumber(1), selector: { matchLabels: labels } },
      });
    }
    FactRegistry.of(this).connect(
      {
        from: props.queriedBy,
        to: workloadPeer(props.namespace, name, labels),
        ports: [
          { port: 5353, protocol: 'UDP' },
          { port: 5353, protocol: 'TCP' },
        ],
        purpose: `split DNS for ${props.zone}`,
      },
      this.node.path,
    );
  }
}
