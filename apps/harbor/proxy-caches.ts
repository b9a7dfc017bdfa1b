import { MigrationJob } from '../../constructs/k8s/migration-job';
import { Chart } from '../../lib/core/facade/k8s';
import { ServiceEndpoint, serviceUrl } from '../../lib/core/facts/connections';
import { WAVES } from '../../lib/core/facts/waves';
import { HarborConfig } from '../../lib/core/model/apps/harbor';
import { privateHosts } from '../../lib/core/model/hosts';
import { imageRef } from '../../lib/core/model/primitives';
import type { AppContext } from '../../contracts/app';

/** Any non-root uid: the script only talks HTTP. */
const UID = 65532;

/**
 * Harbor's API v2.0, idempotently: wait for core, then for each upstream a registry endpoint and a
 * proxy-cache project of its name (created when missing, left as they are when present), scanning what
 * it caches. Exits non-zero naming the step that failed.
 */
const SCRIPT = `
import base64, json, os, sys, time, urllib.error, urllib.request
api = os.environ['HARBOR_API']
auth = 'Basic ' + base64.b64encode(('admin:' + os.environ['HARBOR_ADMIN_PASSWORD']).encode()).decode()
public = os.environ['PUBLIC_PROJECTS']
def call(method, path, body=None):
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(api + path, data=data, method=method, headers={'Authorization': auth, 'Content-Type': 'application/json', 'Accept': 'application/json'})
    try:
        with urllib.request.urlopen(req, timeout=30) as r:
            text = r.read()
            return r.status, (json.loads(text) if text else None)
    except urllib.error.HTTPError as e:
        return e.code, None
for _ in range(60):
    try:
        if call('GET', '/health')[0] == 200:
            break
    except OSError:
        pass
    time.sleep(10)
else:
    sys.exit('Harbor core did not answer ' + api + '/health within 10 minutes')
def registry(name):
    status, found = call('GET', '/registries?q=name%3D' + name)
    if status != 200:
        sys.exit('listing registries: HTTP %d' % status)
    return next((r for r in found or [] if r['name'] == name), None)
for p in json.loads(os.environ['PROXY_CACHES']):
    reg = registry(p['name'])
    if reg is None:
        status, _ = call('POST', '/registries', {'name': p['name'], 'type': p['type'], 'url': p['url'], 'insecure': False})
        if status != 201:
            sys.exit('creating registry endpoint %s: HTTP %d' % (p['name'], status))
        reg = registry(p['name'])
    status, _ = call('HEAD', '/projects?project_name=' + p['name'])
    if status == 404:
        meta = {'public': public, 'auto_scan': 'true'}
        status, _ = call('POST', '/projects', {'project_name': p['name'], 'registry_id': reg['id'], 'metadata': meta})
        if status != 201:
            sys.exit('creating proxy-cache project %s: HTTP %d' % (p['name'], status))
    elif status != 200:
        sys.exit('checking project %s: HTTP %d' % (p['name'], status))
    print('%s: proxy cache of %s' % (p['name'], p['url']))
`.trim();

/** Where Harbor's adapter reaches an upstream: its `url`, else Docker Hub's API host or https://<registry>. */
export function proxyCacheUrl(p: HarborConfig['proxyCaches'][number]): string {
  return p.url ?? (p.type === 'docker-hub' ? 'https://hub.docker.com' : `https://${p.registry}`);
}

/** Where the Job finds the internal CA that core's certificate is from. */
const CA_DIR = '/etc/harbor-ca';

/**
 * The proxy-cache projects, kept by a Sync hook Job on every sync (Harbor's projects and registry
 * endpoints live in its database, not in Kubernetes objects). Projects are public where the
 * environment's hosts are private, so nodes pull anonymously; on a public environment they are not.
 */
export function harborProxyCaches(
  chart: Chart,
  cfg: HarborConfig,
  ctx: AppContext,
  props: {
    readonly core: ServiceEndpoint;
    readonly adminSecret: { readonly name: string; readonly key: string };
    /** Core's internal TLS Secret, whose ca.crt the Job verifies core against. */
    readonly coreTlsSecret: string;
  },
): void {
  const caches = cfg.proxyCaches.map((p) => ({ name: p.registry, type: p.type, url: proxyCacheUrl(p) }));
  new MigrationJob(chart, 'proxy-caches', {
    name: 'harbor-proxy-caches',
    namespace: cfg.namespace,
    image: imageRef(cfg.images.configure),
    command: ['python3', '-c', SCRIPT],
    env: {
      // Core over TLS, verified against the internal CA its certificate is from (Python's default context reads SSL_CERT_FILE).
      HARBOR_API: serviceUrl(props.core, 'https', '/api/v2.0'),
      SSL_CERT_FILE: `${CA_DIR}/ca.crt`,
      PROXY_CACHES: JSON.stringify(caches),
      PUBLIC_PROJECTS: String(privateHosts(ctx.env)),
      PYTHONDONTWRITEBYTECODE: '1',
      HOME: '/tmp',
    },
    secretEnv: { HARBOR_ADMIN_PASSWORD: { secret: props.adminSecret.name, key: props.adminSecret.key } },
    secretMounts: [{ name: 'core-ca', mountPath: CA_DIR, secret: props.coreTlsSecret, items: ['ca.crt'] }],
    runs: { hook: 'Sync', syncWave: WAVES.appServing },
    backoffLimit: 3,
    runAsUser: UID,
    connectsTo: [props.core],
  });
}
