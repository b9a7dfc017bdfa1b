import { parseAllDocuments } from 'yaml';
import { synthesizeAll } from '../lib/pipeline/synth/pipeline';
import { examples, fixture, manifests, messageOf, resources, terraform } from './helpers';

const docs = (text: string) => parseAllDocuments(text).map((d) => d.toJS());
const wave = (o: any) => Number(o.metadata.annotations?.['argocd.argoproj.io/sync-wave'] ?? 0);

describe('keycloak app (axiom-prod: auth namespace, operator)', () => {
  const result = examples();
  const objects = docs(result.files.get('axiom-prod/manifests/apps/keycloak.auth.yaml')!);
  const kc = objects.find((o) => o.kind === 'Keycloak');

  it('runs a Keycloak resource on CloudNativePG, logging in with Vault’s database logins, at the public host', () => {
    expect(kc.metadata.namespace).toBe('auth');
    expect(kc.spec.instances).toBe(3);
    const db = objects.find((o) => o.kind === 'Cluster');
    expect(kc.spec.db).toMatchObject({ vendor: 'postgres', host: `${db.metadata.name}-rw.auth.svc`, database: db.spec.bootstrap.initdb.database });
    const creds = objects.find((o) => o.kind === 'ExternalSecret' && o.spec.dataFrom?.[0]?.sourceRef?.generatorRef);
    expect(kc.spec.db.usernameSecret).toEqual({ name: creds.spec.target.name, key: 'username' });
    expect(kc.spec.db.passwordSecret).toEqual({ name: creds.spec.target.name, key: 'password' });
    expect(kc.spec.hostname.hostname).toBe('https://auth.axiom.entropy.sa');
    // The database and the login exist before the servers; the CRDs and the operator before the resource.
    expect(wave(db)).toBeLessThan(wave(kc));
    expect(wave(creds)).toBeLessThanOrEqual(wave(kc));
    for (const o of objects.filter((x) => x.kind === 'CustomResourceDefinition' || x.kind === 'Deployment')) expect(wave(o)).toBeLessThan(wave(kc));
  });

  it('imports the realm the backend trusts, after the servers, and the backend’s issuer is that realm at this host', () => {
    const realm = objects.find((o) => o.kind === 'KeycloakRealmImport');
    expect(realm.spec).toMatchObject({
      keycloakCRName: kc.metadata.name,
      realm: { realm: 'axiom', enabled: true, clients: [{ clientId: 'axiom-backend' }] },
    });
    expect(wave(realm)).toBeGreaterThan(wave(kc));
    const backend = manifests(result, 'axiom-prod').find((o) => o.kind === 'Deployment' && o.metadata.name === 'axiom-backend');
    expect(backend.spec.template.spec.containers[0].env).toContainEqual({ name: 'OIDC_ISSUER', value: 'https://auth.axiom.entropy.sa/realms/axiom' });
  });

  it('routes the host to the operator’s Service with a certificate, and opens exactly the flows its pods need', () => {
    const ingress = objects.find((o) => o.kind === 'Ingress');
    expect(ingress.spec.rules[0]).toMatchObject({
      host: 'auth.axiom.entropy.sa',
      http: { paths: [{ backend: { service: { name: 'keycloak-service', port: { number: 8080 } } } }] },
    });
    expect(ingress.metadata.annotations['cert-manager.io/cluster-issuer']).toBe('letsencrypt-prod');
    const policies = manifests(result, 'axiom-prod').filter((o) => o.kind === 'NetworkPolicy' && o.metadata.namespace === 'auth');
    const servers = policies.find((p) => p.metadata.name === 'keycloak-connections');
    expect(servers.spec.podSelector.matchLabels).toEqual({ app: 'keycloak', 'app.kubernetes.io/instance': 'keycloak' });
    const egressPorts = servers.spec.egress.flatMap((r: any) => r.ports.map((p: any) => p.port)).sort();
    expect(egressPorts).toEqual([5432, 57800, 7800]);
    const from = servers.spec.ingress.find((r: any) => r.ports.some((p: any) => p.port === 8080)).from[0];
    expect(from.namespaceSelector.matchLabels['kubernetes.io/metadata.name']).toBe('ingress-nginx');
    // Its certificate's HTTP-01 challenge is answered by cert-manager's solver pod, which the controller must reach.
    const solver = policies.find((p) => p.metadata.name === 'acme-http01-solver-connections');
    expect(solver.spec.podSelector.matchLabels).toEqual({ 'acme.cert-manager.io/http01-solver': 'true' });
    expect(solver.spec.ingress).toEqual([{ from: [from], ports: [{ port: 8089, protocol: 'TCP' }] }]);
  });

  it('Vault grants the app exactly its database role', () => {
    const policy = resources(terraform(result, 'axiom-prod', 'vault'), 'vault_policy').find((p) => p.name === 'auth-keycloak');
    expect(policy.policy).toContain('path "database/creds/auth-keycloak-postgres"');
  });
});

describe('bad keycloak input', () => {
  it('a backend trusting a realm no keycloak app imports is a clear error', () => {
    expect(messageOf(() => synthesizeAll({ environmentsDir: fixture('dev', (e) => (e.apps[0].oidcRealm = 'other')) }))).toMatch(
      /dev \(environments\/dev\.yaml\): apps\[0\]\.oidcRealm: found "other"; expected a realm a keycloak app of this environment imports/,
    );
  });
});
