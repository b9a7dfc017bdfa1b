import { examples, manifests } from './helpers';

/** The generated README's Hostnames table: every routed host, what serves it, how it is reached, its certificate. */
describe('environment README: hostnames', () => {
  const section = (env: string) => {
    const text = examples().files.get(`${env}/README.md`)!;
    return text.slice(text.indexOf('## Hostnames'), text.indexOf('## Connections'));
  };

  it('lists every host an Ingress routes, and nothing else', () => {
    for (const env of ['dev', 'axiom-prod', 'prod', 'onprem']) {
      const hosts = manifests(examples(), env)
        .filter((o) => o.kind === 'Ingress')
        .flatMap((o) => o.spec.rules.map((r: any) => r.host))
        .sort();
      const listed = [...section(env).matchAll(/^\| `([^`]+)` \|/gm)].map((m) => m[1]);
      expect({ env, hosts: listed }).toEqual({ env, hosts });
    }
  });

  it('names the Service behind each host, the way it is reached and where its certificate comes from', () => {
    expect(section('axiom-prod')).toContain(
      '| `auth.axiom.entropy.sa` | auth/keycloak-service:8080 | public ingress | `auth-tls` from ClusterIssuer letsencrypt-prod |',
    );
    expect(section('dev')).toContain(
      "| `chat.dev.axiom.entropy.sa` | ai-platform/open-webui:8080 | tailnet entropy.sa (internal gateway) | the gateway's wildcard certificate |",
    );
  });
});
