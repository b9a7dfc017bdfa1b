import { Construct } from 'constructs';
import { Certificate, CertificateSpecPrivateKeyAlgorithm, CertificateSpecUsages } from '../../imports/cert-manager.io';
import { Peer, ServiceEndpoint, WorkloadPeer, workloadPeer } from '../../lib/core/facts/connections';
import { FactRegistry } from '../../lib/core/facts/registry';
import { SYNC_WAVE_ANNOTATION } from '../../lib/core/facts/waves';
import { INTERNAL_CA } from '../../lib/core/vault-naming';
import { k8s } from '../../lib/core/facade/k8s';
import { dedicatedPoolPlacement } from '../gpu';
import { parseImageRef } from '../image';
import { propError } from '../props';

const PORT = 1234;
/** The user of moby/buildkit's rootless image. */
const UID = 1000;
const SOCKET = `unix:///run/user/${UID}/buildkit/buildkitd.sock`;
const CACHE_DIR = `/home/user/.local/share/buildkit`;
const CERTS_DIR = '/certs';

export interface BuildKitDaemonProps {
  readonly namespace: string;
  /** moby/buildkit's rootless image, pinned (e.g. docker.io/moby/buildkit:v0.23.2-rootless). */
  readonly image: string;
  /** Volume of the layer cache, which BuildKit garbage-collects down to 80% of it, e.g. "100Gi". */
  readonly cacheSize: string;
  /** @default the cluster's default StorageClass */
  readonly storageClass?: string;
  /** The role of the dedicated node pool it runs on (label and taint `parity.dev/dedicated`). @default none: any node */
  readonly dedicatedPool?: string;
  /** Where builds push and pull (registries, base images): any address outside the cluster on 443. */
  readonly registries: ReadonlyArray<string>;
  /** @default 1 / 2Gi requests, 4 / 8Gi limits */
  readonly resources?: { readonly requests: { cpu: string; memory: string }; readonly limits: { cpu: string; memory: string } };
  /** @default 0 */
  readonly syncWave?: number;
}

/**
 * A shared image builder with a persistent layer cache: rootless BuildKit (`buildkitd`) as a
 * StatefulSet with its cache on a volume, serving builds over mutual TLS (server and client
 * certificates from the internal CA; `addClient` issues a client's). Rootless BuildKit runs as an
 * unprivileged user, but its user namespaces need seccomp and AppArmor unconfined and setuid
 * newuidmap: only a namespace at Pod Security "privileged" admits it, which is why it lives apart from
 * the runners.
 */
export class BuildKitDaemon extends Construct {
  /** The daemon's Service (`tcp://<host>:1234` for buildctl and buildx's remote driver). */
  readonly endpoint: ServiceEndpoint;
  readonly peer: WorkloadPeer;
  private readonly props: BuildKitDaemonProps;

