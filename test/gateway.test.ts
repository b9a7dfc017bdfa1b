import { synthesizeAll } from '../lib/pipeline/synth/pipeline';
import { synthesizeAndCheck } from '../lib/pipeline/synth/run';
import { examples, fixture, manifests, messageOf } from './helpers';

const QUOTA = { requestsCpu: '4', requestsMemory: '8Gi', limitsCpu: '8', limitsMemory: '16Gi' };
const withGateway = (mutate: (e: any) => void = () => undefined) =>
  fixture('onprem', (e) => {
    e.addons = [...e.addons, 'gateway'].sort();
    e.access.routing = 'gateway';
    e.access.wwwRedirect = true;
    e.namespaces.push({ name: 'lists', description: 'listmonk', quota: QUOTA });
    e.apps.push({ app: 'listmonk', namespace: 'lists', host: 'lists.apps.lab.internal' });
    mutate(e);
  });

describe('Gateway API as the routing model (add-on gateway, access.routing: gateway)', () => {
  const dir = withGateway();
  const objects = manifests(synthesizeAll({ environmentsDir: dir }), 'onprem');
  const named = (kind: string, name: string) => objects.find((o) => o.kind === kind && o.metadata.name === name);

  it('routes apps by HTTPRoutes on the Gateway’s HTTPS listener instead of Ingresses', () => {
    const route = named('HTTPRoute', 'listmonk');
    expect(route.metadata.namespace).toBe('lists');
    expect(route.spec).toEqual({
      parentRefs: [{ name: 'platform', namespace: 'traefik', sectionName: 'https' }],
      hostnames: ['lists.apps.lab.internal'],
      rules: [{ matches: [{ path: { type: 'PathPrefix', value: '/' } }], backendRefs: [{ name: 'listmonk', port: 9000 }] }],
    });
    expect(named('Ingress', 'listmonk')).toBeUndefined();
    // The Gateway's pods may call the app; nothing else from outside the namespace may.
    const policy = objects.find(
      (o) =>
        o.kind === 'NetworkPolicy' && o.metadata.namespace === 'lists' && o.spec.podSelector.matchLabels?.['app.kubernetes.io/name'] === 'listmonk',
    );
    expect(JSON.stringify(policy.spec.ingress)).toContain('"kubernetes.io/metadata.name":"traefik"');
  });

  it('terminates TLS with a wildcard certificate, redirects HTTP to HTTPS and www to the apex', () => {
    const gw = named('Gateway', 'platform');
    expect(gw.spec.gatewayClassName).toBe('traefik');
    expect(gw.spec.listeners).toEqual([
      { name: 'http', port: 8000, protocol: 'HTTP', allowedRoutes: { namespaces: { from: 'Same' } } },
      {
        name: 'https',
        port: 8443,
        protocol: 'HTTPS',
        tls: { mode: 'Terminate', certificateRefs: [{ kind: 'Secret', name: 'gateway-tls' }] },
        allowedRoutes: { namespaces: { from: 'All' } },
      },
    ]);
    expect(named('GatewayClass', 'traefik').spec.controllerName).toBe('traefik.io/gateway-controller');
    expect(named('Certificate', 'gateway-tls').spec).toMatchObject({
      dnsNames: ['apps.lab.internal', '*.apps.lab.internal'],
      issuerRef: { name: 'lab-internal-ca' },
    });
    expect(named('HTTPRoute', 'https-redirect').spec.rules[0].filters[0]).toEqual({
      type: 'RequestRedirect',
      requestRedirect: { scheme: 'https', statusCode: 301 },
    });
    expect(named('HTTPRoute', 'www-redirect').spec).toMatchObject({
      hostnames: ['www.apps.lab.internal'],
      rules: [{ filters: [{ requestRedirect: { hostname: 'apps.lab.internal', statusCode: 301 } }] }],
    });
  });

  it('runs Traefik with its Gateway provider (and its CRD provider for middlewares only), no IngressClass, behind the substrate’s (private) load balancer', () => {
    const v = named('Application', 'gateway').spec.source.helm.valuesObject;
    expect(v.providers).toEqual({
      kubernetesGateway: { enabled: true },
      kubernetesIngress: { enabled: false },
      kubernetesCRD: { enabled: true, allowCrossNamespace: false },
    });
    expect(objects.filter((o) => o.apiVersion?.startsWith('traefik.io/') && o.kind !== 'Middleware')).toEqual([]);
    expect(v.ingressClass).toEqual({ enabled: false });
    // Bare metal's internal pool: the Gateway holds the address after the ingress controller's, which DNS names.
    expect(v.service).toEqual({ annotations: { 'lbipam.cilium.io/ips': '10.0.20.201' }, labels: { 'parity.dev/address-pool': 'internal' } });
    expect(named('Application', 'gateway').spec.syncPolicy.syncOptions).toContain('ServerSideApply=true');
  });

  it('refuses routing: gateway without the add-on, wwwRedirect without it, and a wildcard an HTTP-01 issuer cannot prove', () => {
    expect(
      messageOf(() => synthesizeAll({ environmentsDir: withGateway((e) => (e.addons = e.addons.filter((a: string) => a !== 'gateway'))) })),
    ).toContain('access.routing: found "gateway"; expected add-on "gateway" in addons:');
    expect(messageOf(() => synthesizeAll({ environmentsDir: withGateway((e) => (e.access.routing = 'ingress')) }))).toContain(
      'access.wwwRedirect: found true; expected routing: gateway',
    );
    expect(messageOf(() => synthesizeAll({ environmentsDir: withGateway((e) => (e.access.tls.acmeEmail = 'ops@example.org')) }))).toContain(
      'access.tls.dns01: found nothing; expected a DNS-01 provider',
    );
  });

  it('passes the guardrails and the deploy rehearsal', async () => {
    const { check } = await synthesizeAndCheck({ environmentsDir: dir });
    expect(check.findings.filter((f) => f.severity === 'error').map((f) => `${f.ruleId} ${f.target}: ${f.message}`)).toEqual([]);
  });
});

