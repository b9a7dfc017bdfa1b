import * as fs from 'node:fs';
import * as path from 'node:path';
import { synthesizeAll } from '../lib/pipeline/synth/pipeline';
import { synthesizeAndCheck } from '../lib/pipeline/synth/run';
import { ENVIRONMENTS_DIR, REPO_ROOT, fixture, manifests, messageOf, nameIs } from './helpers';

const named = (objects: any[], kind: string, name: string) => objects.find((o) => o.kind === kind && nameIs(o, name));
const envOf = (c: any) => Object.fromEntries((c.env ?? []).map((e: any) => [e.name, e.value ?? e.valueFrom.secretKeyRef]));
const wave = (o: any) => Number(o.metadata.annotations['argocd.argoproj.io/sync-wave']);
const container = (pod: any, name: string) => [...pod.containers, ...(pod.initContainers ?? [])].find((c: any) => c.name === name);

/** A Matomo without OIDC on the EKS environment: any environment can choose it. */
const devDir = fixture('dev', (e) => {
  e.apps = [
    ...(e.apps ?? []),
    {
      app: 'matomo',
      namespace: 'dev-center',
      host: 'analytics.dev.axiom.entropy.sa',
      site: { name: 'Axiom', url: 'https://dev.axiom.entropy.sa' },
      adminEmail: 'platform@example.org',
      images: { matomo: { repository: '111122223333.dkr.ecr.us-east-1.amazonaws.com/axiom/matomo', tag: '5.7.1-oidc5.0.0' } },
      replicas: 1,
    },
  ];
});