  constructor(scope: Construct, id: string, props: BuildKitDaemonProps) {
    super(scope, id);
    this.props = props;
    parseImageRef(props.image, this, 'image');
    if (!/^\d+Gi$/.test(props.cacheSize)) throw propError(this, 'cacheSize', props.cacheSize, 'a size in Gi such as 100Gi');
    const ns = props.namespace;
    const name = 'buildkitd';
    const labels = { 'app.kubernetes.io/name': name, 'app.kubernetes.io/component': 'image-builder' };
    this.peer = workloadPeer(ns, name, labels);
    this.endpoint = { namespace: ns, service: name, port: PORT, targetPort: PORT, workload: this.peer };
    const facts = FactRegistry.of(this);
    const by = this.node.path;
    facts.name('CRD group', 'cert-manager.io', `${by} (Certificate)`);
    if (props.storageClass) facts.name('StorageClass', props.storageClass, `${by} (cache)`);
    for (const host of props.registries)
      facts.connect(
        { from: this.peer, to: { kind: 'external', host }, ports: [{ port: 443 }], purpose: 'pulls base images, pushes images and cache' },
        by,
      );

    const annotations = props.syncWave !== undefined ? { [SYNC_WAVE_ANNOTATION]: String(props.syncWave) } : undefined;
    const meta = { name, namespace: ns, labels, annotations };
    this.certificate('server', `${name}-tls`, ns, {
      dnsNames: [`${name}.${ns}.svc`, `${name}.${ns}.svc.cluster.local`],
      usages: [CertificateSpecUsages.SERVER_AUTH],
    });
    const gib = Number(props.cacheSize.slice(0, -2));
    const res = props.resources ?? { requests: { cpu: '1', memory: '2Gi' }, limits: { cpu: '4', memory: '8Gi' } };
    const q = (v: string) => k8s.Quantity.fromString(v);
    const placement = props.dedicatedPool ? dedicatedPoolPlacement(props.dedicatedPool) : undefined;
    const probe: k8s.Probe = { exec: { command: ['buildctl', '--addr', SOCKET, 'debug', 'workers'] }, initialDelaySeconds: 5, periodSeconds: 30 };
    new k8s.KubeServiceAccount(this, 'service-account', { metadata: { name, namespace: ns, annotations }, automountServiceAccountToken: false });
    new k8s.KubeService(this, 'service', {
      metadata: meta,
      spec: { selector: labels, ports: [{ name: 'buildkit', port: PORT, targetPort: k8s.IntOrString.fromNumber(PORT) }] },
    });
    new k8s.KubeService(this, 'headless', {
      metadata: { ...meta, name: `${name}-headless` },
      spec: { clusterIp: 'None', selector: labels, ports: [{ name: 'buildkit', port: PORT, targetPort: k8s.IntOrString.fromNumber(PORT) }] },
    });
    const statefulSet: k8s.KubeStatefulSetProps = {
      metadata: meta,
      spec: {
        serviceName: `${name}-headless`,
        replicas: 1,
        selector: { matchLabels: labels },
        template: {
          // AppArmor by the annotation every supported Kubernetes version honours (the
          // securityContext.appArmorProfile field is 1.30+, beyond the schemas output is checked against).
          metadata: { labels, annotations: { [`container.apparmor.security.beta.kubernetes.io/${name}`]: 'unconfined' } },
          spec: {
            serviceAccountName: name,
            automountServiceAccountToken: false,
            nodeSelector: placement?.nodeSelector,
            tolerations: placement?.tolerations,
            securityContext: { runAsNonRoot: true, runAsUser: UID, runAsGroup: UID, fsGroup: UID },
            containers: [
              {
                name,
                image: props.image,
                args: [
                  '--addr',
                  SOCKET,
                  '--addr',
                  `tcp://0.0.0.0:${PORT}`,
                  '--tlscacert',
                  `${CERTS_DIR}/ca.crt`,
                  '--tlscert',
                  `${CERTS_DIR}/tls.crt`,
                  '--tlskey',
                  `${CERTS_DIR}/tls.key`,
                  '--oci-worker-no-process-sandbox',
                  '--oci-worker-gc',
                  `--oci-worker-gc-keepstorage=${Math.floor(gib * 1024 * 0.8)}`,
                ],
                ports: [{ name: 'buildkit', containerPort: PORT }],
                // Rootless BuildKit's user namespaces (rootlesskit, setuid newuidmap): unconfined
                // seccomp and AppArmor, privilege escalation for newuidmap; still no root, no privileged.
                securityContext: {
                  runAsNonRoot: true,
                  runAsUser: UID,
                  seccompProfile: { type: 'Unconfined' },
                },
                readinessProbe: probe,
                livenessProbe: probe,
                resources: {
                  requests: { cpu: q(res.requests.cpu), memory: q(res.requests.memory) },
                  limits: { cpu: q(res.limits.cpu), memory: q(res.limits.memory) },
                },
                volumeMounts: [
                  { name: 'cache', mountPath: CACHE_DIR },
                  { name: 'tls', mountPath: CERTS_DIR, readOnly: true },
                ],
              },
            ],
            volumes: [{ name: 'tls', secret: { secretName: `${name}-tls` } }],
          },
        },
        volumeClaimTemplates: [
          {
            metadata: { name: 'cache' },
            spec: { accessModes: ['ReadWriteOnce'], storageClassName: props.storageClass, resources: { requests: { storage: q(props.cacheSize) } } },
          },
        ],
      },
    };
    new k8s.KubeStatefulSet(this, 'statefulset', statefulSet);
  }

  /**
   * A client certificate for `from` (runners) in its namespace, Secret `<secret>` with ca.crt, tls.crt
   * and tls.key, and the connection to the daemon. Returns the Secret's name.
   */
  addClient(from: Peer & { kind: 'workload' }, secret: string, purpose: string): string {
    this.certificate(`client-${from.namespace}`, secret, from.namespace, {
      commonName: `${from.name}.buildkit-client`,
      usages: [CertificateSpecUsages.CLIENT_AUTH],
    });
    FactRegistry.of(this).connect({ from, to: this.peer, ports: [{ port: PORT }], purpose }, this.node.path);
    return secret;
  }

  private certificate(
    id: string,
    secretName: string,
    namespace: string,
    spec: { dnsNames?: string[]; commonName?: string; usages: CertificateSpecUsages[] },
  ): void {
    const annotations = this.props.syncWave !== undefined ? { [SYNC_WAVE_ANNOTATION]: String(this.props.syncWave) } : undefined;
    new Certificate(this, id, {
      metadata: { name: secretName, namespace, annotations },
      spec: {
        secretName,
        ...spec,
        duration: '2160h',
        privateKey: { algorithm: CertificateSpecPrivateKeyAlgorithm.ECDSA, size: 256, rotationPolicy: undefined },
        issuerRef: { name: INTERNAL_CA.issuer, kind: 'ClusterIssuer', group: 'cert-manager.io' },
      },
    });
  }
}
