import { RELOAD_ON_SECRETS_ANNOTATION } from './vault-database-credentials';
import { Construct } from 'constructs';
import { Peer, PortSpec, ServiceEndpoint, WorkloadPeer, connectTo, workloadPeer } from '../../lib/core/facts/connections';
import { FactRegistry } from '../../lib/core/facts/registry';
import { ServiceMonitor } from '../../imports/monitoring.coreos.com';
import { HttpRoute, HttpRouteSpecRulesFiltersType, HttpRouteSpecRulesMatchesPathType } from '../../imports/gateway.networking.k8s.io';
import { Middleware, MiddlewareProps } from '../../imports/traefik.io';
import { GATEWAY, GATEWAY_WORKLOAD } from '../../lib/core/facts/gateway';
import { JsonPatch, Lazy, k8s } from '../../lib/core/facade/k8s';
import { parseImageRef } from '../image';
import { propError } from '../props';
import { ProfileName, RESOURCE_PROFILES, ResourceProfile } from './resource-profiles';
import { InitContainerProps, MountSpec, ProbeSpec, SidecarProps, servicePodSpec } from './service-pod';

export type { MountSpec, ProbeSpec, SidecarProps } from './service-pod';

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
  /** Resource profile (typescript, python, gpu-serving, ...). @default 'gpu-serving' when gpus > 0, else 'typescript' */
  readonly profile?: ProfileName;
  /** Replaces the profile's numbers. @default the profile */
  readonly resources?: ResourceProfile;
  /** Replicas; an autoscaler (`autoscale`) takes over when added. @default 1 */
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
  /** Secrets (read-only, e.g. a CA to verify clients against) and shared claims mounted into the containers. @default [] */
  readonly mounts?: ReadonlyArray<MountSpec>;
  /** StatefulSet with one volume per replica instead of a Deployment. @default none (a Deployment) */
  readonly persistence?: { readonly size: string; readonly mountPath: string; readonly storageClass?: string };
  /** @default [] */
  readonly initContainers?: ReadonlyArray<InitContainerProps>;
  /** Containers serving beside the main one in each pod (see SidecarProps). @default [] */
  readonly sidecars?: ReadonlyArray<SidecarProps>;
  /** Annotations of the pods (backup hooks). @default {} */
  readonly podAnnotations?: Record<string, string>;
  /** PodDisruptionBudget; created whenever more than one replica can run. @default { minAvailable: 1 } */
  readonly disruptionBudget?: { readonly minAvailable: number };
  /** Services this one calls; each becomes a declared connection (and so a NetworkPolicy rule at both ends). @default [] */
  readonly connectsTo?: ReadonlyArray<{ readonly endpoint: ServiceEndpoint; readonly purpose: string }>;
  /** Other peers it calls (the API server, hosts outside the cluster). @default [] */
  readonly connectsToPeers?: ReadonlyArray<{ readonly peer: Peer; readonly ports: ReadonlyArray<PortSpec>; readonly purpose: string }>;
  /** Argo CD sync wave of every object. @default none (wave 0) */
  readonly syncWave?: number;
  /** Secrets (kubernetes.io/dockerconfigjson) the kubelet pulls the image with, e.g. a vendor registry's. @default [] */
  readonly imagePullSecrets?: ReadonlyArray<string>;
  /** Extra labels on every object. @default {} */
  readonly labels?: Record<string, string>;
  /**
   * Secrets rotated underneath it that it reads only at start (Vault's database credentials): Reloader
   * rolls it when one changes, so no pod outlives the login it started with. @default []
   */
  readonly rotatedSecrets?: ReadonlyArray<string>;
}