describe('public apps on the Gateway with their protections as Traefik middlewares (the Lab)', () => {
  const lab = manifests(examples(), 'lab');
  const named = (kind: string, name: string) => lab.find((o) => o.kind === kind && o.metadata.name === name);

  it('routes the status service with its rate limit and CORS as ExtensionRef filters to Middlewares of its namespace', () => {
    expect(named('Ingress', 'status-service')).toBeUndefined();
    const route = named('HTTPRoute', 'status-service');
    expect(route.spec.rules[0].filters).toEqual([
      { type: 'ExtensionRef', extensionRef: { group: 'traefik.io', kind: 'Middleware', name: 'status-service-rate-limit' } },
      { type: 'ExtensionRef', extensionRef: { group: 'traefik.io', kind: 'Middleware', name: 'status-service-cors' } },
    ]);
    expect(named('Middleware', 'status-service-rate-limit')).toMatchObject({
      metadata: { namespace: 'status' },
      spec: { rateLimit: { average: 5, burst: 15 } },
    });
    expect(named('Middleware', 'status-service-cors').spec.headers).toEqual({
      accessControlAllowOriginList: ['https://lab.example.com', 'https://www.lab.example.com'],
      accessControlAllowMethods: ['GET', 'OPTIONS'],
      accessControlMaxAge: 600,
      addVaryHeader: true,
    });
  });

  it('routes Open WebUI whole on the Gateway, without middlewares', () => {
    expect(named('Ingress', 'open-webui')).toBeUndefined();
    expect(named('HTTPRoute', 'open-webui').spec).toEqual({
      parentRefs: [{ name: 'platform', namespace: 'traefik', sectionName: 'https' }],
      hostnames: ['chat.lab.example.com'],
      rules: [{ matches: [{ path: { type: 'PathPrefix', value: '/' } }], backendRefs: [{ name: 'open-webui', port: 8080 }] }],
    });
  });

  // Where the environment routes by Ingress, the same protections are ingress-nginx's annotations: test/gatus.test.ts.
});
