import { BaseService, BaseServiceProps } from '../../../constructs/k8s/base-service';
import { workloadPeer } from '../../../lib/core/facts/connections';
import { FactRegistry } from '../../../lib/core/facts/registry';
import { errorOf, k8sChart, only, synthK8s } from '../helpers';

const PROFILE = { requests: { cpu: '10m', memory: '16Mi' }, limits: { cpu: '100m', memory: '64Mi' }, gpus: 0 };
const props: BaseServiceProps = { name: 'api', namespace: 'team', image: 'registry.example.com/api:1.2.3', containerPort: 8000 };

function build(p: Partial<BaseServiceProps> = {}, parts: (s: BaseService) => void = () => undefined) {
  const chart = k8sChart();
  const facts = FactRegistry.of(chart);
  facts.provideWorkload('ingress-controller:nginx', workloadPeer('ingress', 'controller', { app: 'nginx' }), 'test');
  facts.provideName('StorageClass', 'gp3', 'test');
  facts.provideName('ClusterIssuer', 'le', 'test');
  facts.provideName('CRD group', 'monitoring.coreos.com', 'test');
  const svc = new BaseService(chart, 's', { ...props, ...p });
  parts(svc);
  return { objects: synthK8s(chart), facts: FactRegistry.of(chart), svc };
}