/** Options of `exposeViaIngress`. */
export interface IngressProps {
  readonly host: string;
  /** Paths routed to this service. @default [{ path: '/' }] */
  readonly paths?: ReadonlyArray<{ readonly path: string; readonly pathType?: 'Prefix' | 'Exact' }>;
  /** @default 'nginx' */
  readonly className?: string;
  /** @default {} */
  readonly annotations?: Record<string, string>;
  /** TLS secret; with `clusterIssuer`, cert-manager issues it. @default no TLS */
  readonly tls?: { readonly secretName: string; readonly clusterIssuer?: string };
}

/** Options of `exposeViaGateway`. */
export interface GatewayRouteProps {
  readonly host: string;
  /** Path prefixes routed to this service. @default ['/'] */
  readonly paths?: ReadonlyArray<string>;
  /** Requests per second each client address may make (and a burst above it), at the Gateway. @default no limit */
  readonly rateLimit?: { readonly average: number; readonly burst: number };
  /** Cross-origin requests the Gateway answers for these origins and methods. @default none */
  readonly cors?: { readonly origins: ReadonlyArray<string>; readonly methods: ReadonlyArray<string> };
}

/** Options of `autoscale`. */
export interface AutoscaleProps {
  readonly min: number;
  readonly max: number;
  /** Target average CPU utilisation, percent of requests. @default 70 */
  readonly cpuUtilization?: number;
}

/** Options of `scrapeWith`. */
export interface ScrapeProps {
  /** HTTP path of the metrics on the service's port. */
  readonly path: string;
  /** @default '30s' */
  readonly interval?: string;
}

const NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/**
 * A service: its workload (a Deployment, or a StatefulSet with `persistence`), ServiceAccount,
 * ClusterIP Service and, when more than one replica can run, a PodDisruptionBudget. Optional parts
 * are added by methods: `exposeViaIngress`, `autoscale`, `scrapeWith`, `connectTo`, `allowFrom`.
 * The pod is hardened by default (see `servicePodSpec`).
 */
export class BaseService extends Construct {
  readonly selector: Record<string, string>;
  readonly serviceName: string;
  readonly servicePort: number;
  /** The pods, as a connection graph peer. */
  readonly peer: WorkloadPeer;
  /** How other workloads reach this one (host, port and the pods behind it). */
  readonly endpoint: ServiceEndpoint;
  private readonly props: BaseServiceProps;
  private readonly labels: Record<string, string>;
  private autoscaler?: AutoscaleProps;
  private disruptionBudget?: k8s.KubePodDisruptionBudget;

  private service!: k8s.KubeService;

