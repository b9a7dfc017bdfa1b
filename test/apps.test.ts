import * as path from 'path';
import { parse } from 'yaml';
import { BaseService } from '../constructs/k8s/base-service';
import { RESOURCE_PROFILES } from '../constructs/k8s/resource-profiles';
import { Chart, ManifestApp } from '../lib/core/facade/k8s';
import { manifestObjects } from '../lib/core/k8s-objects';
import { validateSchemas } from '../lib/pipeline/guardrails/schema-validation';
import { readTree } from '../lib/pipeline/synth/atomic-dir';
import { synthesizeAll } from '../lib/pipeline/synth/pipeline';
import { REPO_ROOT, examples, fixture, manifests, messageOf, nameIs, resources, terraform } from './helpers';

function chartOf(build: (chart: Chart) => void): any[] {
  const chart = new Chart(new ManifestApp({ outdir: '/tmp/parity-unused' }), 'test', { disableResourceNameHashes: true });
  build(chart);
  return chart.toJson();
}

const byKind = (objects: any[], kind: string, name?: string) => objects.filter((o) => o.kind === kind && (!name || nameIs(o, name)));
const one = (objects: any[], kind: string, name?: string) => {
  const found = byKind(objects, kind, name);
  if (found.length !== 1) throw new Error(`expected one ${kind} ${name ?? ''}, found ${found.length}`);
  return found[0];
};