describe('BaseService', () => {
  it('defaults: a Deployment of one hardened pod, its Service and ServiceAccount, no PDB, no Ingress, no autoscaler', () => {
    const { objects } = build();
    expect(objects.map((o) => o.kind).sort()).toEqual(['Deployment', 'Service', 'ServiceAccount']);
    const d = only(objects, 'Deployment');
    expect(d.spec.replicas).toBe(1);
    expect(d.spec.strategy.rollingUpdate).toEqual({ maxUnavailable: 0, maxSurge: 1 });
    const c = d.spec.template.spec.containers[0];
    expect(c.securityContext).toMatchObject({ runAsNonRoot: true, readOnlyRootFilesystem: true, allowPrivilegeEscalation: false });
    expect(c.readinessProbe.httpGet).toEqual({ path: '/healthz', port: 8000 });
    expect(c.resources.requests).toEqual({ cpu: '100m', memory: '256Mi' });
    expect(only(objects, 'Service').spec.ports[0]).toMatchObject({ port: 8000, targetPort: 'http' });
    expect(d.metadata.annotations).toBeUndefined();
  });

  it('option: mounts, a Secret read-only (only the items asked for) and a shared claim read-write, in the init containers too', () => {
    const { objects } = build({
      initContainers: [{ name: 'init', command: ['true'] }],
      mounts: [
        { name: 'ca', mountPath: '/etc/ca', secret: 'ca-secret', items: ['ca.crt'] },
        { name: 'shared', mountPath: '/data', claim: 'shared-data' },
      ],
    });
    const pod = only(objects, 'Deployment').spec.template.spec;
    expect(pod.volumes.slice(-2)).toEqual([
      { name: 'ca', secret: { secretName: 'ca-secret', defaultMode: 0o440, items: [{ key: 'ca.crt', path: 'ca.crt' }] } },
      { name: 'shared', persistentVolumeClaim: { claimName: 'shared-data' } },
    ]);
    for (const c of [pod.containers[0], pod.initContainers[0]])
      expect(c.volumeMounts.slice(-2)).toEqual([
        { name: 'ca', mountPath: '/etc/ca', readOnly: true },
        { name: 'shared', mountPath: '/data' },
      ]);
  });

  it('option: sidecars serve beside the main container, hardened alike, probed on their port, sharing only the writable paths they name', () => {
    const { objects } = build({
      writablePaths: ['/srv', '/tmp'],
      env: { MAIN: '1' },
      initContainers: [{ name: 'setup', command: ['true'], env: { SETUP: '1' }, secretEnv: { TOKEN: { secret: 's', key: 'k' } }, runAsUser: 82 }],
      sidecars: [{ name: 'fpm', image: 'registry.example.com/fpm:1.0.0', port: 9000, runAsUser: 82, writablePaths: ['/srv'], resources: PROFILE }],
      podAnnotations: { 'pre.hook.backup.velero.io/container': 'api' },
    });
    const d = only(objects, 'Deployment');
    const pod = d.spec.template.spec;
    expect(d.spec.template.metadata.annotations).toEqual({ 'pre.hook.backup.velero.io/container': 'api' });
    const [main, fpm] = pod.containers;
    expect(fpm).toMatchObject({
      name: 'fpm',
      ports: [{ name: 'fpm', containerPort: 9000, protocol: 'TCP' }],
      readinessProbe: { tcpSocket: { port: 9000 } },
      livenessProbe: { tcpSocket: { port: 9000 } },
      securityContext: { readOnlyRootFilesystem: true, runAsNonRoot: true, runAsUser: 82, runAsGroup: 82 },
      resources: { requests: { cpu: '10m', memory: '16Mi' }, limits: { cpu: '100m', memory: '64Mi' } },
    });
    expect(fpm.env).toBeUndefined();
    const writable = (c: any) => c.volumeMounts.map((m: any) => `${m.name}:${m.mountPath}`);
    expect(writable(fpm)).toEqual([writable(main)[0]]);
    // An init step with its own environment does not inherit the server's (nor the server its secrets).
    const setup = pod.initContainers[0];
    expect(setup.env.map((e: any) => e.name)).toEqual(['SETUP', 'TOKEN']);
    expect(setup.securityContext.runAsUser).toBe(82);
    expect(main.env.map((e: any) => e.name)).toEqual(['MAIN']);
    expect(
      errorOf(() =>
        build({ sidecars: [{ name: 'fpm', image: 'registry.example.com/fpm:1.0.0', port: 9000, writablePaths: ['/srv'], resources: PROFILE }] }),
      ),
    ).toMatch(/sidecars\.fpm\.writablePaths.*\/srv.*one of the pod's writable paths \(\/tmp\)/s);
  });

  it('options: replicas bring a disruption budget; persistence a StatefulSet with a headless Service; gpus a GPU pool placement; syncWave', () => {
    const replicated = build({ replicas: 3, syncWave: 2 }).objects;
    expect(only(replicated, 'PodDisruptionBudget').spec.minAvailable).toBe(1);
    expect(only(replicated, 'Deployment').metadata.annotations).toEqual({ 'argocd.argoproj.io/sync-wave': '2' });
    const persistent = build({ persistence: { size: '5Gi', mountPath: '/data', storageClass: 'gp3' } }).objects;
    expect(only(persistent, 'StatefulSet').spec.volumeClaimTemplates[0].spec).toMatchObject({
      storageClassName: 'gp3',
      resources: { requests: { storage: '5Gi' } },
    });
    expect(only(persistent, 'Service', 'api-headless').spec.clusterIP).toBe('None');
    const gpu = only(build({ gpus: 1 }).objects, 'Deployment').spec.template.spec;
    expect(gpu.tolerations).toEqual([{ key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' }]);
    expect(gpu.containers[0].resources.limits['nvidia.com/gpu']).toBe('1');
  });

  it('autoscale: an HPA on CPU, no fixed replica count, a disruption budget', () => {
    const { objects } = build({}, (s) => s.autoscale({ min: 2, max: 6 }));
    expect(only(objects, 'HorizontalPodAutoscaler').spec).toMatchObject({ minReplicas: 2, maxReplicas: 6 });
    expect(only(objects, 'HorizontalPodAutoscaler').spec.metrics[0].resource.target.averageUtilization).toBe(70);
    expect(only(objects, 'Deployment').spec.replicas).toBeUndefined();
    expect(only(objects, 'PodDisruptionBudget')).toBeDefined();
  });

  it('exposeViaGateway: an HTTPRoute on the Gateway’s HTTPS listener, and the Gateway’s pods allowed to call the pods', () => {
    const { objects, facts } = build({}, (s) => {
      const f = FactRegistry.of(s);
      f.provideWorkload('gateway', workloadPeer('traefik', 'traefik', { app: 'traefik' }), 'test');
      f.provideName('CRD group', 'gateway.networking.k8s.io', 'test');
      s.exposeViaGateway({ host: 'api.example.com', paths: ['/v1/', '/health'] });
    });
    expect(only(objects, 'HTTPRoute').spec).toEqual({
      parentRefs: [{ name: 'platform', namespace: 'traefik', sectionName: 'https' }],
      hostnames: ['api.example.com'],
      rules: [
        { matches: [{ path: { type: 'PathPrefix', value: '/v1/' } }], backendRefs: [{ name: 'api', port: 8000 }] },
        { matches: [{ path: { type: 'PathPrefix', value: '/health' } }], backendRefs: [{ name: 'api', port: 8000 }] },
      ],
    });
    expect(facts.connections().map((c) => [c.connection.from.kind === 'workload' && c.connection.from.name, c.connection.ports])).toEqual([
      ['traefik/traefik', [{ port: 8000 }]],
    ]);
  });

  it('exposeViaGateway needs an environment with a Gateway', () => {
    const { svc } = build();
    expect(errorOf(() => svc.exposeViaGateway({ host: 'api.example.com' }))).toMatch(/gateway/);
  });

  it('exposeViaIngress: an Ingress of the class, TLS through cert-manager, and the controller allowed to call the pods', () => {
    const { objects, facts } = build({}, (s) => s.exposeViaIngress({ host: 'api.example.com', tls: { secretName: 'api-tls', clusterIssuer: 'le' } }));
    const ing = only(objects, 'Ingress');
    expect(ing.spec.ingressClassName).toBe('nginx');
    expect(ing.metadata.annotations).toEqual({ 'cert-manager.io/cluster-issuer': 'le' });
    expect(ing.spec.rules[0].http.paths[0]).toMatchObject({
      path: '/',
      pathType: 'Prefix',
      backend: { service: { name: 'api', port: { number: 8000 } } },
    });
    expect(facts.connections().map((c) => [c.connection.from.kind === 'workload' && c.connection.from.name, c.connection.ports])).toEqual([
      ['ingress/controller', [{ port: 8000 }]],
    ]);
  });

  it('scrapeWith: a ServiceMonitor, and Prometheus (where the environment has one) allowed to the container port', () => {
    const { objects, facts } = build({}, (s) => s.scrapeWith({ path: '/metrics' }));
    expect(only(objects, 'ServiceMonitor').spec.endpoints).toEqual([{ port: 'http', path: '/metrics', interval: '30s' }]);
    expect(facts.connections()).toHaveLength(0);
    const chart = k8sChart();
    FactRegistry.of(chart).provideWorkload('prometheus', workloadPeer('monitoring', 'prometheus', { app: 'prometheus' }), 'test');
    FactRegistry.of(chart).provideName('CRD group', 'monitoring.coreos.com', 'test');
    new BaseService(chart, 's', props).scrapeWith({ path: '/metrics', interval: '10s' });
    expect(
      FactRegistry.of(chart)
        .connections()
        .map((c) => c.connection),
    ).toEqual([
      expect.objectContaining({
        from: expect.objectContaining({ name: 'monitoring/prometheus' }),
        ports: [{ port: 8000 }],
        purpose: 'metrics scrape',
      }),
    ]);
    expect(only(synthK8s(chart), 'ServiceMonitor').spec.endpoints[0].interval).toBe('10s');
  });

  it('exposeOnService: a NodePort or LoadBalancer Service, and clients outside the cluster allowed to the pods; imagePullSecrets on the pod', () => {
    const { objects, facts } = build({ imagePullSecrets: ['vendor'] }, (svc) => svc.exposeOnService('LoadBalancer'));
    expect(only(objects, 'Service').spec.type).toBe('LoadBalancer');
    expect(only(objects, 'Deployment').spec.template.spec.imagePullSecrets).toEqual([{ name: 'vendor' }]);
    expect(facts.connections()[0].connection).toMatchObject({
      from: { kind: 'external', host: 'clients outside the cluster' },
      ports: [{ port: 8000 }],
    });
  });

  it('connectTo declares a connection to another Service’s pods on its target port', () => {
    const other = {
      namespace: 'db',
      service: 'pg-rw',
      port: 5432,
      targetPort: 5432,
      workload: workloadPeer('db', 'pg', { 'cnpg.io/cluster': 'pg' }),
    };
    const { facts } = build({ connectsTo: [{ endpoint: other, purpose: 'database' }] });
    expect(facts.connections()[0].connection).toMatchObject({ to: { name: 'db/pg' }, ports: [{ port: 5432 }], purpose: 'database' });
  });

  it('looks up the StorageClass, ClusterIssuer and CRD it refers to: one that nothing provides is a synth error naming both sides', () => {
    const bare = () => new BaseService(k8sChart(), 's', props);
    expect(errorOf(() => new BaseService(k8sChart(), 's', { ...props, persistence: { size: '1Gi', mountPath: '/d', storageClass: 'fast' } }))).toBe(
      'test/s (persistence) needs StorageClass "fast", which nothing in this environment provides',
    );
    expect(errorOf(() => bare().scrapeWith({ path: '/metrics' }))).toMatch(/^test\/s \(ServiceMonitor\) needs CRD group "monitoring.coreos.com"/);
    const { svc } = build();
    expect(errorOf(() => svc.exposeViaIngress({ host: 'h', tls: { secretName: 't', clusterIssuer: 'letsencrypt' } }))).toBe(
      'test/s (ingress TLS) needs ClusterIssuer "letsencrypt", which nothing in this environment provides (this environment has: le)',
    );
  });

  it('rejects invalid props, naming the construct path', () => {
    expect(errorOf(() => build({ name: 'API' }))).toBe(
      'BaseService at test/s: prop "name" is "API"; expected a DNS-1123 label of at most 52 characters',
    );
    expect(errorOf(() => build({ image: 'api:latest' }))).toMatch(/^BaseService at test\/s: prop "image" is "api:latest"/);
    expect(errorOf(() => build({ gpus: 1, profile: 'python' }))).toMatch(/prop "profile" is "python"; expected "gpu-serving"/);
    expect(errorOf(() => build({}, (s) => s.autoscale({ min: 3, max: 2 })))).toMatch(/prop "autoscale" .*expected 1 ≤ min ≤ max/);
    expect(errorOf(() => build({ persistence: { size: '1Gi', mountPath: '/d' } }, (s) => s.autoscale({ min: 1, max: 2 })))).toMatch(
      /no autoscaling for a persistent/,
    );
  });
});
