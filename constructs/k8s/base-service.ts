import { Construct } from 'constructs';
import { Peer, PortSpec, ServiceEndpoint, WorkloadPeer, connectTo, workloadPeer } from '../../lib/core/facts/connections';
import { FactRegistry } from '../../lib/core/facts/registry';
import { ServiceMonitor } from '../../imports/monitoring.coreos.com';
import { k8s } from '../../lib/core/facade/k8s';
import { GPU_LABEL, GPU_TAINT } from '../gpu';
import { parseImageRef } from '../image';
import { propError } from '../props';
import { HARDENED_CONTAINER, csiSecretsVolume, envVars, hardenedPod, resourceRequirements } from './container-defaults';
import { ProfileName, RESOURCE_PROFILES, ResourceProfile } from './resource-profiles';

/** An HTTP GET probe, or a TCP connect probe for non-HTTP servers (gRPC, Redis). */
export type ProbeSpec = { readonly path: string; readonly port?: number } | { readonly tcp: true; readonly port?: number };

export interface IngressProps {
  readonly host: string;
  /** Paths routed to this service. @default [{ path: '/' }] */
  readonly paths?: ReadonlyArray<{ readonly path: string; readonly pathType?: 'Prefix' | 'Exact' }>;
  /** @default 'nginx' */
  readonly className?: string;
  /** @default {} */
  readonly annotations?: Record<string, string>;
  /** TLS secret; with `clusterIssuer`, cert-manager issues it. */
  readonly tls?: { readonly secretName: string; readonly clusterIssuer?: string };
}

export interface InitContainerProps {
  readonly name: string;
  readonly command: string[];
  /** @default the service's image */
  readonly image?: string;
}

export interface BaseServiceProps {
  /** Name of the Deployment, Service, ServiceAccount and `app.kubernetes.io/name` label. */
  readonly name: string;
  readonly namespace: string;
  /** Image reference with a tag, a digest or both (untagged and :latest are rejected). */
  readonly image: string;
  /** Port the container listens on. */
  readonly containerPort: number;
  /** Port of the ClusterIP Service. @default containerPort */
  readonly servicePort?: number;
  /** Resource profile of seed 003. @default 'gpu-serving' when gpus > 0, else 'typescript' */
  readonly profile?: ProfileName;
  /** Replaces the profile's numbers. @default the profile */
  readonly resources?: ResourceProfile;
  /** @default 1 */
  readonly replicas?: number;
  /** GPUs per pod; schedules onto GPU pools (label + toleration) and limits nvidia.com/gpu. @default 0 */
  readonly gpus?: number;
  /** Plain environment values. Secrets never go here: use `envFromSecrets`. @default {} */
  readonly env?: Record<string, string>;
  /** Secrets (by name) whose keys become environment variables. @default [] */
  readonly envFromSecrets?: ReadonlyArray<string>;
  /** Environment variables from single Secret keys. @default {} */
  readonly secretEnv?: Record<string, { readonly secret: string; readonly key: string }>;
  /**
   * Mounts a Secrets Store CSI volume (Azure Key Vault provider); mounting it is also what makes the
   * driver sync the SecretProviderClass's Kubernetes Secrets. @default none
   */
  readonly csiSecretProviderClass?: string;
  /** `app.kubernetes.io/component` label, e.g. api, worker. @default none */
  readonly component?: string;
  /** @default the image's entrypoint */
  readonly command?: string[];
  /** @default the image's arguments */
  readonly args?: string[];
  /** @default httpGet /healthz on the container port */
  readonly readinessProbe?: ProbeSpec;
  /** @default the readiness probe */
  readonly livenessProbe?: ProbeSpec;
  /** @default 1000 */
  readonly runAsUser?: number;
  /** Writable emptyDir mounts under a read-only root filesystem. @default ['/tmp'] */
  readonly writablePaths?: ReadonlyArray<string>;
  /** StatefulSet with one volume per replica instead of a Deployment. @default none */
  readonly persistence?: { readonly size: string; readonly mountPath: string; readonly storageClass?: string };
  /** @default [] */
  readonly initContainers?: ReadonlyArray<InitContainerProps>;
  /** @default no Ingress */
  readonly ingress?: IngressProps;
  /** @default no autoscaling */
  readonly autoscaling?: { readonly min: number; readonly max: number; readonly cpuUtilization?: number };
  /** PodDisruptionBudget; created whenever more than one replica can run. @default { minAvailable: 1 } */
  readonly disruptionBudget?: { readonly minAvailable: number };
  /** Prometheus scrape through a ServiceMonitor. @default none */
  readonly metrics?: { readonly path: string; readonly interval?: string };
  /** Services this one calls; each becomes a declared connection (and so a NetworkPolicy rule at both ends). @default [] */
  readonly connectsTo?: ReadonlyArray<{ readonly endpoint: ServiceEndpoint; readonly purpose: string }>;
  /** Other peers it calls (the API server, hosts outside the cluster). @default [] */
  readonly connectsToPeers?: ReadonlyArray<{ readonly peer: Peer; readonly ports: ReadonlyArray<PortSpec>; readonly purpose: string }>;
  /** Argo CD sync wave of every object. @default 0 */
  readonly syncWave?: number;
  /** Extra labels on every object. @default {} */
  readonly labels?: Record<string, string>;
}

const NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/**
 * A service as the base charts of seed 003 shaped it, with the hardening of seed 001 on by default:
 * non-root, read-only root filesystem (writable emptyDirs where needed), all capabilities dropped, no
 * privilege escalation, RuntimeDefault seccomp, no service-account token unless asked for. Probes and
 * resources always exist; GPU services land on GPU pools only.
 */
export class BaseService extends Construct {
  readonly selector: Record<string, string>;
  readonly serviceName: string;
  readonly servicePort: number;
  /** The pods, as a connection graph peer. */
  readonly peer: WorkloadPeer;
  /** How other workloads reach this one (host, port and the pods behind it). */
  readonly endpoint: ServiceEndpoint;
  private readonly containerPort: number;

  constructor(scope: Construct, id: string, props: BaseServiceProps) {
    super(scope, id);
    if (!NAME.test(props.name) || props.name.length > 52) throw propError(this, 'name', props.name, 'a DNS-1123 label of at most 52 characters');
    parseImageRef(props.image, this, 'image');
    const gpus = props.gpus ?? 0;
    const profileName = props.profile ?? (gpus > 0 ? 'gpu-serving' : 'typescript');
    const profile = props.resources ?? RESOURCE_PROFILES[profileName];
    if (gpus > 0 && profileName !== 'gpu-serving' && !props.resources) {
      throw propError(this, 'profile', profileName, '"gpu-serving" (or explicit resources) for a service with GPUs');
    }
    const replicas = props.replicas ?? 1;
    if (props.autoscaling && (props.autoscaling.min < 1 || props.autoscaling.min > props.autoscaling.max)) {
      throw propError(this, 'autoscaling', props.autoscaling, '1 ≤ min ≤ max');
    }
    if (props.persistence && props.autoscaling)
      throw propError(this, 'autoscaling', props.autoscaling, 'no autoscaling for a persistent (StatefulSet) service');

    this.serviceName = props.name;
    this.servicePort = props.servicePort ?? props.containerPort;
    this.containerPort = props.containerPort;
    this.selector = { 'app.kubernetes.io/name': props.name, 'app.kubernetes.io/instance': props.namespace };
    this.peer = workloadPeer(props.namespace, props.name, this.selector);
    this.endpoint = { namespace: props.namespace, service: props.name, port: this.servicePort, targetPort: props.containerPort, workload: this.peer };
    const labels = {
      ...props.labels,
      ...this.selector,
      ...(props.component ? { 'app.kubernetes.io/component': props.component } : {}),
      'app.kubernetes.io/managed-by': 'parity',
    };
    const annotations = props.syncWave !== undefined ? { 'argocd.argoproj.io/sync-wave': String(props.syncWave) } : undefined;
    const meta = (name = props.name) => ({ name, namespace: props.namespace, labels, annotations });

    new k8s.KubeServiceAccount(this, 'service-account', { metadata: meta(), automountServiceAccountToken: false });

    const q = (v: string) => k8s.Quantity.fromString(v);
    const resources = resourceRequirements(profile, gpus);
    const securityContext = HARDENED_CONTAINER;
    const writable = props.writablePaths ?? ['/tmp'];
    const volumeMounts: k8s.VolumeMount[] = writable.map((p, i) => ({ name: `writable-${i}`, mountPath: p }));
    if (props.persistence) volumeMounts.push({ name: 'data', mountPath: props.persistence.mountPath });
    if (props.csiSecretProviderClass) volumeMounts.push({ name: 'secrets-store', mountPath: '/mnt/secrets-store', readOnly: true });
    const probe = (p: ProbeSpec | undefined, period: number): k8s.Probe => {
      const port = k8s.IntOrString.fromNumber(p?.port ?? props.containerPort);
      return {
        ...(p && 'tcp' in p ? { tcpSocket: { port } } : { httpGet: { path: p?.path ?? '/healthz', port } }),
        periodSeconds: period,
        timeoutSeconds: 3,
        failureThreshold: 3,
      };
    };
    const env = envVars(props.env, props.secretEnv);
    const envFrom: k8s.EnvFromSource[] = (props.envFromSecrets ?? []).map((name) => ({ secretRef: { name } }));

    const container: k8s.Container = {
      name: props.name,
      image: props.image,
      imagePullPolicy: 'IfNotPresent',
      command: props.command,
      args: props.args,
      // Every port a probe uses is declared, so the kubelet's target is part of the pod's contract.
      ports: [
        { name: 'http', containerPort: props.containerPort, protocol: 'TCP' },
        ...[
          ...new Set(
            [props.readinessProbe?.port, props.livenessProbe?.port].filter((p): p is number => p !== undefined && p !== props.containerPort),
          ),
        ]
          .sort((a, b) => a - b)
          .map((port) => ({ name: `probe-${port}`, containerPort: port, protocol: 'TCP' })),
      ],
      env,
      envFrom: envFrom.length ? envFrom : undefined,
      resources,
      securityContext,
      readinessProbe: probe(props.readinessProbe, 10),
      livenessProbe: probe(props.livenessProbe ?? props.readinessProbe, 20),
      volumeMounts,
    };
    const initContainers: k8s.Container[] = (props.initContainers ?? []).map((init) => {
      if (init.image) parseImageRef(init.image, this, `initContainers.${init.name}.image`);
      return {
        name: init.name,
        image: init.image ?? props.image,
        imagePullPolicy: 'IfNotPresent',
        command: init.command,
        env: container.env,
        envFrom: container.envFrom,
        resources: { requests: resources.requests, limits: resources.limits },
        securityContext,
        volumeMounts: volumeMounts.filter((m) => m.name !== 'data'),
      };
    });
    const podSpec: k8s.PodSpec = {
      serviceAccountName: props.name,
      automountServiceAccountToken: false,
      securityContext: hardenedPod(props.runAsUser ?? 1000),
      initContainers: initContainers.length ? initContainers : undefined,
      containers: [container],
      volumes: [
        ...writable.map((_, i) => ({ name: `writable-${i}`, emptyDir: { sizeLimit: q('1Gi') } })),
        ...(props.csiSecretProviderClass ? [csiSecretsVolume(props.csiSecretProviderClass)] : []),
      ],
      ...(gpus
        ? {
            nodeSelector: { [GPU_LABEL.key]: GPU_LABEL.value },
            tolerations: [{ key: GPU_TAINT.key, operator: 'Exists', effect: GPU_TAINT.effect }],
          }
        : {}),
    };
    const template = { metadata: { labels }, spec: podSpec };

    if (props.persistence) {
      new k8s.KubeStatefulSet(this, 'workload', {
        metadata: meta(),
        spec: {
          serviceName: `${props.name}-headless`,
          replicas,
          selector: { matchLabels: this.selector },
          template,
          volumeClaimTemplates: [
            {
              metadata: { name: 'data' },
              spec: {
                accessModes: ['ReadWriteOnce'],
                storageClassName: props.persistence.storageClass,
                resources: { requests: { storage: q(props.persistence.size) } },
              },
            },
          ],
        },
      });
    } else {
      new k8s.KubeDeployment(this, 'workload', {
        metadata: meta(),
        spec: {
          replicas: props.autoscaling ? undefined : replicas,
          revisionHistoryLimit: 5,
          selector: { matchLabels: this.selector },
          strategy: {
            type: 'RollingUpdate',
            rollingUpdate: { maxUnavailable: k8s.IntOrString.fromNumber(0), maxSurge: k8s.IntOrString.fromNumber(1) },
          },
          template,
        },
      });
    }

    new k8s.KubeService(this, 'service', {
      metadata: meta(),
      spec: {
        type: 'ClusterIP',
        selector: this.selector,
        ports: [{ name: 'http', port: this.servicePort, targetPort: k8s.IntOrString.fromString('http'), protocol: 'TCP' }],
      },
    });

    if (props.persistence) {
      // A StatefulSet's governing Service must be headless: it gives each pod its stable DNS name.
      new k8s.KubeService(this, 'headless-service', {
        metadata: meta(`${props.name}-headless`),
        spec: {
          clusterIp: 'None',
          publishNotReadyAddresses: true,
          selector: this.selector,
          ports: [{ name: 'http', port: props.containerPort, targetPort: k8s.IntOrString.fromString('http'), protocol: 'TCP' }],
        },
      });
    }

    if (props.autoscaling) {
      new k8s.KubeHorizontalPodAutoscalerV2(this, 'autoscaler', {
        metadata: meta(),
        spec: {
          scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: props.name },
          minReplicas: props.autoscaling.min,
          maxReplicas: props.autoscaling.max,
          metrics: [
            {
              type: 'Resource',
              resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: props.autoscaling.cpuUtilization ?? 70 } },
            },
          ],
        },
      });
    }

    const maxReplicas = props.autoscaling?.max ?? replicas;
    if (maxReplicas > 1 || props.disruptionBudget) {
      new k8s.KubePodDisruptionBudget(this, 'disruption-budget', {
        metadata: meta(),
        spec: { minAvailable: k8s.IntOrString.fromNumber(props.disruptionBudget?.minAvailable ?? 1), selector: { matchLabels: this.selector } },
      });
    }

    if (props.ingress) this.addIngress(props, meta(), props.ingress);

    if (props.metrics) {
      new ServiceMonitor(this, 'service-monitor', {
        metadata: meta(),
        spec: {
          selector: { matchLabels: this.selector },
          endpoints: [{ port: 'http', path: props.metrics.path, interval: props.metrics.interval ?? '30s' }],
        },
      });
      FactRegistry.of(this).scrape(this.peer, props.containerPort, this.node.path);
    }

    for (const c of props.connectsTo ?? []) this.connectTo(c.endpoint, c.purpose);
    for (const c of props.connectsToPeers ?? [])
      FactRegistry.of(this).connect({ from: this.peer, to: c.peer, ports: c.ports, purpose: c.purpose }, this.node.path);
  }

  /** Declares a call to another Service: the NetworkPolicies open it at both ends. */
  connectTo(endpoint: ServiceEndpoint, purpose: string): void {
    FactRegistry.of(this).connect(connectTo(this.peer, endpoint, purpose), this.node.path);
  }

  /** Declares that `peer` calls this service. */
  allowFrom(peer: Peer, purpose: string): void {
    FactRegistry.of(this).connect({ from: peer, to: this.peer, ports: [{ port: this.containerPort }], purpose }, this.node.path);
  }

  private addIngress(props: BaseServiceProps, metadata: k8s.ObjectMeta, ing: IngressProps): void {
    const className = ing.className ?? 'nginx';
    this.allowFrom(
      FactRegistry.of(this).workload(`ingress-controller:${className}`, `${this.node.path} (ingress class ${className})`),
      `routes ${ing.host}`,
    );
    new k8s.KubeIngress(this, 'ingress', {
      metadata: {
        ...metadata,
        annotations: {
          ...metadata.annotations,
          ...ing.annotations,
          ...(ing.tls?.clusterIssuer ? { 'cert-manager.io/cluster-issuer': ing.tls.clusterIssuer } : {}),
        },
      },
      spec: {
        ingressClassName: className,
        tls: ing.tls ? [{ hosts: [ing.host], secretName: ing.tls.secretName }] : undefined,
        rules: [
          {
            host: ing.host,
            http: {
              paths: (ing.paths ?? [{ path: '/' }]).map((p) => ({
                path: p.path,
                pathType: p.pathType ?? 'Prefix',
                backend: { service: { name: props.name, port: { number: this.servicePort } } },
              })),
            },
          },
        ],
      },
    });
  }
}
