import { TempoOperator, tempoOperatorImages } from '../../../constructs/k8s/tempo-operator';
import { FactRegistry } from '../../../lib/core/facts/registry';
import { errorOf, k8sChart, only, synthK8s } from '../helpers';

function chart() {
  const c = k8sChart();
  FactRegistry.of(c).provideName('Namespace', 'monitoring', 'test');
  FactRegistry.of(c).provideName('CRD group', 'cert-manager.io', 'test');
  return c;
}

describe('TempoOperator', () => {
  it('installs the vendored release into the given namespace: every reference moved, nothing left in the upstream one', () => {
    const c = chart();
    new TempoOperator(c, 'op', { namespace: 'monitoring', syncWave: -6 });
    const objects = synthK8s(c);
    expect(JSON.stringify(objects)).not.toContain('tempo-operator-system');
    expect(objects.some((o) => o.kind === 'Namespace')).toBe(false);
    expect(only(objects, 'Certificate').spec.dnsNames).toEqual([
      'tempo-operator-webhook-service.monitoring.svc',
      'tempo-operator-webhook-service.monitoring.svc.cluster.local',
    ]);
    const validating = only(objects, 'ValidatingWebhookConfiguration');
    expect(validating.metadata.annotations['cert-manager.io/inject-ca-from']).toBe('monitoring/tempo-operator-serving-cert');
    expect(validating.webhooks.map((w: any) => w.clientConfig.service.namespace)).toEqual(['monitoring', 'monitoring']);
    expect(only(objects, 'ClusterRoleBinding', 'tempo-operator-manager-rolebinding').subjects).toEqual([
      { kind: 'ServiceAccount', name: 'tempo-operator-controller-manager', namespace: 'monitoring' },
    ]);
    // Every object in the operator's wave; the CRDs applied server-side.
    for (const o of objects) expect(o.metadata.annotations['argocd.argoproj.io/sync-wave']).toBe('-6');
    for (const crd of objects.filter((o) => o.kind === 'CustomResourceDefinition'))
      expect(crd.metadata.annotations['argocd.argoproj.io/sync-options']).toBe('ServerSideApply=true');
  });

  it('hardens the operator’s pod to the restricted profile, with limits and its probes’ port declared', () => {
    const c = chart();
    new TempoOperator(c, 'op', { namespace: 'monitoring', syncWave: -6, tempoImage: 'registry.lab.internal/docker.io/grafana/tempo:2.10.8' });
    const spec = only(synthK8s(c), 'Deployment').spec.template.spec;
    expect(spec.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 65532, seccompProfile: { type: 'RuntimeDefault' } });
    const container = spec.containers[0];
    expect(container.securityContext).toMatchObject({
      readOnlyRootFilesystem: true,
      allowPrivilegeEscalation: false,
      capabilities: { drop: ['ALL'] },
    });
    expect(container.resources.limits).toEqual({ cpu: '500m', memory: '512Mi' });
    expect(container.ports.map((p: any) => p.containerPort)).toEqual([9443, 8443, 8081]);
    expect(container.env.find((e: any) => e.name === 'RELATED_IMAGE_TEMPO').value).toBe('registry.lab.internal/docker.io/grafana/tempo:2.10.8');
    expect(container.image).toBe(tempoOperatorImages().operator);
    expect(tempoOperatorImages()).toEqual({
      operator: 'ghcr.io/grafana/tempo-operator/tempo-operator:v0.22.0',
      tempo: 'docker.io/grafana/tempo:2.10.8',
    });
  });

  it('declares its API calls and the API server’s calls to its webhooks, and provides the CRD group', () => {
    const c = chart();
    const op = new TempoOperator(c, 'op', { namespace: 'monitoring', syncWave: -6 });
    const flows = FactRegistry.of(c)
      .connections()
      .map(
        ({ connection: x }) =>
          `${x.from.kind === 'workload' ? x.from.name : x.from.kind} -> ${x.to.kind === 'workload' ? x.to.name : x.to.kind}:${x.ports.map((p) => p.port)}`,
      );
    expect(flows).toEqual(['monitoring/tempo-operator -> api-server:', 'api-server -> monitoring/tempo-operator:9443']);
    expect(op.peer.podLabels).toMatchObject({ 'app.kubernetes.io/name': 'tempo-operator', 'control-plane': 'controller-manager' });
    expect(FactRegistry.of(c).hasName('CRD group', 'tempo.grafana.com')).toBe(true);
  });

  it('needs a declared namespace and cert-manager', () => {
    expect(errorOf(() => new TempoOperator(chart(), 'op', { namespace: 'Monitoring', syncWave: -6 }))).toMatch(
      /prop "namespace" is "Monitoring"; expected a DNS label/,
    );
    expect(errorOf(() => new TempoOperator(k8sChart(), 'op', { namespace: 'monitoring', syncWave: -6 }))).toMatch(/needs Namespace "monitoring"/);
  });
});
