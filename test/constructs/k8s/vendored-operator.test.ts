import * as fs from 'fs';
import * as path from 'path';
import { parseAllDocuments } from 'yaml';
import { VendoredOperator, operatorImages, operatorPeer } from '../../../constructs/k8s/vendored-operator';
import { FactRegistry } from '../../../lib/core/facts/registry';
import { REPO_ROOT } from '../../helpers';
import { errorOf, k8sChart, only, synthK8s } from '../helpers';

/** Loki's release: its upstream namespace is also the prefix of every name, the case a plain rename breaks. */
const release = {
  name: 'loki-operator',
  manifest: path.join(REPO_ROOT, 'vendor', 'loki-operator-0.11.0', 'install.yaml'),
  upstreamNamespace: 'loki-operator',
  crdGroup: 'loki.grafana.com',
  uid: 65532,
  reconciles: 'LokiStacks',
};

function chart() {
  const c = k8sChart();
  FactRegistry.of(c).provideName('Namespace', 'monitoring', 'test');
  FactRegistry.of(c).provideName('CRD group', 'cert-manager.io', 'test');
  return c;
}

describe('VendoredOperator', () => {
  it('moves namespace references only: fields, <namespace>/<name> references and service DNS names; names keep their prefix', () => {
    const c = chart();
    new VendoredOperator(c, 'op', release, { namespace: 'monitoring', syncWave: -6 });
    const objects = synthK8s(c);
    for (const o of objects.filter((x) => x.metadata.namespace)) expect(o.metadata.namespace).toBe('monitoring');
    expect(only(objects, 'Deployment').metadata.name).toBe('loki-operator-controller-manager');
    expect(only(objects, 'Certificate').spec.dnsNames).toEqual([
      'loki-operator-webhook-service.monitoring.svc',
      'loki-operator-webhook-service.monitoring.svc.cluster.local',
    ]);
    const webhook = only(objects, 'ValidatingWebhookConfiguration');
    expect(webhook.metadata.annotations['cert-manager.io/inject-ca-from']).toBe('monitoring/loki-operator-serving-cert');
    expect(new Set(webhook.webhooks.map((w: any) => `${w.clientConfig.service.namespace}/${w.clientConfig.service.name}`))).toEqual(
      new Set(['monitoring/loki-operator-webhook-service']),
    );
    // The operator's own ServiceAccounts moved; the OpenShift monitoring grant upstream ships stays as it is.
    const subjects = objects.filter((o) => o.kind.endsWith('RoleBinding')).flatMap((b) => b.subjects);
    for (const subject of subjects.filter((x: any) => x.name.startsWith('loki-operator-'))) expect(subject.namespace).toBe('monitoring');
    expect(subjects.filter((x: any) => !x.name.startsWith('loki-operator-')).map((x: any) => x.namespace)).toEqual(['openshift-monitoring']);
  });

  it('replaces the images the operator starts, by variable, and rejects a variable it does not have', () => {
    const c = chart();
    new VendoredOperator(c, 'op', release, {
      namespace: 'monitoring',
      syncWave: -6,
      relatedImages: { RELATED_IMAGE_LOKI: 'mirror.example/loki:3.7.3' },
    });
    const env = only(synthK8s(c), 'Deployment').spec.template.spec.containers[0].env;
    expect(env.find((e: any) => e.name === 'RELATED_IMAGE_LOKI').value).toBe('mirror.example/loki:3.7.3');
    expect(operatorImages(release).related.RELATED_IMAGE_LOKI).toBe('docker.io/grafana/loki:3.7.3');
    expect(
      errorOf(
        () => new VendoredOperator(chart(), 'op', release, { namespace: 'monitoring', syncWave: -6, relatedImages: { RELATED_IMAGE_TEMPO: 'x' } }),
      ),
    ).toContain('prop "relatedImages.RELATED_IMAGE_TEMPO"');
  });

  it('applies the release’s own configuration to its documents, and refuses to install into the upstream namespace', () => {
    const c = chart();
    const configure = (doc: any) =>
      doc.kind === 'Service' ? { ...doc, metadata: { ...doc.metadata, labels: { ...doc.metadata.labels, configured: 'yes' } } } : doc;
    new VendoredOperator(c, 'op', { ...release, configure }, { namespace: 'monitoring', syncWave: -6 });
    for (const svc of synthK8s(c).filter((o) => o.kind === 'Service')) expect(svc.metadata.labels.configured).toBe('yes');
    expect(errorOf(() => new VendoredOperator(chart(), 'op', release, { namespace: 'loki-operator', syncWave: -6 }))).toContain(
      'prop "namespace" is "loki-operator"; expected a declared namespace of the platform, not the upstream "loki-operator"',
    );
    expect(operatorPeer(release, 'monitoring').podLabels).toMatchObject({ name: 'loki-operator-controller-manager' });
  });

  it('loads the build’s JSON of each vendored manifest, which holds exactly the YAML’s documents', () => {
    for (const dir of ['loki-operator-0.11.0', 'tempo-operator-0.22.0']) {
      const yaml = path.join(REPO_ROOT, 'vendor', dir, 'install.yaml');
      const json = path.join(REPO_ROOT, 'build', 'vendor', dir, 'install.json');
      const parsed = parseAllDocuments(fs.readFileSync(yaml, 'utf8'))
        .map((d) => d.toJS())
        .filter(Boolean);
      expect(JSON.parse(fs.readFileSync(json, 'utf8'))).toEqual(parsed);
    }
  });
});