describe('BaseService', () => {
  const objects = chartOf(
    (c) => new BaseService(c, 'svc', { name: 'api', namespace: 'team', image: 'registry.example.com/api:1.2.3', containerPort: 8000, replicas: 3 }),
  );
  const deployment = one(objects, 'Deployment');
  const pod = deployment.spec.template.spec;
  const container = pod.containers[0];

  it('is hardened by default: non-root, read-only root, no privilege escalation, ALL dropped, RuntimeDefault seccomp', () => {
    expect(container.securityContext).toEqual({
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      runAsNonRoot: true,
      capabilities: { drop: ['ALL'] },
      seccompProfile: { type: 'RuntimeDefault' },
    });
    expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 1000, seccompProfile: { type: 'RuntimeDefault' } });
    expect(pod.automountServiceAccountToken).toBe(false);
    expect(container.volumeMounts).toContainEqual({ name: 'writable-0', mountPath: '/tmp' });
    expect(pod.volumes).toContainEqual({ name: 'writable-0', emptyDir: { sizeLimit: '1Gi' } });
  });

  it('has probes, the TypeScript profile of the Dev Center design by default, a Service, a PDB for several replicas and no blanket NetworkPolicy', () => {
    expect(container.readinessProbe.httpGet).toEqual({ path: '/healthz', port: 8000 });
    expect(container.livenessProbe.httpGet).toEqual({ path: '/healthz', port: 8000 });
    expect(container.resources).toEqual({ requests: { cpu: '100m', memory: '256Mi' }, limits: { cpu: '500m', memory: '512Mi' } });
    expect(one(objects, 'Service').spec.ports).toEqual([{ name: 'http', port: 8000, targetPort: 'http', protocol: 'TCP' }]);
    expect(one(objects, 'PodDisruptionBudget').spec).toEqual({ minAvailable: 1, selector: { matchLabels: deployment.spec.selector.matchLabels } });
    // Network access is generated from declared connections (ConnectionPolicies), not opened per service.
    expect(byKind(objects, 'NetworkPolicy')).toEqual([]);
    expect(one(objects, 'ServiceAccount').automountServiceAccountToken).toBe(false);
  });

  it('uses the exact resource profiles of the Dev Center design', () => {
    expect(RESOURCE_PROFILES).toEqual({
      typescript: { requests: { cpu: '100m', memory: '256Mi' }, limits: { cpu: '500m', memory: '512Mi' }, gpus: 0 },
      python: { requests: { cpu: '200m', memory: '512Mi' }, limits: { cpu: '1000m', memory: '1Gi' }, gpus: 0 },
      'gpu-serving': { requests: { cpu: '2000m', memory: '8Gi' }, limits: { cpu: '4000m', memory: '16Gi' }, gpus: 1 },
    });
  });

  it('places GPU services on GPU pools with the shared label and taint, and limits nvidia.com/gpu', () => {
    const gpu = chartOf((c) => new BaseService(c, 'g', { name: 'ner', namespace: 'ai', image: 'ner:1.0', containerPort: 8200, gpus: 1 }));
    const spec = one(gpu, 'Deployment').spec.template.spec;
    expect(spec.nodeSelector).toEqual({ accelerator: 'nvidia' });
    expect(spec.tolerations).toEqual([{ key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' }]);
    expect(spec.containers[0].resources).toEqual({
      requests: { cpu: '2000m', memory: '8Gi', 'nvidia.com/gpu': '1' },
      limits: { cpu: '4000m', memory: '16Gi', 'nvidia.com/gpu': '1' },
    });
  });

  it('rejects images without tag or digest, and :latest', () => {
    const make = (image: string) => () => chartOf((c) => new BaseService(c, 's', { name: 'x', namespace: 'n', image, containerPort: 80 }));
    expect(messageOf(make('registry.example.com/team/api'))).toBe(
      'BaseService at test/s: prop "image" is "registry.example.com/team/api"; expected an image with a tag or a digest (repository:1.2.3 or repository@sha256:...)',
    );
    expect(messageOf(make('nginx:latest'))).toContain('expected a version tag or a digest instead of :latest');
    expect(make(`nginx@sha256:${'a'.repeat(64)}`)).not.toThrow();
  });
});

describe('arbitex-platform (Arbitex design) in prod', () => {
  const objects = manifests(examples(), 'prod').filter((o) => o.metadata?.namespace === 'arbitex');

  it('exposes the four services with the seed names and ports', () => {
    const ports = byKind(objects, 'Service').map((s) => [s.metadata.name, s.spec.ports[0].port]);
    expect(ports.sort()).toEqual([
      ['arbitex-platform-api', 8100],
      ['arbitex-platform-deberta', 8201],
      ['arbitex-platform-frontend', 3100],
      ['arbitex-platform-ner-gpu', 8200],
    ]);
    const containerPort = (name: string) => one(objects, 'Deployment', name).spec.template.spec.containers[0].ports[0].containerPort;
    expect([
      containerPort('arbitex-platform-api'),
      containerPort('arbitex-platform-frontend'),
      containerPort('arbitex-platform-ner-gpu'),
      containerPort('arbitex-platform-deberta'),
    ]).toEqual([8000, 8080, 8200, 8201]);
    expect(one(objects, 'Deployment', 'arbitex-platform-frontend').spec.template.spec.securityContext.runAsUser).toBe(101);
    expect(one(objects, 'Deployment', 'arbitex-platform-api').spec.template.spec.securityContext.runAsUser).toBe(1000);
  });

  it('routes api.arbitex.ai with the seed ingress annotations and TLS from cert-manager', () => {
    const ingress = one(objects, 'Ingress');
    expect(ingress.metadata.annotations).toEqual({
      'nginx.ingress.kubernetes.io/proxy-body-size': '50m',
      'nginx.ingress.kubernetes.io/proxy-request-buffering': 'off',
      'nginx.ingress.kubernetes.io/proxy-buffering': 'off',
      'cert-manager.io/cluster-issuer': 'letsencrypt-prod',
      // Outpost mTLS: a client certificate is asked for, verified against the Platform CA and passed on.
      'nginx.ingress.kubernetes.io/auth-tls-secret': 'arbitex/arbitex-platform-platform-ca',
      'nginx.ingress.kubernetes.io/auth-tls-verify-client': 'optional',
      'nginx.ingress.kubernetes.io/auth-tls-verify-depth': '1',
      'nginx.ingress.kubernetes.io/auth-tls-pass-certificate-to-upstream': 'true',
    });
    expect(ingress.spec.tls).toEqual([{ hosts: ['api.arbitex.ai'], secretName: 'arbitex-tls' }]);
    expect(ingress.spec.rules[0].http.paths.map((p: any) => [p.path, p.backend.service.name, p.backend.service.port.number])).toEqual([
      ['/api', 'arbitex-platform-api', 8100],
      ['/', 'arbitex-platform-frontend', 3100],
    ]);
    // HSTS (max-age one year, subdomains) comes from the controller: snippet annotations stay disabled.
    const controller = parse(examples().files.get('prod/manifests/addons/ingress-nginx.yaml')!).spec.source.helm.valuesObject.controller.config;
    expect(controller).toMatchObject({
      hsts: 'true',
      'hsts-max-age': '31536000',
      'hsts-include-subdomains': 'true',
      'allow-snippet-annotations': 'false',
    });
    const issuer = manifests(examples(), 'prod').find((o) => o.kind === 'ClusterIssuer' && o.metadata.name === 'letsencrypt-prod');
    expect(issuer.spec.acme).toMatchObject({ email: 'platform@arbitex.ai', solvers: [{ http01: { ingress: { ingressClassName: 'nginx' } } }] });
  });

  it('autoscales api and frontend, protects them with PDBs', () => {
    expect(byKind(objects, 'HorizontalPodAutoscaler').map((h) => [h.spec.scaleTargetRef.name, h.spec.minReplicas, h.spec.maxReplicas])).toEqual([
      ['arbitex-platform-api', 2, 10],
      ['arbitex-platform-frontend', 2, 6],
    ]);
    expect(
      byKind(objects, 'PodDisruptionBudget')
        .map((p) => p.metadata.name)
        .sort(),
    ).toEqual(['arbitex-platform-api', 'arbitex-platform-frontend']);
  });

  it('migrates with an Alembic init container and a Sync-hook Job after the secrets wave', () => {
    const api = one(objects, 'Deployment', 'arbitex-platform-api').spec.template.spec;
    expect(api.initContainers.map((c: any) => [c.name, c.command])).toEqual([['alembic-migrate', ['python', '-m', 'alembic', 'upgrade', 'head']]]);
    const job = one(objects, 'Job');
    // A PreSync hook would run before the namespace and the Key Vault secrets exist on the first sync.
    expect(job.metadata.annotations).toMatchObject({ 'argocd.argoproj.io/hook': 'Sync', 'argocd.argoproj.io/sync-wave': '0' });
    expect(job.spec).toMatchObject({ backoffLimit: 3, ttlSecondsAfterFinished: 300 });
    expect(job.spec.template.spec.containers[0].command).toEqual(['python', '-m', 'alembic', 'upgrade', 'head']);
    // Its own ServiceAccount, one wave before it: the CSI driver reads Key Vault as that identity.
    expect(job.spec.template.spec.serviceAccountName).toBe('arbitex-platform-alembic-migrate');
    expect(one(objects, 'ServiceAccount', 'arbitex-platform-alembic-migrate').metadata.annotations).toEqual({ 'argocd.argoproj.io/sync-wave': '-1' });
  });

  it('the cluster stack creates the app’s Key Vault (private, RBAC) and an identity federated with exactly the two ServiceAccounts that mount it', () => {
    const cluster = terraform(examples(), 'prod', 'cluster');
    const kv = resources(cluster, 'azurerm_key_vault').find((k) => k.name === 'kv-arbitex-prod');
    expect(kv).toMatchObject({ enable_rbac_authorization: true, public_network_access_enabled: false, purge_protection_enabled: true });
    const subjects = resources(cluster, 'azurerm_federated_identity_credential')
      .map((f) => f.subject)
      .filter((s) => s.includes(':arbitex:'));
    expect(subjects.sort()).toEqual([
      'system:serviceaccount:arbitex:arbitex-platform-alembic-migrate',
      'system:serviceaccount:arbitex:arbitex-platform-api',
    ]);
    const readers = resources(cluster, 'azurerm_role_assignment').filter((r) => r.role_definition_name === 'Key Vault Secrets User');
    expect(readers).toHaveLength(1);
    expect(readers[0].principal_id).toMatch(/azurerm_user_assigned_identity\.identity-arbitex-platform-key-vault_identity_[0-9A-F]+\.principal_id/);
    expect(readers[0].scope).toMatch(/azurerm_key_vault\.key-vault-arbitex-platform-key-vault_[0-9A-F]+\.id/);
    // One privatelink zone for both Key Vaults of the stack (two of one name would collide).
    expect(
      resources(cluster, 'azurerm_private_dns_zone')
        .map((z) => z.name)
        .sort(),
    ).toEqual([
      'privatelink.azurecr.io',
      'privatelink.blob.core.windows.net',
      'privatelink.postgres.database.azure.com',
      'privatelink.redis.cache.windows.net',
      'privatelink.vaultcore.azure.net',
    ]);
    // The registry, the two Key Vaults, Velero's storage account, the database and the cache.
    expect(resources(cluster, 'azurerm_private_endpoint')).toHaveLength(6);
  });

  it('gets DATABASE_URL and SECRET_KEY in <release>-api-secrets from Key Vault through the CSI driver', () => {
    // The SecretProviderClass names the app's workload identity, whose client ID exists only after the
    // cluster stack applies: the bootstrap stack writes it from that stack's output, not Git.
    expect(byKind(objects, 'SecretProviderClass')).toEqual([]);
    const bootstrap = terraform(examples(), 'prod', 'bootstrap');
    const spc = resources(bootstrap, 'kubernetes_manifest').find((r) => r.manifest.kind === 'SecretProviderClass').manifest;
    expect(spc.spec.provider).toBe('azure');
    expect(spc.spec.parameters).toMatchObject({ usePodIdentity: 'false', keyvaultName: 'kv-arbitex-prod' });
    expect(spc.spec.parameters).not.toHaveProperty('useVMManagedIdentity');
    expect(spc.spec.parameters.clientID).toMatch(
      /^\$\{data\.terraform_remote_state\.cross-stack-reference-input-prod-cluster\.outputs\..*identity-arbitex-platform-key-vault.*client_id\}$/,
    );
    expect(spc.spec.secretObjects[0].secretName).toBe('arbitex-platform-api-secrets');
    expect(spc.spec.secretObjects[0].data.map((d: any) => d.key)).toEqual([
      'DATABASE_URL',
      'SECRET_KEY',
      'AUDIT_HMAC_KEY',
      'REDIS_URL',
      'POLICY_SIGNING_KEY',
      'SCIM_BEARER_TOKEN',
    ]);
    // The SCIM token the identity team rotates in Key Vault is synced like the others.
    expect(spc.spec.parameters.objects).toContain('objectName: SCIM-BEARER-TOKEN');
    const api = one(objects, 'Deployment', 'arbitex-platform-api').spec.template.spec;
    expect(api.containers[0].envFrom).toEqual([{ secretRef: { name: 'arbitex-platform-api-secrets' } }]);
    expect(api.volumes).toContainEqual({
      name: 'secrets-store',
      csi: { driver: 'secrets-store.csi.k8s.io', readOnly: true, volumeAttributes: { secretProviderClass: 'arbitex-platform-key-vault' } },
    });
  });

  it('DATABASE_URL and REDIS_URL come from the managed services the cluster stack writes; a person is asked only for the other four keys', () => {
    const deploy = examples().files.get('prod/DEPLOY.md')!;
    for (const key of ['SECRET-KEY', 'AUDIT-HMAC-KEY', 'POLICY-SIGNING-KEY', 'SCIM-BEARER-TOKEN'])
      expect(deploy).toContain(`az keyvault secret set --vault-name kv-arbitex-prod --name ${key} `);
    for (const key of ['DATABASE-URL', 'REDIS-URL']) expect(deploy).not.toContain(`--name ${key} `);
    // The API and its migration reach them on the private-endpoint subnet, on their ports only.
    const policies = manifests(examples(), 'prod').filter((o) => o.kind === 'NetworkPolicy');
    const egress = (name: string) => policies.find((p) => p.metadata.name === `${name}-connections`).spec.egress;
    expect(egress('arbitex-platform-api')).toEqual([
      { ports: [{ port: 5432, protocol: 'TCP' }], to: [{ ipBlock: { cidr: '10.50.136.0/21' } }] },
      { ports: [{ port: 6380, protocol: 'TCP' }], to: [{ ipBlock: { cidr: '10.50.136.0/21' } }] },
    ]);
    expect(egress('arbitex-platform-alembic-migrate')).toEqual([
      { ports: [{ port: 5432, protocol: 'TCP' }], to: [{ ipBlock: { cidr: '10.50.136.0/21' } }] },
    ]);
    const network = terraform(examples(), 'prod', 'network');
    expect(resources(network, 'azurerm_subnet').find((s) => s.name === 'snet-private-endpoints').address_prefixes).toEqual(['10.50.136.0/21']);
  });

  it('Outpost mTLS: a Platform CA in the namespace, a client certificate per Outpost, the CA (not its key) mounted into the API', () => {
    const ca = one(objects, 'Certificate', 'arbitex-platform-platform-ca');
    expect(ca.spec).toMatchObject({
      isCA: true,
      secretName: 'arbitex-platform-platform-ca',
      issuerRef: { kind: 'Issuer', name: 'arbitex-platform-selfsigned' },
    });
    expect(one(objects, 'Issuer', 'arbitex-platform-platform-ca').spec).toEqual({ ca: { secretName: 'arbitex-platform-platform-ca' } });
    const outpost = one(objects, 'Certificate', 'arbitex-platform-outpost-outpost-eu-01');
    expect(outpost.spec).toMatchObject({ commonName: 'outpost-eu-01', usages: ['client auth', 'digital signature'] });
    expect(outpost.spec.issuerRef).toEqual({ group: 'cert-manager.io', kind: 'Issuer', name: 'arbitex-platform-platform-ca' });
    const api = one(objects, 'Deployment', 'arbitex-platform-api').spec.template.spec;
    expect(api.volumes).toContainEqual({
      name: 'platform-ca',
      secret: { secretName: 'arbitex-platform-platform-ca', defaultMode: 0o440, items: [{ key: 'ca.crt', path: 'ca.crt' }] },
    });
    expect(api.containers[0].volumeMounts).toContainEqual({ name: 'platform-ca', mountPath: '/etc/arbitex/mtls', readOnly: true });
    // Issued in the app secrets wave, before the API that mounts it.
    for (const o of [...byKind(objects, 'Issuer'), ...byKind(objects, 'Certificate')])
      expect(o.metadata.annotations['argocd.argoproj.io/sync-wave']).toBe('-1');
  });

  it("the chart's PVC: the API's data directory on a ReadWriteMany class, shared by its replicas", () => {
    const pvc = one(objects, 'PersistentVolumeClaim', 'arbitex-platform-data');
    expect(pvc.spec).toEqual({
      accessModes: ['ReadWriteMany'],
      storageClassName: 'azurefile-csi-premium',
      resources: { requests: { storage: '20Gi' } },
    });
    const api = one(objects, 'Deployment', 'arbitex-platform-api').spec.template.spec;
    expect(api.containers[0].volumeMounts).toContainEqual({ name: 'data', mountPath: '/app/data' });
    expect(api.volumes).toContainEqual({ name: 'data', persistentVolumeClaim: { claimName: 'arbitex-platform-data' } });
    expect(() => synthesizeAll({ environmentsDir: fixture('prod', (e) => (e.apps[0].dataVolume.storageClass = 'nfs')) })).toThrow(
      /app arbitex-platform in arbitex \(dataVolume\.storageClass\) needs StorageClass "nfs"/,
    );
  });

  it('runs NER and DeBERTa on the GPU pool; the namespace enforces baseline and warns on restricted', () => {
    for (const name of ['arbitex-platform-ner-gpu', 'arbitex-platform-deberta']) {
      const spec = one(objects, 'Deployment', name).spec.template.spec;
      expect(spec.nodeSelector).toEqual({ accelerator: 'nvidia' });
      expect(spec.containers[0].resources.limits['nvidia.com/gpu']).toBe('1');
    }
    const ns = manifests(examples(), 'prod').find((o) => o.kind === 'Namespace' && o.metadata.name === 'arbitex');
    expect(ns.metadata.labels).toMatchObject({ 'pod-security.kubernetes.io/enforce': 'baseline', 'pod-security.kubernetes.io/warn': 'restricted' });
  });

  it('pins every prod image by digest', () => {
    for (const d of byKind(objects, 'Deployment')) {
      for (const c of d.spec.template.spec.containers) expect(c.image).toMatch(/:v0\.29\.0@sha256:[a-f0-9]{64}$/);
    }
  });
});

describe('axion-gen (axion-gen guide) in onprem', () => {
  const objects = manifests(examples(), 'onprem').filter((o) => o.metadata?.namespace === 'axion-gen');
  const application = (result = examples()) => manifests(result, 'onprem').find((o) => o.kind === 'Application' && o.metadata.name === 'axion-gen');
  const pluginEnv = (app: any): Record<string, string> => Object.fromEntries(app.spec.source.plugin.env.map((e: any) => [e.name, e.value]));
  const at = (values: any, p: string) => p.split('.').reduce((v, k) => v?.[k], values);

  it("is the vendor's chart from its OCI registry, mirrored into the site's registry and listed in charts.txt, rendered by Argo CD's secret-values plugin", () => {
    const app = application();
    expect(app.metadata.annotations['argocd.argoproj.io/sync-wave']).toBe('3');
    expect(app.spec.destination.namespace).toBe('axion-gen');
    expect(app.spec.source).toMatchObject({ repoURL: 'https://git.lab.internal/platform/gitops-onprem.git', targetRevision: 'main', path: '.' });
    expect(app.spec.source.plugin.name).toBe('helm-secret-values');
    const env = pluginEnv(app);
    expect([env.CHART_REPOSITORY, env.CHART_NAME, env.CHART_VERSION]).toEqual([
      'registry.lab.internal/charts/europe-west1-docker.pkg.dev/axionx-infra/axion/charts',
      'axion-gen',
      '1.0.0',
    ]);
    expect(examples().files.get('onprem/charts.txt')).toContain(
      'europe-west1-docker.pkg.dev/axionx-infra/axion/charts/axion-gen:1.0.0 registry.lab.internal/charts/europe-west1-docker.pkg.dev/axionx-infra/axion/charts/axion-gen:1.0.0',
    );
    // The images the chart runs come from the mirror too, and images.txt copies them there.
    const values = parse(env.HELM_VALUES);
    expect([values.api.image, values.worker.image]).toEqual([
      { repository: 'registry.lab.internal/registry.partner.com/axion/gen-api', tag: '1.0.0' },
      { repository: 'registry.lab.internal/registry.partner.com/axion/gen-worker', tag: '1.0.0' },
    ]);
    expect(examples().files.get('onprem/images.txt')).toContain(
      'registry.partner.com/axion/gen-api:1.0.0 registry.lab.internal/registry.partner.com/axion/gen-api:1.0.0',
    );
    // Parity no longer re-implements the chart's templates.
    expect(objects.filter((o) => ['Deployment', 'Job', 'Service', 'Ingress', 'Certificate'].includes(o.kind))).toEqual([]);
  });

  it('carries every required value of the guide at its path; the secret ones only as Secret keys the plugin reads, never as values', () => {
    const env = pluginEnv(application());
    const values = parse(env.HELM_VALUES);
    const secret = ['oidc.clientSecret', 's3.accessKey', 's3.secretKey', 'postgres.api.password', 'openfga.apiKey'];
    const plain = [
      'api.image.repository',
      'api.image.tag',
      'worker.image.repository',
      'worker.image.tag',
      'oidc.authority',
      'oidc.clientId',
      's3.host',
      'postgres.api.host',
      'postgres.api.database',
      'postgres.api.username',
      'openfga.apiUrl',
    ];
    for (const p of plain) expect([p, at(values, p)]).toEqual([p, expect.any(String)]);
    for (const p of secret) expect([p, at(values, p)]).toEqual([p, undefined]);
    expect(env.SECRET_VALUES.split(' ')).toEqual(secret.map((p) => `${p}=${p}`));
    expect(values.postgres.api).toEqual({
      host: 'axion-gen-postgres-rw.axion-gen.svc',
      port: 5432,
      database: 'axion_gen',
      username: 'axion_user',
      maxPoolSize: 20,
    });
    expect(values.api.ingress.hosts).toEqual([{ host: 'gen.apps.lab.internal', paths: [{ path: '/', pathType: 'Prefix' }] }]);
    expect(values.api.certificate).toEqual({ enabled: true, issuerRef: { name: 'lab-internal-ca' }, dnsNames: ['gen.apps.lab.internal'] });
    expect(values.worker.hangfire).toEqual({ dashboardEnabled: false, workerCount: 2, queues: ['default', 'critical'], allowedEmails: [] });
  });

  it("the secret values reach the plugin from Vault, through one Secret in Argo CD's namespace and no copy in the app's", () => {
    const all = manifests(examples(), 'onprem');
    const es = all.find((o) => o.kind === 'ExternalSecret' && o.metadata.name === 'axion-gen-chart-values');
    expect(es.metadata.namespace).toBe('argocd');
    expect(es.spec.data).toEqual([
      { secretKey: 'oidc.clientSecret', remoteRef: { key: 'axion-gen/axion-gen/axion-gen-oidc', property: 'client-secret' } },
      { secretKey: 's3.accessKey', remoteRef: { key: 'axion-gen/axion-gen/axion-gen-s3', property: 'access-key' } },
      { secretKey: 's3.secretKey', remoteRef: { key: 'axion-gen/axion-gen/axion-gen-s3', property: 'secret-key' } },
      { secretKey: 'postgres.api.password', remoteRef: { key: 'axion-gen/axion-gen/axion-gen-postgres-owner', property: 'password' } },
      { secretKey: 'openfga.apiKey', remoteRef: { key: 'axion-gen/axion-gen/axion-gen-openfga', property: 'api-key' } },
    ]);
    const store = all.find((o) => o.kind === 'ClusterSecretStore' && o.metadata.name === es.spec.secretStoreRef.name);
    expect(store.spec.conditions).toEqual([{ namespaces: ['axion-gen', 'argocd'] }]);
    // The partner's credentials are not synced into the app's namespace: nothing there reads them.
    expect(
      byKind(objects, 'ExternalSecret')
        .map((o) => o.metadata.name)
        .sort(),
    ).toEqual(['axion-gen-postgres-owner', 'axion-gen-postgres-vault-login']);
    // Argo CD's repo-server runs the plugin as a sidecar that alone mounts that Secret, read-only.
    const argo = all.find((o) => o.kind === 'Application' && o.metadata.name === 'argo-cd').spec.source.helm.valuesObject;
    expect(Object.keys(argo.configs.cmp.plugins)).toEqual(['helm-secret-values']);
    const sidecar = argo.repoServer.extraContainers[0];
    expect(sidecar.volumeMounts).toContainEqual({
      mountPath: '/home/argocd/chart-secrets/axion-gen',
      name: 'chart-secrets-axion-gen',
      readOnly: true,
    });
    expect(sidecar.securityContext).toMatchObject({ runAsNonRoot: true, readOnlyRootFilesystem: true, allowPrivilegeEscalation: false });
    expect(argo.repoServer.volumes).toContainEqual({
      name: 'chart-secrets-axion-gen',
      secret: { secretName: 'axion-gen-chart-values', defaultMode: 0o444 },
    });
    expect(examples().files.get('onprem/DEPLOY.md')).toContain('vault kv put kv/axion-gen/axion-gen/axion-gen-oidc client-secret=<value>');
    // Environments whose apps have no vendor chart run no plugin.
    const dev = manifests(examples(), 'dev').find((o) => o.kind === 'Application' && o.metadata.name === 'argo-cd').spec.source.helm.valuesObject;
    expect(dev.repoServer.extraContainers).toBeUndefined();
  });

  it('deploys its PostgreSQL with CloudNativePG, the owner login generated by Vault and given to both the database and the chart', () => {
    const cluster = one(objects, 'Cluster');
    expect(cluster.spec).toMatchObject({
      instances: 2,
      storage: { size: '20Gi' },
      bootstrap: { initdb: { database: 'axion_gen', owner: 'axion_user', secret: { name: 'axion-gen-postgres-owner' } } },
    });
    const owner = one(objects, 'ExternalSecret', 'axion-gen-postgres-owner');
    expect(owner.spec.target.template).toEqual({ type: 'kubernetes.io/basic-auth' });
    const kv = resources(terraform(examples(), 'onprem', 'vault'), 'vault_kv_secret_v2').find(
      (k) => k.name === 'axion-gen/axion-gen/axion-gen-postgres-owner',
    );
    expect(kv.data_json).toMatch(/^\$\{jsonencode\(\{"password" = data\.vault_generic_secret\..*, "username" = "axion_user"\}\)\}$/);
    // The secret exists (wave -1) before the database (0), which is healthy before the chart syncs (3).
    const wave = (o: any) => Number(o.metadata.annotations['argocd.argoproj.io/sync-wave']);
    expect([wave(owner), wave(cluster), wave(application())]).toEqual([-1, 0, 3]);
  });

  it("reaches its database and the declared external services from the chart's pods, selected by the guide's component labels", () => {
    const result = examples();
    const flows = result.models
      .find((m) => m.env.name === 'onprem')!
      .platform.facts.connections()
      .filter(({ connection: c }) => c.from.kind === 'workload' && c.from.namespace === 'axion-gen' && c.to.kind !== 'api-server')
      .map(
        ({ connection: c }) =>
          `${c.from.kind === 'workload' ? c.from.name : ''} -> ${c.to.kind === 'external' ? c.to.host : c.to.kind === 'workload' ? c.to.name : ''}:${c.ports[0]?.port}`,
      );
    expect([...new Set(flows)].filter((f) => !f.startsWith('axion-gen/axion-gen-postgres ')).sort()).toEqual([
      'axion-gen/axion-gen-api -> axion-gen/axion-gen-postgres:5432',
      'axion-gen/axion-gen-api -> keycloak.lab.internal:443',
      'axion-gen/axion-gen-api -> openfga.lab.internal:8080',
      'axion-gen/axion-gen-api -> rgw.lab.internal:443',
      'axion-gen/axion-gen-db-migration -> axion-gen/axion-gen-postgres:5432',
      'axion-gen/axion-gen-worker -> axion-gen/axion-gen-postgres:5432',
      'axion-gen/axion-gen-worker -> keycloak.lab.internal:443',
      'axion-gen/axion-gen-worker -> openfga.lab.internal:8080',
      'axion-gen/axion-gen-worker -> rgw.lab.internal:443',
    ]);
    const policy = manifests(result, 'onprem').find((o) => o.kind === 'NetworkPolicy' && o.metadata.name === 'axion-gen-api-connections');
    expect(policy.spec.podSelector).toEqual({ matchLabels: { 'app.kubernetes.io/component': 'api' } });
    // The ingress controller reaches the api pods; the chart's container port is not in its values contract.
    expect(policy.spec.ingress[0].ports).toBeUndefined();
  });

  it('global.imagePullSecrets and api.service.type LoadBalancer: the pull Secret synced from Vault, outside clients admitted', () => {
    const dir = fixture('onprem', (e) => {
      const app = e.apps.find((a: any) => a.app === 'axion-gen');
      app.global = { imagePullSecrets: ['partner-registry'] };
      app.api.service = { type: 'LoadBalancer' };
    });
    const result = synthesizeAll({ environmentsDir: dir });
    const values = parse(pluginEnv(application(result)).HELM_VALUES);
    expect(values.global.imagePullSecrets).toEqual([{ name: 'partner-registry' }]);
    expect(values.api.service).toEqual({ type: 'LoadBalancer' });
    const all = manifests(result, 'onprem');
    const pull = all.find((o) => o.kind === 'ExternalSecret' && o.metadata.name === 'partner-registry');
    expect(pull.metadata.namespace).toBe('axion-gen');
    expect(pull.spec.target.template).toEqual({ type: 'kubernetes.io/dockerconfigjson' });
    const apiPolicy = all.find((o) => o.kind === 'NetworkPolicy' && o.metadata.name === 'axion-gen-api-connections');
    expect(apiPolicy.spec.ingress).toContainEqual(
      expect.objectContaining({ from: [expect.objectContaining({ ipBlock: expect.objectContaining({ cidr: '0.0.0.0/0' }) })] }),
    );
    expect(result.files.get('onprem/DEPLOY.md')).toContain('vault kv put kv/axion-gen/axion-gen/partner-registry .dockerconfigjson=<value>');
  });

  it('refuses an external host the environment does not declare, a database whose host or password is not the one Parity deploys, and a moving chart version', () => {
    expect(() =>
      synthesizeAll({ environmentsDir: fixture('onprem', (e) => (axion(e).oidc.authority = 'https://idp.example.com/realms/x')) }),
    ).toThrow(/app axion-gen in axion-gen \(oidc.authority\) needs external service idp.example.com \(declare it under externalServices\)/);
    expect(() => synthesizeAll({ environmentsDir: fixture('onprem', (e) => (axion(e).postgres.api.host = 'pg.example.com')) })).toThrow(
      /apps\[1\]\.postgres\.api\.host: found "pg.example.com"; expected "axion-gen-postgres-rw.axion-gen.svc", the read-write Service of the database Parity deploys/,
    );
    expect(() =>
      synthesizeAll({
        environmentsDir: fixture('onprem', (e) => (axion(e).postgres.api.password = { secret: 'axion-gen-postgres-app', key: 'password' })),
      }),
    ).toThrow(
      /apps\[1\]\.postgres\.api\.password: .*expected \{ secret: axion-gen-postgres-owner, key: password \}, the owner login Vault generates/,
    );
    expect(() => synthesizeAll({ environmentsDir: fixture('onprem', (e) => (axion(e).chart.version = '0.0.0-latest')) })).toThrow(
      /apps\[1\]\.chart\.version: found "0\.0\.0-latest"; expected a released chart version: 0\.0\.0-latest moves under the same name/,
    );
  });

  const axion = (e: any) => e.apps.find((a: any) => a.app === 'axion-gen');
  const requiredCases: Array<[string, (a: any) => void, RegExp]> = [
    ['api.image.tag', (a) => delete a.api.image.tag, /apps\[1\]\.api\.image\.tag: found nothing; expected/],
    ['worker.image.repository', (a) => delete a.worker.image.repository, /apps\[1\]\.worker\.image\.repository: found nothing/],
    ['oidc.authority', (a) => delete a.oidc.authority, /apps\[1\]\.oidc\.authority: found nothing/],
    ['oidc.clientSecret', (a) => delete a.oidc.clientSecret, /apps\[1\]\.oidc\.clientSecret: found nothing/],
    ['s3.host', (a) => delete a.s3.host, /apps\[1\]\.s3\.host: found nothing/],
    ['postgres.api.password', (a) => delete a.postgres.api.password, /apps\[1\]\.postgres\.api\.password: found nothing/],
    ['openfga.apiKey', (a) => delete a.openfga.apiKey, /apps\[1\]\.openfga\.apiKey: found nothing/],
    ['api.ingress.hosts when enabled', (a) => delete a.api.ingress.hosts, /apps\[1\]\.api\.ingress\.hosts: found nothing/],
    ['api.certificate.dnsNames when enabled', (a) => delete a.api.certificate.dnsNames, /apps\[1\]\.api\.certificate\.dnsNames: found nothing/],
    ['api.image.repository', (a) => delete a.api.image.repository, /apps\[1\]\.api\.image\.repository: found nothing/],
    ['worker.image.tag', (a) => delete a.worker.image.tag, /apps\[1\]\.worker\.image\.tag: found nothing/],
    ['oidc.clientId', (a) => delete a.oidc.clientId, /apps\[1\]\.oidc\.clientId: found nothing/],
    ['s3.accessKey', (a) => delete a.s3.accessKey, /apps\[1\]\.s3\.accessKey: found nothing/],
    ['s3.secretKey', (a) => delete a.s3.secretKey, /apps\[1\]\.s3\.secretKey: found nothing/],
    ['postgres.api.host', (a) => delete a.postgres.api.host, /apps\[1\]\.postgres\.api\.host: found nothing/],
    ['postgres.api.database', (a) => delete a.postgres.api.database, /apps\[1\]\.postgres\.api\.database: found nothing/],
    ['postgres.api.username', (a) => delete a.postgres.api.username, /apps\[1\]\.postgres\.api\.username: found nothing/],
    ['openfga.apiUrl', (a) => delete a.openfga.apiUrl, /apps\[1\]\.openfga\.apiUrl: found nothing/],
    ['chart.version', (a) => delete a.chart.version, /apps\[1\]\.chart\.version: found nothing/],
    [
      'api.apiKeys[].serviceName when apiKeys are given',
      (a) => (a.api.apiKeys = [{ key: { secret: 'k', key: 'v' } }]),
      /apps\[1\]\.api\.apiKeys\[0\]\.serviceName: found nothing/,
    ],
    [
      'api.apiKeys[].key when apiKeys are given',
      (a) => (a.api.apiKeys = [{ serviceName: 'svc' }]),
      /apps\[1\]\.api\.apiKeys\[0\]\.key: found nothing/,
    ],
    [
      'api.certificate.issuerRef.name when enabled',
      (a) => delete a.api.certificate.issuerRef.name,
      /apps\[1\]\.api\.certificate\.issuerRef\.name: found nothing/,
    ],
  ];
  for (const [what, mutate, message] of requiredCases) {
    it(`a missing ${what} is a clear error`, () => {
      expect(() => synthesizeAll({ environmentsDir: fixture('onprem', (e) => mutate(axion(e))) })).toThrow(message);
    });
  }

  it('a literal secret value is refused: secrets are references to Secret keys', () => {
    expect(() => synthesizeAll({ environmentsDir: fixture('onprem', (e) => (axion(e).oidc.clientSecret = 'change-me')) })).toThrow(
      /apps\[1\]\.oidc\.clientSecret: found "change-me"; expected a reference \{ secret: <Secret name>, key: <key> \}; literal secret values are refused/,
    );
  });
});

describe('platform services and inference', () => {
  it('Axiom design: Flyway runs in an earlier sync wave than the backend; operators manage Postgres', () => {
    const objects = manifests(examples(), 'dev').filter((o) => o.metadata?.namespace === 'dev-center');
    const wave = (o: any) => Number(o.metadata.annotations['argocd.argoproj.io/sync-wave']);
    const flyway = one(objects, 'Job', 'axiom-flyway-migrate');
    expect(flyway.spec.template.spec.containers[0].command).toEqual(['flyway', 'migrate']);
    expect(wave(flyway)).toBeLessThan(wave(one(objects, 'Deployment', 'axiom-backend')));
    expect(
      byKind(objects, 'Cluster')
        .map((c) => c.metadata.name)
        .sort(),
    ).toEqual(['axiom-postgres', 'temporal-postgres']);
    for (const c of byKind(objects, 'Cluster')) expect(wave(c)).toBeLessThan(wave(flyway));
    expect(
      byKind(objects, 'Deployment')
        .map((d) => d.metadata.name)
        .sort(),
    ).toEqual(['axiom-backend']);
    expect(
      byKind(objects, 'StatefulSet')
        .map((d) => d.metadata.name)
        .sort(),
    ).toEqual(['minio']);
    // Redis through its operator: replication watched by Sentinel, the backend calling the master's Service.
    expect(byKind(objects, 'RedisReplication').map((r) => [r.metadata.name, r.spec.clusterSize])).toEqual([['redis', 3]]);
    expect(byKind(objects, 'RedisSentinel').map((r) => [r.spec.redisSentinelConfig.redisReplicationName, r.spec.clusterSize])).toEqual([
      ['redis', 3],
    ]);
    const backend = byKind(objects, 'Deployment')[0].spec.template.spec.containers[0].env;
    expect(backend.find((e: any) => e.name === 'REDIS_HOST').value).toBe('redis-master.dev-center.svc');
    // The operator (add-on redis-operator) runs hardened, its fail-closed pod webhook off.
    const operator = manifests(examples(), 'dev').find((o) => o.kind === 'Application' && o.metadata.name === 'redis-operator');
    expect(operator.spec.source).toMatchObject({ chart: 'redis-operator', targetRevision: '0.25.0' });
    expect(operator.spec.source.helm.valuesObject).toMatchObject({
      redisOperator: { webhook: false },
      podSecurityContext: { runAsNonRoot: true, runAsUser: 65532, seccompProfile: { type: 'RuntimeDefault' } },
      securityContext: { readOnlyRootFilesystem: true, allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } },
    });
  });

  it('Lab design: Ollama on the GPU pool with model storage, Open WebUI, pgvector', () => {
    const objects = manifests(examples(), 'onprem').filter((o) => o.metadata?.namespace === 'ai-platform');
    const ollama = one(objects, 'StatefulSet', 'ollama');
    expect(ollama.spec.template.spec.nodeSelector).toEqual({ accelerator: 'nvidia' });
    expect(ollama.spec.volumeClaimTemplates[0].spec).toMatchObject({ storageClassName: 'ceph-block', resources: { requests: { storage: '200Gi' } } });
    const pg = one(objects, 'Cluster', 'pgvector');
    expect(pg.spec.bootstrap.initdb.postInitApplicationSQL).toEqual(['CREATE EXTENSION IF NOT EXISTS "vector"']);
    expect(one(objects, 'StatefulSet', 'open-webui').spec.template.spec.containers[0].env).toContainEqual({
      name: 'OLLAMA_BASE_URL',
      value: 'http://ollama.ai-platform.svc:11434',
    });
  });

  it('a GPU app in an environment without a GPU pool is a clear error', () => {
    expect(() =>
      synthesizeAll({
        environmentsDir: fixture('onprem', (e) => {
          e.cluster.nodePools = e.cluster.nodePools.filter((p: any) => !p.gpu);
          for (const h of e.substrate.hosts) if (h.pool === 'gpu') h.pool = 'general';
        }),
      }),
    ).toThrow(/apps\[0\]: found "llm-inference"; expected a node pool with gpu: true in cluster\.nodePools, because llm-inference runs GPU services/);
  });

  it('an app in an undeclared namespace, or without the add-ons it needs, is a clear error', () => {
    expect(() => synthesizeAll({ environmentsDir: fixture('dev', (e) => (e.apps[0].namespace = 'nowhere')) })).toThrow(
      /apps\[0\]\.namespace: found "nowhere"; expected a namespace declared under namespaces:/,
    );
    expect(() =>
      synthesizeAll({ environmentsDir: fixture('dev', (e) => (e.addons = e.addons.filter((a: string) => a !== 'cloudnative-pg'))) }),
    ).toThrow(/apps\[0\]: found "axiom-platform"; expected add-on "cloudnative-pg" in addons:/);
  });

  it('an image without tag or digest in an environment file is a clear error', () => {
    expect(() => synthesizeAll({ environmentsDir: fixture('dev', (e) => delete e.apps[0].images.backend.tag) })).toThrow(
      /apps\[0\]\.images\.backend: found \{"repository":"[^"]+"\}; expected a tag or a digest/,
    );
  });
});

