import { LokiOperator, lokiOperatorImages, lokiOperatorPeer } from '../../../constructs/k8s/loki-operator';
import { FactRegistry } from '../../../lib/core/facts/registry';
import { k8sChart, only, synthK8s } from '../helpers';

function chart() {
  const c = k8sChart();
  FactRegistry.of(c).provideName('Namespace', 'monitoring', 'test');
  FactRegistry.of(c).provideName('CRD group', 'cert-manager.io', 'test');
  return c;
}

describe('LokiOperator', () => {
  it('mounts the serving certificate its cert-manager Certificate writes (the community overlay names OpenShift’s)', () => {
    const c = chart();
    new LokiOperator(c, 'op', { namespace: 'monitoring', syncWave: -6 });
    const objects = synthK8s(c);
    const certificate = only(objects, 'Certificate');
    const volumes = only(objects, 'Deployment').spec.template.spec.volumes;
    expect(volumes.find((v: any) => v.name === 'webhook-cert').secret.secretName).toBe(certificate.spec.secretName);
    expect(certificate.spec.secretName).toBe('loki-operator-webhook-server-cert');
  });

  it('runs without the lokistack gateway and with Loki’s pods at the restricted Pod Security profile', () => {
    const c = chart();
    new LokiOperator(c, 'op', { namespace: 'monitoring', syncWave: -6 });
    const config: string = only(synthK8s(c), 'ConfigMap').data['controller_manager_config.yaml'];
    expect(config).toContain('lokiStackGateway: false');
    expect(config).toContain('restrictedPodSecurityStandard: true');
    expect(config).not.toMatch(/lokiStackGateway: true|restrictedPodSecurityStandard: false/);
    // The webhooks stay on: a LokiStack is validated at admission.
    expect(config).toContain('lokiStackWebhook: true');
  });

  it('runs the release bundle’s operator image, hardened, and starts the mirror’s Loki where one is given', () => {
    const c = chart();
    new LokiOperator(c, 'op', { namespace: 'monitoring', syncWave: -6, lokiImage: 'registry.lab.internal/docker.io/grafana/loki:3.7.3' });
    const deployment = only(synthK8s(c), 'Deployment');
    const container = deployment.spec.template.spec.containers[0];
    expect(lokiOperatorImages()).toEqual({ operator: 'docker.io/grafana/loki-operator:0.11.0', loki: 'docker.io/grafana/loki:3.7.3' });
    expect(container.image).toBe('docker.io/grafana/loki-operator:0.11.0');
    expect(container.env.find((e: any) => e.name === 'RELATED_IMAGE_LOKI').value).toBe('registry.lab.internal/docker.io/grafana/loki:3.7.3');
    expect(deployment.spec.template.spec.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 65532 });
    expect(container.securityContext).toMatchObject({ readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } });
    expect(lokiOperatorPeer('monitoring').podLabels).toEqual(deployment.spec.selector.matchLabels);
  });
});
