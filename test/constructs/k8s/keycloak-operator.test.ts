import { KeycloakOperator, KEYCLOAK_CRD_GROUP } from '../../../constructs/k8s/keycloak-operator';
import { FactRegistry } from '../../../lib/core/facts/registry';
import { errorOf, k8sChart, only, synthK8s } from '../helpers';

const props = {
  namespace: 'auth',
  image: 'quay.io/keycloak/keycloak-operator:26.0.0',
  keycloakImage: 'quay.io/keycloak/keycloak:26.0.0',
  syncWave: -1,
};

describe('KeycloakOperator', () => {
  it('installs the vendored release namespaced: its CRDs, Roles only (no cluster-wide grant), a hardened operator', () => {
    const c = k8sChart();
    new KeycloakOperator(c, 'op', props);
    const out = synthK8s(c);
    expect(out.filter((o) => o.kind === 'CustomResourceDefinition').map((o) => o.metadata.name)).toEqual([
      'keycloaks.k8s.keycloak.org',
      'keycloakrealmimports.k8s.keycloak.org',
    ]);
    expect(out.filter((o) => o.kind === 'ClusterRole' || o.kind === 'ClusterRoleBinding')).toEqual([]);
    // Every binding is in the operator's namespace, for its own account; the only cluster role bound is view.
    for (const b of out.filter((o) => o.kind === 'RoleBinding')) {
      expect(b.metadata.namespace).toBe('auth');
      expect(b.subjects).toEqual([{ kind: 'ServiceAccount', name: 'keycloak-operator', namespace: 'auth' }]);
      if (b.roleRef.kind === 'ClusterRole') expect(b.roleRef.name).toBe('view');
    }
    // Upstream's rules, unchanged: the Keycloak controller manages Services, Ingresses, Secrets of its namespace.
    const controller = only(out, 'Role', 'keycloakcontroller-cluster-role');
    expect(controller.rules.find((r: any) => r.resources.includes('keycloaks')).verbs).toContain('update');
    const d = only(out, 'Deployment');
    const container = d.spec.template.spec.containers[0];
    expect(container.image).toBe(props.image);
    expect(container.env).toContainEqual({ name: 'RELATED_IMAGE_KEYCLOAK', value: props.keycloakImage });
    expect(container.securityContext).toMatchObject({ readOnlyRootFilesystem: true, runAsNonRoot: true, allowPrivilegeEscalation: false });
    expect(d.spec.template.spec.securityContext.seccompProfile).toEqual({ type: 'RuntimeDefault' });
    expect(container.livenessProbe.httpGet.path).toBe('/q/health/live');
    for (const o of out) expect(o.metadata.annotations['argocd.argoproj.io/sync-wave']).toBe('-1');
    expect(FactRegistry.of(c).hasName('CRD group', KEYCLOAK_CRD_GROUP)).toBe(true);
  });

  it('rejects an operator image of another release than the vendored manifests', () => {
    expect(errorOf(() => new KeycloakOperator(k8sChart(), 'op', { ...props, image: 'quay.io/keycloak/keycloak-operator:26.1.0' }))).toMatch(
      /KeycloakOperator at test\/op: prop "image" is "quay.io\/keycloak\/keycloak-operator:26.1.0"; expected the keycloak-operator 26.0.0 image/,
    );
  });
});
