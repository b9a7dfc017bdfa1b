import { synthesizeAll } from '../lib/pipeline/synth/pipeline';
import { examples, fixture, manifests, messageOf } from './helpers';

const of = (env: string) => manifests(examples(), env);

describe('Tempo through its operator (add-on tempo-operator)', () => {
  it('runs on the Axiom environments and on the client site; the digest-pinned AKS environment keeps the chart', () => {
    for (const env of ['dev', 'axiom-prod', 'onprem']) {
      expect(
        of(env)
          .filter((o) => o.kind === 'TempoMonolithic')
          .map((o) => `${o.metadata.namespace}/${o.metadata.name}`),
      ).toEqual(['monitoring/traces']);
      expect(of(env).some((o) => o.kind === 'Application' && o.metadata.name === 'tempo')).toBe(false);
    }
    expect(of('prod').some((o) => o.kind === 'Application' && o.metadata.name === 'tempo')).toBe(true);
    expect(of('prod').some((o) => o.kind === 'TempoMonolithic')).toBe(false);
  });

  it('its endpoints are the ones the collector exports to and Grafana queries, and the traces volume is the environment’s class', () => {
    const collector = of('dev').find((o) => o.kind === 'Application' && o.metadata.name === 'opentelemetry-collector').spec.source.helm.valuesObject;
    expect(collector.config.exporters['otlp/tempo'].endpoint).toBe('tempo-traces.monitoring.svc:4317');
    const tempo = of('dev').find((o) => o.kind === 'GrafanaDatasource' && o.spec.datasource.uid === 'tempo');
    expect(tempo.spec.datasource.url).toBe('http://tempo-traces.monitoring.svc:3200');
    expect(of('dev').find((o) => o.kind === 'TempoMonolithic').spec.storage.traces.storageClassName).toBe('gp3');
    expect(of('onprem').find((o) => o.kind === 'TempoMonolithic').spec.storage.traces.storageClassName).toBe('ceph-block');
    // The collector's pods may reach Tempo's pods, which the operator labels.
    const policy = of('dev').find((o) => o.kind === 'NetworkPolicy' && o.metadata.name === 'tempo-traces-connections');
    expect(policy.spec.podSelector.matchLabels).toMatchObject({
      'app.kubernetes.io/name': 'tempo-monolithic',
      'app.kubernetes.io/instance': 'traces',
    });
    expect(JSON.stringify(policy.spec.ingress)).toContain('opentelemetry-collector');
  });

  it('air-gapped: the operator and the Tempo it starts come from the mirror', () => {
    const deployment = of('onprem').find((o) => o.kind === 'Deployment' && o.metadata.name === 'tempo-operator-controller');
    const c = deployment.spec.template.spec.containers[0];
    expect(c.image).toBe('registry.lab.internal/ghcr.io/grafana/tempo-operator/tempo-operator:v0.22.0');
    expect(c.env.find((e: any) => e.name === 'RELATED_IMAGE_TEMPO').value).toBe('registry.lab.internal/docker.io/grafana/tempo:2.10.8');
    const images = examples().files.get('onprem/images.txt')!;
    expect(images).toContain('docker.io/grafana/tempo:2.10.8 registry.lab.internal/docker.io/grafana/tempo:2.10.8');
    expect(images).toContain(
      'ghcr.io/grafana/tempo-operator/tempo-operator:v0.22.0 registry.lab.internal/ghcr.io/grafana/tempo-operator/tempo-operator:v0.22.0',
    );
  });

  it('is an alternative to the tempo chart: choosing both is a clear error', () => {
    const both = fixture('dev', (e) => e.addons.push('tempo'));
    expect(messageOf(() => synthesizeAll({ environmentsDir: both }))).toContain(
      'expected not both tempo-operator and tempo: they are alternatives (one of them)',
    );
  });
});