  constructor(scope: Construct, id: string, props: BaseServiceProps) {
    super(scope, id);
    if (!NAME.test(props.name) || props.name.length > 52) throw propError(this, 'name', props.name, 'a DNS-1123 label of at most 52 characters');
    parseImageRef(props.image, this, 'image');
    const gpus = props.gpus ?? 0;
    const profileName = props.profile ?? (gpus > 0 ? 'gpu-serving' : 'typescript');
    if (gpus > 0 && profileName !== 'gpu-serving' && !props.resources) {
      throw propError(this, 'profile', profileName, '"gpu-serving" (or explicit resources) for a service with GPUs');
    }
    const replicas = props.replicas ?? 1;
    if (replicas < 1) throw propError(this, 'replicas', replicas, 'at least 1');
    const reads = new Set([...Object.values(props.secretEnv ?? {}).map((r) => r.secret), ...(props.envFromSecrets ?? [])]);
    for (const s of props.rotatedSecrets ?? [])
      if (!reads.has(s)) throw propError(this, 'rotatedSecrets', s, `a Secret it reads (${[...reads].sort().join(', ') || 'none'})`);

    this.props = props;
    this.serviceName = props.name;
    this.servicePort = props.servicePort ?? props.containerPort;
    this.selector = { 'app.kubernetes.io/name': props.name, 'app.kubernetes.io/instance': props.namespace };
    this.peer = workloadPeer(props.namespace, props.name, this.selector);
    this.endpoint = { namespace: props.namespace, service: props.name, port: this.servicePort, targetPort: props.containerPort, workload: this.peer };
    this.labels = {
      ...props.labels,
      ...this.selector,
      ...(props.component ? { 'app.kubernetes.io/component': props.component } : {}),
      'app.kubernetes.io/managed-by': 'parity',
    };

    new k8s.KubeServiceAccount(this, 'service-account', { metadata: this.meta(), automountServiceAccountToken: false });
    const template = {
      metadata: {
        labels: this.labels,
        ...(props.podAnnotations && Object.keys(props.podAnnotations).length ? { annotations: props.podAnnotations } : {}),
      },
      spec: servicePodSpec(this, {
        name: props.name,
        image: props.image,
        containerPort: props.containerPort,
        resources: props.resources ?? RESOURCE_PROFILES[profileName],
        gpus,
        env: props.env,
        envFromSecrets: props.envFromSecrets,
        secretEnv: props.secretEnv,
        csiSecretProviderClass: props.csiSecretProviderClass,
        command: props.command,
        args: props.args,
        readinessProbe: props.readinessProbe,
        livenessProbe: props.livenessProbe,
        runAsUser: props.runAsUser ?? 1000,
        writablePaths: props.writablePaths ?? ['/tmp'],
        dataMountPath: props.persistence?.mountPath,
        initContainers: props.initContainers ?? [],
        sidecars: props.sidecars,
        imagePullSecrets: props.imagePullSecrets,
        mounts: props.mounts,
      }),
    };
    if (props.persistence?.storageClass)
      FactRegistry.of(this).name('StorageClass', props.persistence.storageClass, `${this.node.path} (persistence)`);
    if (props.persistence) this.statefulSet(props.persistence, replicas, template);
    else this.deployment(replicas, template);

    this.service = new k8s.KubeService(this, 'service', {
      metadata: this.meta(),
      spec: {
        type: 'ClusterIP',
        selector: this.selector,
        ports: [{ name: 'http', port: this.servicePort, targetPort: k8s.IntOrString.fromString('http'), protocol: 'TCP' }],
      },
    });
    if (props.persistence) {
      // A StatefulSet's governing Service must be headless: it gives each pod its stable DNS name.
      new k8s.KubeService(this, 'headless-service', {
        metadata: this.meta(`${props.name}-headless`),
        spec: {
          clusterIp: 'None',
          publishNotReadyAddresses: true,
          selector: this.selector,
          ports: [{ name: 'http', port: props.containerPort, targetPort: k8s.IntOrString.fromString('http'), protocol: 'TCP' }],
        },
      });
    }
    if (replicas > 1 || props.disruptionBudget) this.addDisruptionBudget();

    for (const c of props.connectsTo ?? []) this.connectTo(c.endpoint, c.purpose);
    for (const c of props.connectsToPeers ?? [])
      FactRegistry.of(this).connect({ from: this.peer, to: c.peer, ports: c.ports, purpose: c.purpose }, this.node.path);
  }

