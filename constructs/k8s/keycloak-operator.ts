import * as path from 'path';
import { Construct } from 'constructs';
import { ManifestDoc, vendoredManifest } from './vendored-manifest';
import { ApiObject, k8s } from '../../lib/core/facade/k8s';
import { FactRegistry } from '../../lib/core/facts/registry';
import { SYNC_WAVE_ANNOTATION } from '../../lib/core/facts/waves';
import { WorkloadPeer, workloadPeer } from '../../lib/core/facts/connections';
import { REPO_ROOT } from '../../lib/core/paths';
import { HARDENED_CONTAINER, hardenedPod } from './container-defaults';
import { propError } from '../props';

/** The operator release whose manifests (and CRDs, in imports/) Parity vendors. */
export const KEYCLOAK_OPERATOR_RELEASE = '26.0.0';
const VENDORED = path.join(REPO_ROOT, 'vendor', `keycloak-operator-${KEYCLOAK_OPERATOR_RELEASE}`);
const MANIFEST = path.join(VENDORED, 'kubernetes.yml');
/** The release's CRDs (keycloak-k8s-resources, kubernetes/*-v1.yml, renamed <group>_<plural>.yaml). */
const CRD_FILES = ['k8s.keycloak.org_keycloaks.yaml', 'k8s.keycloak.org_keycloakrealmimports.yaml'];
export const KEYCLOAK_CRD_GROUP = 'k8s.keycloak.org';

type Doc = ManifestDoc;
/** The upstream install manifest (kubernetes.yml of keycloak/keycloak-k8s-resources at the release tag). */
const upstream = (): Doc[] => vendoredManifest(MANIFEST);
/**
 * The CRD documents, loaded once per process from the JSON the build converts them to: they are large
 * (a whole pod template each), and parsing their YAML took a quarter of a second of every synth.
 */
const crds = (): Doc[] => CRD_FILES.flatMap((file) => vendoredManifest(path.join(VENDORED, file)));
const upstreamOf = (kind: string, name: string): Doc => {
  const d = upstream().find((x) => x.kind === kind && x.metadata.name === name);
  if (!d) throw new Error(`${MANIFEST} has no ${kind} ${name}`);
  return d;
};

export interface KeycloakOperatorProps {
  readonly namespace: string;
  /** The operator's image (quay.io/keycloak/keycloak-operator at the vendored release). */
  readonly image: string;
  /** The Keycloak server image it runs for every Keycloak resource (RELATED_IMAGE_KEYCLOAK). */
  readonly keycloakImage: string;
  /** Argo CD sync wave: before the Keycloak resources it reconciles. */
  readonly syncWave: number;
}

/**
 * The Keycloak operator, watching only its own namespace, installed from the vendored upstream manifest
 * with its rules unchanged, but least privilege and hardening applied: the cluster roles it binds inside
 * its namespace become namespaced Roles (the only cluster-wide grant upstream, OpenShift's ingress
 * config, is dropped), and its pod runs non-root, read-only, with no capabilities.
 */
export class KeycloakOperator extends Construct {
  /** The operator's pods. */
  readonly peer: WorkloadPeer;

  constructor(scope: Construct, id: string, props: KeycloakOperatorProps) {
    super(scope, id);
    if (!props.image.includes(`:${KEYCLOAK_OPERATOR_RELEASE}`))
      throw propError(this, 'image', props.image, `the keycloak-operator ${KEYCLOAK_OPERATOR_RELEASE} image whose manifests and CRDs are vendored`);
    const ns = props.namespace;
    const meta = (name: string) => ({ name, namespace: ns, annotations: { [SYNC_WAVE_ANNOTATION]: String(props.syncWave) } });
    // The CRDs first (an operator release and its CRDs move together): cluster-wide, so one Keycloak
    // operator per environment owns them.
    for (const crd of crds()) {
      new ApiObject(this, `crd-${crd.metadata.name}`, {
        ...crd,
        metadata: {
          ...crd.metadata,
          annotations: { [SYNC_WAVE_ANNOTATION]: String(props.syncWave), 'argocd.argoproj.io/sync-options': 'ServerSideApply=true' },
        },
      });
    }
    FactRegistry.of(this).provideName('CRD group', KEYCLOAK_CRD_GROUP, this.node.path);
    const deployment = upstreamOf('Deployment', 'keycloak-operator');
    const sa = deployment.spec.template.spec.serviceAccountName;
    const labels = deployment.spec.selector.matchLabels as Record<string, string>;
    this.peer = workloadPeer(ns, 'keycloak-operator', labels);

    new k8s.KubeServiceAccount(this, 'service-account', { metadata: meta(sa), automountServiceAccountToken: true });
    // Every role upstream binds inside the operator's namespace, as a namespaced Role with the same rules.
    const bindings = upstream().filter((d) => d.kind === 'RoleBinding' && d.roleRef.name !== 'view');
    for (const b of bindings) {
      const role = upstreamOf(b.roleRef.kind, b.roleRef.name);
      new k8s.KubeRole(this, `role-${role.metadata.name}`, { metadata: meta(role.metadata.name), rules: role.rules });
      new k8s.KubeRoleBinding(this, `binding-${b.metadata.name}`, {
        metadata: meta(b.metadata.name),
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: role.metadata.name },
        subjects: [{ kind: 'ServiceAccount', name: sa, namespace: ns }],
      });
    }
    const view = upstreamOf('RoleBinding', 'keycloak-operator-view');
    new k8s.KubeRoleBinding(this, 'binding-view', {
      metadata: meta(view.metadata.name),
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'view' },
      subjects: [{ kind: 'ServiceAccount', name: sa, namespace: ns }],
    });

    const c = deployment.spec.template.spec.containers[0];
    const probe = (p: Doc): k8s.Probe => ({ ...p, httpGet: { ...p.httpGet, port: k8s.IntOrString.fromNumber(p.httpGet.port) } });
    new k8s.KubeDeployment(this, 'deployment', {
      metadata: { ...meta(deployment.metadata.name), labels },
      spec: {
        replicas: 1,
        selector: { matchLabels: labels },
        template: {
          metadata: { labels },
          spec: {
            serviceAccountName: sa,
            securityContext: hardenedPod(1000),
            containers: [
              {
                name: c.name,
                image: props.image,
                imagePullPolicy: 'IfNotPresent',
                env: c.env.map((e: Doc) => (e.name === 'RELATED_IMAGE_KEYCLOAK' ? { name: e.name, value: props.keycloakImage } : e)),
                ports: c.ports,
                livenessProbe: probe(c.livenessProbe),
                readinessProbe: probe(c.readinessProbe),
                startupProbe: probe(c.startupProbe),
                resources: {
                  requests: { cpu: k8s.Quantity.fromString(c.resources.requests.cpu), memory: k8s.Quantity.fromString(c.resources.requests.memory) },
                  limits: { cpu: k8s.Quantity.fromString(c.resources.limits.cpu), memory: k8s.Quantity.fromString(c.resources.limits.memory) },
                },
                securityContext: HARDENED_CONTAINER,
                volumeMounts: [{ name: 'tmp', mountPath: '/tmp' }],
              },
            ],
            volumes: [{ name: 'tmp', emptyDir: {} }],
          },
        },
      },
    });
    const by = this.node.path;
    FactRegistry.of(this).connect({ from: this.peer, to: { kind: 'api-server' }, ports: [], purpose: 'reconciles Keycloak resources' }, by);
  }
}