describe('Matomo (web analytics), chosen by any environment', () => {
  const lab = manifests(synthesizeAll({ environmentsDir: ENVIRONMENTS_DIR }), 'lab');
  const dev = manifests(synthesizeAll({ environmentsDir: devDir }), 'dev');
  const web = named(lab, 'Deployment', 'matomo').spec.template.spec;

  it('brings up MariaDB, then installs Matomo on it in a wave Job, then serves: the Job and every pod run the same setup', () => {
    const db = named(lab, 'StatefulSet', 'matomo-mariadb');
    const job = named(lab, 'Job', 'matomo-install');
    const deployment = named(lab, 'Deployment', 'matomo');
    expect(wave(db)).toBeLessThan(wave(job));
    expect(wave(job)).toBeLessThan(wave(deployment));
    const jobScript = job.spec.template.spec.containers[0].command[2];
    expect(jobScript).toContain('./console matomo:install --install-file=/tmp/install.json --force --do-not-drop-db');
    expect(jobScript).toContain('rsync -crlOt --no-owner --no-group --no-perms /usr/src/matomo/ /tmp/matomo/');
    expect(jobScript.trim().endsWith('./console core:update --yes --no-interaction')).toBe(true);
    const setup = container(web, 'setup');
    expect(setup.command[2]).toContain('rsync -crlOt --no-owner --no-group --no-perms /usr/src/matomo/ /var/www/html/');
    expect(setup.securityContext).toMatchObject({ runAsUser: 82, readOnlyRootFilesystem: true });
    // The database: the image's own user creation, its data on the default StorageClass, its logins from Vault.
    const mariadb = db.spec.template.spec.containers[0];
    expect(envOf(mariadb)).toMatchObject({
      MARIADB_DATABASE: 'matomo',
      MARIADB_USER: 'matomo',
      MARIADB_PASSWORD: { name: 'matomo-mariadb', key: 'password' },
      MARIADB_ROOT_PASSWORD: { name: 'matomo-mariadb', key: 'rootPassword' },
    });
    expect(mariadb.readinessProbe.tcpSocket.port).toBe(3306);
    expect(db.spec.volumeClaimTemplates[0].spec.storageClassName).toBe('ceph-block');
    expect(mariadb.volumeMounts.map((m: any) => m.mountPath)).toEqual(expect.arrayContaining(['/run/mysqld', '/var/lib/mysql']));
  });

  it('keeps every secret in Vault: the install file in the pod spec holds none, the setup fills them in from Secrets', () => {
    const setup = container(web, 'setup');
    const env = envOf(setup);
    const install = JSON.parse(env.MATOMO_INSTALL_JSON);
    expect(install.Config.General.salt).toBeUndefined();
    expect(install.Config.LoginOIDC.clientSecret).toBeUndefined();
    expect(env).toMatchObject({
      MATOMO_DB_HOST: 'matomo-mariadb.analytics.svc',
      MATOMO_DB_PASSWORD: { name: 'matomo-mariadb', key: 'password' },
      MATOMO_FIRST_USER_PASSWORD: { name: 'matomo-admin', key: 'password' },
      MATOMO_SALT: { name: 'matomo-salt', key: 'value' },
      MATOMO_OIDC_CLIENT_SECRET: { name: 'matomo-oidc', key: 'clientSecret' },
    });
    for (const secret of ['matomo-mariadb', 'matomo-admin', 'matomo-salt', 'matomo-oidc']) expect(named(lab, 'ExternalSecret', secret)).toBeDefined();
    // Secrets reach PHP's installer through its environment, never a command line; the file is removed after.
    expect(setup.command[2]).toMatch(/getenv\("MATOMO_SALT"\)/);
    expect(setup.command[2]).toContain('rm -f /tmp/install.json');
    // The web server and php-fpm hold no secret: php-fpm reads the config the setup wrote.
    expect(container(web, 'matomo').env).toBeUndefined();
    expect(container(web, 'php-fpm').env).toBeUndefined();
  });

  it('signs in through LoginOIDC as configured, with only its own host trusted and no outgoing calls', () => {
    const install = JSON.parse(envOf(container(web, 'setup')).MATOMO_INSTALL_JSON);
    const vendored = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'vendor', 'matomo', 'install.json'), 'utf8'));
    expect(install.PluginsInstalled).toEqual([...vendored.PluginsInstalled, 'LoginOIDC']);
    expect(install.Config.LoginOIDC).toMatchObject({
      tokenUrl: 'https://oauth2.googleapis.com/token',
      userinfoUrl: 'https://openidconnect.googleapis.com/v1/userinfo',
      userinfoId: 'sub',
      allowSignup: 1,
      allowedSignupDomains: 'lab.example.com',
      disableSuperuser: 1,
    });
    expect(install.Config.General).toMatchObject({
      'trusted_hosts[]': 'analytics.lab.example.com',
      enable_trusted_host_check: 1,
      'cors_domains[]': 'https://lab.example.com',
      enable_internet_features: 0,
      enable_browser_archiving_triggering: 0,
    });
    expect(install.Site).toEqual({ name: 'The Lab', url: 'https://lab.example.com' });
    // Without oidc: no plugin, no client secret to ask for.
    const devInstall = JSON.parse(envOf(container(named(dev, 'Deployment', 'matomo').spec.template.spec, 'setup')).MATOMO_INSTALL_JSON);
    expect(devInstall.PluginsInstalled).not.toContain('LoginOIDC');
    expect(devInstall.Config.LoginOIDC).toBeUndefined();
    expect(named(dev, 'ExternalSecret', 'matomo-oidc')).toBeUndefined();
  });

  it('runs nginx with Matomo’s own site rules in front of php-fpm in the same pod, sharing its copy of Matomo', () => {
    const nginx = container(web, 'matomo');
    const fpm = container(web, 'php-fpm');
    expect(nginx.image).toBe('docker.io/nginxinc/nginx-unprivileged:1.27.3-alpine');
    expect(nginx.readinessProbe.httpGet).toEqual({ path: '/matomo.js', port: 8080 });
    expect(fpm.readinessProbe.tcpSocket.port).toBe(9000);
    expect(fpm.securityContext).toMatchObject({ runAsUser: 82, readOnlyRootFilesystem: true });
    const shared = (c: any) => c.volumeMounts.filter((m: any) => m.mountPath === '/var/www/html').map((m: any) => m.name);
    expect(shared(fpm)).toEqual(shared(nginx));
    const configMap = named(lab, 'ConfigMap', web.volumes.find((v: any) => v.name === 'nginx-config').configMap.name);
    const conf: string = configMap.data['nginx.conf'];
    const upstream = fs.readFileSync(path.join(REPO_ROOT, 'vendor', 'matomo', 'matomo-nginx.conf'), 'utf8');
    // Every location of Matomo's own site (its HTTPS server; the first only redirects), in its order: the first matching regex wins.
    const site = upstream.slice(upstream.lastIndexOf('server {'));
    const locations = (text: string) => [...text.matchAll(/^\s*location\s+([^{]+)\{/gm)].map((m) => m[1].trim());
    expect(locations(conf)).toEqual(locations(site));
    expect(conf).toContain('fastcgi_pass 127.0.0.1:9000;');
    expect(conf).toContain('listen 8080;');
  });

  it('archives reports hourly in a CronJob, never on a browser request, and dumps the database before each backup', () => {
    const archive = named(lab, 'CronJob', 'matomo-archive');
    expect(archive.spec.concurrencyPolicy).toBe('Forbid');
    expect(archive.spec.jobTemplate.spec.template.spec.containers[0].command[2].trim().endsWith('./console core:archive')).toBe(true);
    const annotations = named(lab, 'StatefulSet', 'matomo-mariadb').spec.template.metadata.annotations;
    expect(annotations['pre.hook.backup.velero.io/container']).toBe('matomo-mariadb');
    const [shell, flag, dump] = JSON.parse(annotations['pre.hook.backup.velero.io/command']);
    expect([shell, flag]).toEqual(['/bin/sh', '-c']);
    expect(dump).toMatch(
      /^MYSQL_PWD="\$MARIADB_ROOT_PASSWORD" mariadb-dump .*--single-transaction .*> \/var\/lib\/mysql\/parity-backup\.sql\.tmp && mv /,
    );
  });

  it('routes its whole host (tracker and dashboard) and declares each connection, the identity provider’s among them', () => {
    const route = named(lab, 'HTTPRoute', 'matomo');
    expect(route.spec.hostnames).toEqual(['analytics.lab.example.com']);
    expect(named(dev, 'Ingress', 'matomo').spec.rules[0].http.paths.map((p: any) => p.path)).toEqual(['/']);
    const policy = lab.find((o) => o.kind === 'NetworkPolicy' && o.metadata.namespace === 'analytics' && o.metadata.name === 'matomo-connections');
    const egress = policy.spec.egress.map((r: any) => ({
      ports: r.ports.map((p: any) => p.port),
      to: r.to[0].ipBlock?.cidr ?? r.to[0].podSelector.matchLabels['app.kubernetes.io/name'],
    }));
    expect(egress).toEqual([
      { ports: [3306], to: 'matomo-mariadb' },
      // The token and user-info endpoints, outside the cluster's and the site's ranges.
      { ports: [443], to: '0.0.0.0/0' },
    ]);
    expect(policy.spec.ingress[0].ports[0].port).toBe(8080);
  });

  it('refuses an identity provider whose endpoints the environment does not declare, naming the host', () => {
    const dir = fixture('lab', (e) => {
      e.externalServices = (e.externalServices ?? []).filter((s: any) => !String(s.host).endsWith('googleapis.com'));
    });
    expect(messageOf(() => synthesizeAll({ environmentsDir: dir }))).toMatch(
      /app matomo in analytics \(oidc\).*oauth2\.googleapis\.com.*externalServices/s,
    );
    const plain = fixture('lab', (e) => {
      const m = e.apps!.find((a: any) => a.app === 'matomo') as any;
      m.oidc.tokenUrl = 'http://oauth2.googleapis.com/token';
    });
    expect(messageOf(() => synthesizeAll({ environmentsDir: plain }))).toMatch(
      /lab \(environments\/lab\.yaml\): apps\[\d+\]\.oidc\.tokenUrl: found "http:\/\/oauth2\.googleapis\.com\/token"; expected an https:\/\/ URL/,
    );
  });

  it('builds its image with LoginOIDC pinned by commit on Digitalist’s image', () => {
    const dockerfile = fs.readFileSync(path.join(REPO_ROOT, 'images', 'matomo', 'Dockerfile'), 'utf8');
    expect(dockerfile).toMatch(/^FROM docker\.io\/digitalist\/matomo:5\.7\.1$/m);
    expect(dockerfile).toMatch(/matomo-plugin-LoginOIDC\.git#30e27c97fe9c7b66d7652b12aa3d7df2ef75fd93 \/usr\/src\/matomo\/plugins\/LoginOIDC$/m);
  });

  it('passes the guardrails and the deploy rehearsal where an environment chooses it', async () => {
    const { check } = await synthesizeAndCheck({ environmentsDir: devDir });
    expect(check.findings.filter((f) => f.severity === 'error').map((f) => `${f.ruleId} ${f.target}: ${f.message}`)).toEqual([]);
  });
});