  /**
   * Scales the Deployment on CPU between `min` and `max` replicas; the Deployment then leaves its
   * replica count to the autoscaler, and a disruption budget keeps one pod up when `max` > 1.
   */
  autoscale(props: AutoscaleProps): this {
    if (this.props.persistence) throw propError(this, 'autoscale', props, 'no autoscaling for a persistent (StatefulSet) service');
    if (this.autoscaler) throw propError(this, 'autoscale', props, 'one autoscaler per service');
    if (props.min < 1 || props.min > props.max) throw propError(this, 'autoscale', props, '1 ≤ min ≤ max');
    this.autoscaler = props;
    new k8s.KubeHorizontalPodAutoscalerV2(this, 'autoscaler', {
      metadata: this.meta(),
      spec: {
        scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: this.props.name },
        minReplicas: props.min,
        maxReplicas: props.max,
        metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: props.cpuUtilization ?? 70 } } }],
      },
    });
    if (props.max > 1) this.addDisruptionBudget();
    return this;
  }

  /** Routes `host` (and `paths`) to the Service through the ingress controller of `className`, which may then call the pods. */
  exposeViaIngress(ing: IngressProps): this {
    const className = ing.className ?? 'nginx';
    if (ing.tls?.clusterIssuer) FactRegistry.of(this).name('ClusterIssuer', ing.tls.clusterIssuer, `${this.node.path} (ingress TLS)`);
    this.allowFrom(
      FactRegistry.of(this).workload(`ingress-controller:${className}`, `${this.node.path} (ingress class ${className})`),
      `routes ${ing.host}`,
    );
    const metadata = this.meta();
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
                backend: { service: { name: this.props.name, port: { number: this.servicePort } } },
              })),
            },
          },
        ],
      },
    });
    return this;
  }

  /**
   * Routes `host` (and `paths`) to the Service through the environment's Gateway (Gateway API): an
   * HTTPRoute on its HTTPS listener, whose certificate covers the host; the Gateway's pods may then call
   * the pods.
   */
  exposeViaGateway(route: GatewayRouteProps): this {
    const facts = FactRegistry.of(this);
    facts.name('CRD group', 'gateway.networking.k8s.io', `${this.node.path} (HTTPRoute)`);
    this.allowFrom(facts.workload(GATEWAY_WORKLOAD, `${this.node.path} (Gateway)`), `routes ${route.host}`);
    if (route.rateLimit && (!(route.rateLimit.average >= 1) || route.rateLimit.burst < route.rateLimit.average))
      throw propError(this, 'rateLimit', route.rateLimit, 'an average of at least 1 request per second and a burst no lower than it');
    if (route.cors && (!route.cors.origins.length || !route.cors.methods.length))
      throw propError(this, 'cors', route.cors, 'at least one origin and one method');
    const middlewares = this.gatewayMiddlewares(route);
    new HttpRoute(this, 'route', {
      metadata: this.meta(),
      spec: {
        parentRefs: [{ name: GATEWAY.name, namespace: GATEWAY.namespace, sectionName: GATEWAY.httpsListener }],
        hostnames: [route.host],
        rules: (route.paths ?? ['/']).map((p) => ({
          matches: [{ path: { type: HttpRouteSpecRulesMatchesPathType.PATH_PREFIX, value: p } }],
          ...(middlewares.length
            ? {
                filters: middlewares.map((name) => ({
                  type: HttpRouteSpecRulesFiltersType.EXTENSION_REF,
                  extensionRef: { group: 'traefik.io', kind: 'Middleware', name },
                })),
              }
            : {}),
          backendRefs: [{ name: this.props.name, port: this.servicePort }],
        })),
      },
    });
    return this;
  }

  /**
   * The route's rate limit and CORS as middlewares of the Gateway's implementation (Traefik: HTTPRoute
   * filters of type ExtensionRef name them), in the service's namespace, synced with the route.
   */
  private gatewayMiddlewares(route: GatewayRouteProps): string[] {
    const names: string[] = [];
    const facts = FactRegistry.of(this);
    const add = (suffix: string, spec: MiddlewareProps['spec']) => {
      facts.name('CRD group', 'traefik.io', `${this.node.path} (Middleware)`);
      const name = `${this.props.name}-${suffix}`;
      new Middleware(this, suffix, { metadata: this.meta(name), spec });
      names.push(name);
    };
    // Per client address (Traefik's default source), over one second.
    if (route.rateLimit) add('rate-limit', { rateLimit: { average: route.rateLimit.average, burst: route.rateLimit.burst } });
    if (route.cors)
      add('cors', {
        headers: {
          accessControlAllowOriginList: [...route.cors.origins],
          accessControlAllowMethods: [...route.cors.methods],
          accessControlMaxAge: 600,
          addVaryHeader: true,
        },
      });
    return names;
  }

  /** Has Prometheus scrape the pods through a ServiceMonitor, and opens the port to it. */
  scrapeWith(props: ScrapeProps): this {
    FactRegistry.of(this).name('CRD group', 'monitoring.coreos.com', `${this.node.path} (ServiceMonitor)`);
    new ServiceMonitor(this, 'service-monitor', {
      metadata: this.meta(),
      spec: { selector: { matchLabels: this.selector }, endpoints: [{ port: 'http', path: props.path, interval: props.interval ?? '30s' }] },
    });
    FactRegistry.of(this).scrape(this.peer, this.props.containerPort, this.node.path);
    return this;
  }

  /** Declares a call to another Service: the NetworkPolicies open it at both ends. */
  connectTo(endpoint: ServiceEndpoint, purpose: string): this {
    FactRegistry.of(this).connect(connectTo(this.peer, endpoint, purpose), this.node.path);
    return this;
  }

  /**
   * Publishes the Service outside the cluster as a NodePort or a LoadBalancer (the vendor charts' option for
   * sites without an ingress controller); clients outside the cluster may then reach the pods.
   */
  exposeOnService(type: 'NodePort' | 'LoadBalancer', clients = 'clients outside the cluster'): this {
    this.service.addJsonPatch(JsonPatch.replace('/spec/type', type));
    return this.allowFrom({ kind: 'external', host: clients }, `${type} Service ${this.props.name}`);
  }

  /** Declares that `peer` calls this service. */
  allowFrom(peer: Peer, purpose: string): this {
    FactRegistry.of(this).connect({ from: peer, to: this.peer, ports: [{ port: this.props.containerPort }], purpose }, this.node.path);
    return this;
  }

  private meta(name = this.props.name): k8s.ObjectMeta {
    const annotations = this.props.syncWave !== undefined ? { 'argocd.argoproj.io/sync-wave': String(this.props.syncWave) } : undefined;
    return { name, namespace: this.props.namespace, labels: this.labels, annotations };
  }

  /** The workload's own metadata: Reloader's annotation when it reads rotated Secrets. */
  private workloadMeta(): k8s.ObjectMeta {
    const meta = this.meta();
    const rotated = this.props.rotatedSecrets ?? [];
    if (rotated.length === 0) return meta;
    return { ...meta, annotations: { ...meta.annotations, [RELOAD_ON_SECRETS_ANNOTATION]: [...rotated].sort().join(',') } };
  }

  private deployment(replicas: number, template: k8s.PodTemplateSpec): void {
    new k8s.KubeDeployment(this, 'workload', {
      metadata: this.workloadMeta(),
      spec: {
        // Left to the autoscaler once one is added: a fixed count would fight it on every sync.
        replicas: Lazy.any({ produce: () => (this.autoscaler ? undefined : replicas) }),
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

  private statefulSet(persistence: NonNullable<BaseServiceProps['persistence']>, replicas: number, template: k8s.PodTemplateSpec): void {
    new k8s.KubeStatefulSet(this, 'workload', {
      metadata: this.workloadMeta(),
      spec: {
        serviceName: `${this.props.name}-headless`,
        replicas,
        selector: { matchLabels: this.selector },
        template,
        volumeClaimTemplates: [
          {
            metadata: { name: 'data' },
            spec: {
              accessModes: ['ReadWriteOnce'],
              storageClassName: persistence.storageClass,
              resources: { requests: { storage: k8s.Quantity.fromString(persistence.size) } },
            },
          },
        ],
      },
    });
  }

  private addDisruptionBudget(): void {
    this.disruptionBudget ??= new k8s.KubePodDisruptionBudget(this, 'disruption-budget', {
      metadata: this.meta(),
      spec: { minAvailable: k8s.IntOrString.fromNumber(this.props.disruptionBudget?.minAvailable ?? 1), selector: { matchLabels: this.selector } },
    });
  }
}
