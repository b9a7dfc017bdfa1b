import { TempoOperator, tempoOperatorImages, tempoOperatorPeer } from '../constructs/k8s/tempo-operator';
import { TEMPO_PORTS, TempoInstance, tempoInstanceEndpoints } from '../constructs/k8s/tempo-instance';
import { mirroredImage } from '../constructs/image';
import { connectTo, serviceUrl } from '../lib/core/facts/connections';
import { WAVES } from '../lib/core/facts/waves';
import type { PlatformAddOn } from '../contracts/addon';

/** The operator runs next to what it manages: monitoring is a declared namespace (quota, default-deny). */
const NS = 'monitoring';
/** The TempoMonolithic; the operator serves it as `tempo-traces`. */
const TEMPO_NAME = 'traces';
const BY = 'add-on tempo-operator';

/**
 * Traces through Grafana's Tempo operator (the Axiom design: the Grafana Labs operators run the
 * observability stack): the operator from its vendored release manifest (admission webhooks served
 * with a cert-manager certificate), and one TempoMonolithic with its traces on a persistent volume for
 * 30 days, OTLP in, and span metrics and the service graph written to Prometheus. It provides what the
 * `tempo` chart add-on provides, under the same fact keys, so the two are alternatives.
 */
export const tempoOperator: PlatformAddOn = {
  id: 'tempo-operator',
  description: 'Distributed tracing: Tempo through its operator (TempoMonolithic)',
  namespace: NS,
  syncWave: WAVES.observabilityBackends,
  requires: ['cert-manager', 'kube-prometheus-stack'],
  conflictsWith: ['tempo'],
  // Tempo's image is started by the operator (RELATED_IMAGE_TEMPO): the mirror must hold it too.
  chartFacts: () => ({ images: [tempoOperatorImages().tempo] }),
  publish: (facts) => {
    const tempo = tempoInstanceEndpoints(NS, TEMPO_NAME);
    facts.provideWorkload('tempo-operator', tempoOperatorPeer(NS), BY);
    facts.provideEndpoint('tempo-otlp-grpc', tempo.otlpGrpc, BY);
    facts.provideEndpoint('tempo-http', tempo.http, BY);
  },
  connect: (facts) => {
    const { peer } = tempoInstanceEndpoints(NS, TEMPO_NAME);
    facts.connect(connectTo(peer, facts.endpoint('prometheus-remote-write', BY), 'span metrics (remote write)'), BY);
    facts.scrape(peer, TEMPO_PORTS.http, BY);
    if (facts.hasWorkload('grafana')) facts.connect(connectTo(facts.workload('grafana', BY), facts.endpoint('tempo-http', BY), 'queries traces'), BY);
  },
  install: (chart, { env, traits, facts }) => {
    const tempoImage = tempoOperatorImages().tempo;
    new TempoOperator(chart, 'tempo-operator', {
      namespace: NS,
      syncWave: WAVES.operators,
      tempoImage: env.registryMirror ? mirroredImage(tempoImage, env.registryMirror) : undefined,
    });
    new TempoInstance(chart, 'tempo', {
      name: TEMPO_NAME,
      namespace: NS,
      storageSize: '20Gi',
      storageClass: traits.defaultStorageClass,
      metricsRemoteWriteUrl: serviceUrl(facts.endpoint('prometheus-remote-write', BY), 'http', '/api/v1/write'),
      syncWave: WAVES.observabilityBackends,
    });
  },
};