describe('image mirroring (air-gapped onprem)', () => {
  const objects = manifests(examples(), 'onprem');
  const images = objects.flatMap((o) => {
    const spec = o.spec?.template?.spec ?? o.spec?.jobTemplate?.spec?.template?.spec;
    return [...(spec?.initContainers ?? []), ...(spec?.containers ?? [])].map((c: any) => c.image);
  });

  it('rewrites every image Parity renders to the mirror and lists each pair in images.txt', () => {
    expect(images.length).toBeGreaterThanOrEqual(2);
    for (const i of images) expect(i).toMatch(/^registry\.lab\.internal\//);
    const plan = examples().files.get('onprem/images.txt')!;
    expect(plan).toContain('registry.partner.com/axion/gen-api:1.0.0 registry.lab.internal/registry.partner.com/axion/gen-api:1.0.0');
    expect(plan).toContain('docker.io/ollama/ollama:0.5.4 registry.lab.internal/docker.io/ollama/ollama:0.5.4');
    const listed = plan
      .split('\n')
      .filter((l) => l && !l.startsWith('#'))
      .map((l) => l.split(' ')[1]);
    for (const i of new Set(images)) expect(listed).toContain(i);
  });

  it('declares every mirrored chart repository, and every OCI chart repository elsewhere, to Argo CD as an OCI Helm repository, before any child syncs', () => {
    const repos = objects.filter((o) => o.kind === 'Secret' && o.metadata.labels?.['argocd.argoproj.io/secret-type'] === 'repository');
    const urls = repos.map((r) => r.stringData.url);
    for (const app of objects.filter((o) => o.kind === 'Application' && o.spec.source.chart)) expect(urls).toContain(app.spec.source.repoURL);
    for (const r of repos) {
      expect(r.metadata.namespace).toBe('argocd');
      expect(r.stringData).toMatchObject({ type: 'helm', enableOCI: 'true' });
      expect(r.metadata.annotations['argocd.argoproj.io/sync-wave']).toBe('-40');
    }
    // Without a mirror, only the charts that live in OCI registries (Karpenter's, ARC's, Grafana's operator) need one, and
    // HTTPS Helm repositories none.
    const dev = manifests(examples(), 'dev');
    const devRepos = dev.filter((o) => o.kind === 'Secret' && o.metadata.labels?.['argocd.argoproj.io/secret-type'] === 'repository');
    expect(devRepos.map((r) => r.stringData.url)).toEqual([
      'ghcr.io/actions/actions-runner-controller-charts',
      'ghcr.io/grafana/helm-charts',
      'public.ecr.aws/karpenter',
    ]);
    const ociSources = dev.filter((o) => o.kind === 'Application' && o.spec.source.chart && !o.spec.source.repoURL.startsWith('https://'));
    expect([...new Set(ociSources.map((a) => a.spec.source.repoURL))].sort()).toEqual(devRepos.map((r) => r.stringData.url));
  });

  it('pulls every add-on chart from the mirror, and the bootstrap stack too', () => {
    for (const app of objects.filter((o) => o.kind === 'Application' && o.spec.source.chart))
      expect(app.spec.source.repoURL).toMatch(/^registry\.lab\.internal\/charts\//);
    const bootstrap = JSON.parse(examples().files.get('onprem/terraform/bootstrap/cdk.tf.json')!);
    for (const r of Object.values<any>(bootstrap.resource.helm_release)) expect(r.repository).toMatch(/^oci:\/\/registry\.lab\.internal\/charts\//);
    expect(examples().files.get('onprem/charts.txt')).toContain(
      'charts.jetstack.io/cert-manager:v1.16.2 registry.lab.internal/charts/charts.jetstack.io/cert-manager:v1.16.2',
    );
  });

  it('leaves environments without a mirror alone', () => {
    expect(examples().files.has('prod/images.txt')).toBe(false);
    expect(manifests(examples(), 'prod').find((o) => o.kind === 'Deployment').spec.template.spec.containers[0].image).toMatch(
      /^arbitexacr\.azurecr\.io\//,
    );
  });
});

describe('everything in dist/ is valid', () => {
  it('every committed object validates against Kubernetes 1.28 and the vendored CRD schemas', () => {
    const files = readTree(path.join(REPO_ROOT, 'dist'));
    let objects = 0;
    for (const env of ['dev', 'prod', 'onprem']) {
      const all = manifestObjects(files, env);
      objects += all.length;
      expect(validateSchemas(env, all)).toEqual([]);
    }
    expect(objects).toBeGreaterThan(150);
  });
});

describe('scheduled jobs of the Axiom platform (Dev Center design)', () => {
  it("run the backend's image on a schedule, with only the services they use reachable", () => {
    const result = synthesizeAll({
      environmentsDir: fixture('dev', (e) => {
        e.apps[0].scheduledJobs = [
          { name: 'axiom-report', schedule: '0 6 * * 1', command: ['python', '-m', 'report'], uses: ['database', 'objectStore'] },
        ];
      }),
    });
    const all = manifests(result, 'dev');
    const cron = one(all, 'CronJob', 'axiom-report');
    const container = cron.spec.jobTemplate.spec.template.spec.containers[0];
    expect(container.image).toBe('111122223333.dkr.ecr.us-east-1.amazonaws.com/axiom/backend:4f2a9c1e');
    expect(container.env.map((e: any) => e.name).sort()).toEqual([
      'DB_HOST',
      'DB_NAME',
      'DB_PASSWORD',
      'DB_PORT',
      'DB_USER',
      'S3_ACCESS_KEY',
      'S3_ENDPOINT',
      'S3_SECRET_KEY',
    ]);
    const policy = all.find((o) => o.kind === 'NetworkPolicy' && o.metadata.name === 'axiom-report-connections');
    expect(policy.spec.podSelector.matchLabels).toEqual({ 'app.kubernetes.io/name': 'axiom-report', 'app.kubernetes.io/component': 'scheduled-job' });
    expect(policy.spec.egress.map((r: any) => r.ports[0].port).sort()).toEqual([5432, 9000]);
  });
});

describe('routes to the add-ons’ UIs', () => {
  const ingresses = (env: string) =>
    manifests(examples(), env)
      .filter((o) => o.kind === 'Ingress' && ['argocd', 'monitoring'].includes(o.metadata.namespace))
      .map((o) => [o.metadata.namespace, o.spec.rules[0].host, o.spec.ingressClassName]);

  it('Argo CD and Grafana are routed on the tailnet (dev) and on the internal ingress (onprem), with their names and ports', () => {
    expect(ingresses('dev')).toEqual([
      ['argocd', 'argocd.dev.axiom.entropy.sa', 'nginx-internal'],
      ['monitoring', 'grafana.dev.axiom.entropy.sa', 'nginx-internal'],
    ]);
    expect(ingresses('onprem')).toEqual([
      ['argocd', 'argocd.lab.internal', 'nginx'],
      ['monitoring', 'grafana.lab.internal', 'nginx'],
    ]);
    // Argo CD's own idea of its URL is the routed host.
    const argo = manifests(examples(), 'dev').find((o) => o.kind === 'Application' && o.metadata.name === 'argo-cd').spec.source.helm.valuesObject;
    expect(argo.global.domain).toBe('argocd.dev.axiom.entropy.sa');
    const onpremArgo = manifests(examples(), 'onprem').find((o) => o.kind === 'Ingress' && o.metadata.namespace === 'argocd');
    expect(onpremArgo.metadata.annotations).toEqual({
      'nginx.ingress.kubernetes.io/backend-protocol': 'HTTPS',
      'cert-manager.io/cluster-issuer': 'lab-internal-ca',
    });
  });

  it('a public environment keeps them off the internet', () => {
    expect(ingresses('prod')).toEqual([]);
  });
});

describe('Temporal through its Helm chart (Axiom design) on dev', () => {
  const all = manifests(examples(), 'dev');
  const objects = all.filter((o) => o.metadata?.namespace === 'dev-center');
  const app = all.find((o) => o.kind === 'Application' && o.metadata.name === 'temporal');
  const values = app.spec.source.helm.valuesObject;
  const wave = (o: any) => Number(o.metadata.annotations['argocd.argoproj.io/sync-wave']);

  it('is chart 0.52.0 (server 1.25.2) with persistence and visibility on the app’s CloudNativePG cluster, logging in with Vault’s per-lease login', () => {
    expect(app.spec.source).toMatchObject({ repoURL: 'https://go.temporal.io/helm-charts', chart: 'temporal', targetRevision: '0.52.0' });
    expect(app.spec.destination.namespace).toBe('dev-center');
    // The namespace is the environment's (labels, quota): Argo CD does not create it.
    expect(app.spec.syncPolicy.syncOptions).toBeUndefined();
    const { persistence } = values.server.config;
    expect(persistence.default).toEqual({
      driver: 'sql',
      sql: {
        driver: 'postgres12',
        host: 'temporal-postgres-rw.dev-center.svc',
        port: 5432,
        database: 'temporal',
        // The lease's user, which the server's entrypoint renders from the environment (never the owner login).
        user: '{{ .Env.TEMPORAL_STORE_USER }}',
        existingSecret: 'temporal-postgres-vault-creds',
        maxConns: 20,
        maxConnLifetime: '1h',
      },
    });
    expect(persistence.visibility.sql.database).toBe('temporal_visibility');
    expect(values.server.additionalEnv).toEqual([
      { name: 'TEMPORAL_STORE_USER', valueFrom: { secretKeyRef: { name: 'temporal-postgres-vault-creds', key: 'username' } } },
    ]);
    // A renewed lease rolls the servers (Reloader) while the previous login is still valid.
    expect(values.server.deploymentAnnotations).toEqual({ 'secret.reloader.stakater.com/reload': 'temporal-postgres-vault-creds' });
    // Both stores log in as the same lease's user.
    expect(persistence.visibility.sql.user).toBe(persistence.default.sql.user);
    const cluster = one(objects, 'Cluster', 'temporal-postgres');
    expect(cluster.spec.bootstrap.initdb).toMatchObject({
      owner: 'temporal',
      postInitSQL: ['CREATE DATABASE "temporal_visibility" OWNER "temporal"'],
    });
    // Nothing of the chart's demo dependencies, no admin tools pod, the web UI on.
    expect([values.cassandra, values.elasticsearch, values.prometheus, values.grafana, values.admintools]).toEqual(Array(5).fill({ enabled: false }));
    expect(values.web.enabled).toBe(true);
    expect(values.server.image).toEqual({ repository: 'docker.io/temporalio/server', tag: '1.25.2' });
  });

  it('migrates both schemas in a wave Job between the database and the server, not with the chart’s TTL-deleted Job', () => {
    expect(values.schema).toEqual({ createDatabase: { enabled: false }, setup: { enabled: false }, update: { enabled: false } });
    const job = one(objects, 'Job', 'temporal-schema');
    const c = job.spec.template.spec.containers[0];
    expect(c.image).toBe('docker.io/temporalio/admin-tools:1.25.2-tctl-1.18.1-cli-1.1.1');
    expect(c.command[2].split('\n').filter((l: string) => l.includes('temporal-sql-tool'))).toEqual([
      'SQL_DATABASE=temporal temporal-sql-tool setup-schema -v 0.0',
      'SQL_DATABASE=temporal temporal-sql-tool update-schema --schema-dir /etc/temporal/schema/postgresql/v12/temporal/versioned',
      'SQL_DATABASE=temporal_visibility temporal-sql-tool setup-schema -v 0.0',
      'SQL_DATABASE=temporal_visibility temporal-sql-tool update-schema --schema-dir /etc/temporal/schema/postgresql/v12/visibility/versioned',
    ]);
    expect(job.spec.ttlSecondsAfterFinished).toBeUndefined();
    expect([wave(one(objects, 'Cluster', 'temporal-postgres')), wave(job), wave(app)]).toEqual([0, 2, 3]);
  });

  it('runs hardened: non-root, read-only root filesystems with writable config directories, no privilege escalation', () => {
    for (const s of ['frontend', 'history', 'matching', 'worker'])
      expect(values.server[s].containerSecurityContext).toMatchObject({
        runAsNonRoot: true,
        readOnlyRootFilesystem: true,
        allowPrivilegeEscalation: false,
      });
    expect(values.server.securityContext).toMatchObject({ runAsUser: 1000, fsGroup: 1000, seccompProfile: { type: 'RuntimeDefault' } });
    expect(values.server.additionalVolumeMounts).toContainEqual({ name: 'rendered-config', mountPath: '/etc/temporal/config' });
    expect(values.web.securityContext).toMatchObject({ runAsUser: 5000, runAsNonRoot: true });
    expect(values.web.additionalVolumeMounts).toContainEqual({ name: 'config', mountPath: '/home/ui-server/config' });
  });

  it('the backend calls the frontend; the servers reach each other and their database; the UI is routed on the tailnet', () => {
    const backend = one(objects, 'Deployment', 'axiom-backend').spec.template.spec.containers[0];
    expect(backend.env.find((e: any) => e.name === 'TEMPORAL_ADDRESS').value).toBe('temporal-frontend.dev-center.svc:7233');
    const policy = (name: string) => all.find((o) => o.kind === 'NetworkPolicy' && o.metadata.name === `${name}-connections`);
    const frontend = policy('temporal-frontend');
    expect(frontend.spec.podSelector.matchLabels).toEqual({
      'app.kubernetes.io/name': 'temporal',
      'app.kubernetes.io/instance': 'temporal',
      'app.kubernetes.io/component': 'frontend',
    });
    const from = frontend.spec.ingress.map(
      (r: any) => r.from[0].podSelector.matchLabels['app.kubernetes.io/component'] ?? r.from[0].podSelector.matchLabels['app.kubernetes.io/name'],
    );
    expect(from).toEqual(expect.arrayContaining(['frontend', 'history', 'matching', 'worker', 'web', 'axiom-backend']));
    expect(policy('temporal-history').spec.egress).toContainEqual(
      expect.objectContaining({
        ports: [{ port: 5432, protocol: 'TCP' }],
        to: [expect.objectContaining({ podSelector: { matchLabels: { 'cnpg.io/cluster': 'temporal-postgres' } } })],
      }),
    );
    const route = one(objects, 'Ingress', 'temporal-web');
    expect(route.spec).toMatchObject({ ingressClassName: 'nginx-internal', rules: [{ host: 'temporal.dev.axiom.entropy.sa' }] });
  });
});

describe('model serving on the GPU pool of dev (llm-inference in ai-platform)', () => {
  const objects = manifests(examples(), 'dev').filter((o) => o.metadata?.namespace === 'ai-platform');

  it('runs Ollama on the GPU pool: one GPU, the GPU label and taint', () => {
    const ollama = objects.find((o) => o.kind === 'StatefulSet' && o.metadata.name === 'ollama');
    const spec = ollama.spec.template.spec;
    expect(spec.nodeSelector).toEqual({ accelerator: 'nvidia' });
    expect(spec.tolerations).toContainEqual({ key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' });
    expect(spec.containers[0].resources.limits['nvidia.com/gpu']).toBe('1');
    // The namespace's GPU quota admits it.
    const quota = manifests(examples(), 'dev').find((o) => o.kind === 'ResourceQuota' && o.metadata.namespace === 'ai-platform');
    expect(Number(quota.spec.hard['requests.nvidia.com/gpu'])).toBeGreaterThanOrEqual(1);
  });

  it('routes its web UI on the tailnet through the internal gateway (its wildcard certificate), with a Vault login for pgvector', () => {
    const ingress = objects.find((o) => o.kind === 'Ingress');
    expect(ingress.spec.ingressClassName).toBe('nginx-internal');
    expect(ingress.spec.rules[0].host).toBe('chat.dev.axiom.entropy.sa');
    expect(ingress.spec.tls).toBeUndefined();
    const webui = objects.find((o) => o.kind === 'StatefulSet' && o.metadata.name === 'open-webui');
    expect(webui.spec.template.spec.containers[0].env).toContainEqual({
      name: 'PGVECTOR_DB_URL',
      valueFrom: { secretKeyRef: { name: 'pgvector-vault-creds', key: 'uri' } },
    });
    expect(webui.metadata.annotations['secret.reloader.stakater.com/reload']).toBe('pgvector-vault-creds');
  });
});
