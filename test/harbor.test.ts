import { synthesizeAll } from '../lib/pipeline/synth/pipeline';
import { synthesizeAndCheck } from '../lib/pipeline/synth/run';
import { parse } from 'yaml';
import { fixture, manifests, messageOf, nameIs } from './helpers';

const PINNED = { configure: { repository: 'docker.io/library/python', tag: '3.12.8-alpine3.21', digest: `sha256:${'cd'.repeat(32)}` } };
const QUOTA = { requestsCpu: '4', requestsMemory: '8Gi', limitsCpu: '8', limitsMemory: '16Gi' };
const withHarbor = (env: 'onprem' | 'prod', host: string, extra: Record<string, unknown> = {}) =>
  fixture(env, (e) => {
    e.addons = [...new Set([...e.addons, 'cloudnative-pg'])].sort();
    e.namespaces.push({
      name: 'registry',
      description: 'Harbor',
      quota: { requestsCpu: '4', requestsMemory: '8Gi', limitsCpu: '8', limitsMemory: '16Gi' },
    });
    e.apps = [...(e.apps ?? []), { app: 'harbor', namespace: 'registry', host, ...extra }];
  });

describe('Harbor (registry with proxy caches and scanning), chosen by any environment', () => {
  const onpremDir = withHarbor('onprem', 'harbor.apps.lab.internal');
  const onprem = manifests(synthesizeAll({ environmentsDir: onpremDir }), 'onprem');
  const prodDir = withHarbor('prod', 'registry.arbitex.ai', { images: PINNED });
  const prod = manifests(synthesizeAll({ environmentsDir: prodDir }), 'prod');
  const named = (objects: any[], kind: string, name: string) => objects.find((o) => o.kind === kind && nameIs(o, name));
  const values = (objects: any[]) => named(objects, 'Application', 'harbor-registry').spec.source.helm.valuesObject;

  it('renders nothing at random: every secret the chart would generate comes from Vault or cert-manager', () => {
    const v = values(onprem);
    expect(v).toMatchObject({
      existingSecretAdminPassword: 'harbor-admin',
      existingSecretSecretKey: 'harbor-secret-key',
      core: { existingSecret: 'harbor-core', secretName: 'harbor-token-signing', existingXsrfSecret: 'harbor-core' },
      jobservice: { existingSecret: 'harbor-jobservice' },
      registry: { existingSecret: 'harbor-registry', credentials: { existingSecret: 'harbor-registry-credentials' } },
      database: {
        type: 'external',
        external: { host: 'harbor-postgres-rw.registry.svc', username: 'harbor', existingSecret: 'harbor-postgres-owner', sslmode: 'require' },
      },
    });
    // The chart wants 16 characters where Vault generates 32, and a bcrypt htpasswd of the registry's password.
    const core = named(onprem, 'ExternalSecret', 'harbor-core');
    expect(core.spec.target.template).toMatchObject({
      engineVersion: 'v2',
      data: { secret: '{{ .value | trunc 16 }}', CSRF_KEY: '{{ .CSRF_KEY }}' },
    });
    const creds = named(onprem, 'ExternalSecret', 'harbor-registry-credentials');
    expect(creds.spec.target.template.data.REGISTRY_HTPASSWD).toBe('{{ htpasswd "harbor_registry_user" .REGISTRY_PASSWD }}');
    const signing = named(onprem, 'Certificate', 'harbor-token-signing');
    expect(signing.spec.privateKey).toEqual({ algorithm: 'RSA', size: 4096, rotationPolicy: 'Never' });
  });

  it('keeps one proxy-cache project per upstream with a Job, public only where hosts are private', () => {
    const job = (objects: any[]) => named(objects, 'Job', 'harbor-proxy-caches');
    const env = (objects: any[]) =>
      Object.fromEntries(job(objects).spec.template.spec.containers[0].env.map((e: any) => [e.name, e.value ?? e.valueFrom.secretKeyRef]));
    expect(JSON.parse(env(onprem).PROXY_CACHES)).toEqual([
      { name: 'docker.io', type: 'docker-hub', url: 'https://hub.docker.com' },
      { name: 'quay.io', type: 'quay', url: 'https://quay.io' },
      { name: 'ghcr.io', type: 'github-ghcr', url: 'https://ghcr.io' },
      { name: 'registry.k8s.io', type: 'docker-registry', url: 'https://registry.k8s.io' },
    ]);
    expect(env(onprem)).toMatchObject({
      // Core over TLS, verified against the internal CA its certificate is from.
      HARBOR_API: 'https://harbor-core.registry.svc:443/api/v2.0',
      SSL_CERT_FILE: '/etc/harbor-ca/ca.crt',
      PUBLIC_PROJECTS: 'true',
      HARBOR_ADMIN_PASSWORD: { name: 'harbor-admin', key: 'HARBOR_ADMIN_PASSWORD' },
    });
    expect(env(prod).PUBLIC_PROJECTS).toBe('false');
    expect(job(onprem).metadata.annotations['argocd.argoproj.io/hook']).toBe('Sync');
    const pod = job(onprem).spec.template.spec;
    expect(pod.volumes.find((v: any) => v.name === 'core-ca').secret).toMatchObject({
      secretName: 'harbor-core-internal-tls',
      items: [{ key: 'ca.crt', path: 'ca.crt' }],
    });
    expect(pod.containers[0].volumeMounts).toContainEqual({ name: 'core-ca', mountPath: '/etc/harbor-ca', readOnly: true });
  });

  it('has its components talk TLS with certificates of the internal CA named as the chart names its Services, on the TLS ports', () => {
    const v = values(onprem);
    expect(v.internalTLS).toEqual({
      enabled: true,
      certSource: 'secret',
      core: { secretName: 'harbor-core-internal-tls' },
      jobservice: { secretName: 'harbor-jobservice-internal-tls' },
      registry: { secretName: 'harbor-registry-internal-tls' },
      portal: { secretName: 'harbor-portal-internal-tls' },
      trivy: { secretName: 'harbor-trivy-internal-tls' },
    });
    const certificates = onprem.filter((o) => o.kind === 'Certificate' && o.metadata.name.endsWith('-internal-tls'));
    expect(certificates.map((c) => c.spec.secretName).sort()).toEqual(
      Object.values(v.internalTLS)
        .flatMap((x: any) => x.secretName ?? [])
        .sort(),
    );
    for (const c of certificates) {
      expect(c.spec.issuerRef).toEqual({ name: 'parity-internal-ca', kind: 'ClusterIssuer', group: 'cert-manager.io' });
      expect(c.spec.dnsNames[0]).toBe(c.spec.commonName);
      expect(c.spec.dnsNames).toContain(`${c.spec.commonName}.registry.svc`);
    }
    const core = certificates.find((c) => c.spec.commonName === 'harbor-core');
    expect(core.spec.dnsNames).toContain('localhost');
    expect(core.spec.ipAddresses).toEqual(['127.0.0.1']);
    // The connections the NetworkPolicies open are the TLS ports (the chart's helpers with internalTLS on).
    const policy = onprem.find(
      (o) => o.kind === 'NetworkPolicy' && o.metadata.namespace === 'registry' && o.metadata.name === 'harbor-core-connections',
    );
    const ports = policy.spec.egress.flatMap((r: any) => r.ports.map((p: any) => p.port));
    expect(ports).toEqual(expect.arrayContaining([5443, 8443]));
    expect(ports).not.toContain(8080);
  });

  it('is routed by the environment’s ingress with its certificate, and pulls its own images through the mirror', () => {
    const v = values(onprem);
    expect(v.expose).toMatchObject({ type: 'ingress', ingress: { hosts: { core: 'harbor.apps.lab.internal' }, className: 'nginx' } });
    expect(v.externalURL).toBe('https://harbor.apps.lab.internal');
    expect(v.core.image.repository).toBe('registry.lab.internal/docker.io/goharbor/harbor-core');
    expect(values(prod).expose.ingress.annotations['cert-manager.io/cluster-issuer']).toBeDefined();
  });

  it('serves as the nodes’ pull-through mirror on bare metal (nodeMirror), the upstream as fallback', () => {
    const dir = fixture('onprem', (e) => {
      delete e.registryMirror;
      e.addons = [...new Set([...e.addons, 'cloudnative-pg'])].sort();
      e.namespaces.push({ name: 'registry', description: 'Harbor', quota: QUOTA });
      e.apps.push({ app: 'harbor', namespace: 'registry', host: 'harbor.apps.lab.internal', nodeMirror: true });
    });
    const node = parse(synthesizeAll({ environmentsDir: dir }).files.get('onprem/cloud-init/worker-01.yaml')!);
    const hosts = Object.fromEntries(node.write_files.filter((f: any) => f.path.endsWith('/hosts.toml')).map((f: any) => [f.path, f.content]));
    expect(Object.keys(hosts)).toEqual([
      '/etc/containerd/certs.d/docker.io/hosts.toml',
      '/etc/containerd/certs.d/quay.io/hosts.toml',
      '/etc/containerd/certs.d/ghcr.io/hosts.toml',
      '/etc/containerd/certs.d/registry.k8s.io/hosts.toml',
    ]);
    expect(hosts['/etc/containerd/certs.d/docker.io/hosts.toml']).toBe(
      'server = "https://registry-1.docker.io"\n\n[host."https://harbor.apps.lab.internal/v2/docker.io"]\n  capabilities = ["pull", "resolve"]\n  override_path = true\n',
    );
  });

  it('refuses nodeMirror where Parity does not configure the nodes, and beside a registry mirror', () => {
    const onMirror = fixture('onprem', (e) => {
      e.addons = [...new Set([...e.addons, 'cloudnative-pg'])].sort();
      e.namespaces.push({ name: 'registry', description: 'Harbor', quota: QUOTA });
      e.apps.push({ app: 'harbor', namespace: 'registry', host: 'harbor.apps.lab.internal', nodeMirror: true });
    });
    expect(messageOf(() => synthesizeAll({ environmentsDir: onMirror }))).toMatch(
      /apps\[\d+\]\.nodeMirror: found true; expected false while registryMirror \(registry\.lab\.internal\) serves every image/,
    );
    const onAks = withHarbor('prod', 'registry.arbitex.ai', { images: PINNED, nodeMirror: true });
    expect(messageOf(() => synthesizeAll({ environmentsDir: onAks }))).toMatch(
      /nodeMirror: found true; expected false: on Azure .* the nodes' container runtime is not Parity's to configure/,
    );
  });

  it('passes the guardrails and the deploy rehearsal on a bare-metal and a public environment', async () => {
    for (const environmentsDir of [onpremDir, prodDir]) {
      const { check } = await synthesizeAndCheck({ environmentsDir });
      expect(check.findings.filter((f) => f.severity === 'error').map((f) => `${f.ruleId} ${f.target}: ${f.message}`)).toEqual([]);
    }
  });
});
