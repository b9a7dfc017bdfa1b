import { LokiOperator, lokiOperatorImages, lokiOperatorPeer } from '../constructs/k8s/loki-operator';
import { LokiInstance, lokiInstanceEndpoints } from '../constructs/k8s/loki-instance';
import { mirroredImage } from '../constructs/image';
import { connectTo } from '../lib/core/facts/connections';
import { WAVES } from '../lib/core/facts/waves';
import type { AddOnContext, PlatformAddOn } from '../contracts/addon';
import type { InfrastructureBoundObject } from '../contracts/identity';
import type { WorkloadBucketAccess } from '../contracts/platform';
import type { Environment } from '../lib/core/model/schema';

/** The operator runs next to what it manages: monitoring is a declared namespace (quota, default-deny). */
const NS = 'monitoring';
/** The LokiStack; its pods run as the ServiceAccount of the same name (the operator's). */
const LOKI_NAME = 'logs';
/** The one tenant the platform's clients write and read (the collector, Alloy, Grafana). */
const TENANT = 'platform';
/** The operator's object storage Secret, written by the bootstrap stack (it names the role). */
const STORAGE_SECRET = 'logs-object-storage';
/** The cloud identity of Loki's pods and its bucket, created by the cluster stack. */
const IDENTITY = 'loki-logs';
const BY = 'add-on loki-operator';

const bucketName = (env: Environment) => `${env.cluster.name}-logs`;

/** Where the substrate's workload buckets are reached; validation has refused substrates without them. */
function bucketsOf({ env, workloadBuckets }: AddOnContext): WorkloadBucketAccess {
  if (!workloadBuckets) throw new Error(`environment ${env.name}: add-on loki-operator needs a substrate that creates workload buckets`);
  return workloadBuckets;
}

/**
 * The operator's S3 Secret for token sign-in: bucket and region, and the role the pods assume with
 * their ServiceAccount token, known once the cluster stack has applied (the bootstrap stack writes it).
 */
function storageSecret(ctx: AddOnContext): InfrastructureBoundObject {
  const { env } = ctx;
  const workloadBuckets = bucketsOf(ctx);
  return {
    manifest: {
      apiVersion: 'v1',
      kind: 'Secret',
      type: 'Opaque',
      metadata: { name: STORAGE_SECRET, namespace: NS, labels: { 'app.kubernetes.io/part-of': 'loki' } },
      stringData: { bucketnames: bucketName(env), region: workloadBuckets.region, role_arn: '' },
    },
    clientIds: [{ path: ['stringData', 'role_arn'], identity: IDENTITY }],
    requestedBy: BY,
  };
}

/**
 * Logs through Grafana's Loki operator (the Axiom design: the Grafana Labs operators run the
 * observability stack): the operator from its vendored release manifest, and one LokiStack whose
 * chunks and index live in a bucket the cluster stack creates, signed in to by web identity (no key
 * anywhere), 30 days retention. Production environments get the operator's `1x.pico` size (three
 * ingesters, replication factor 2), the others `1x.demo`. It provides what the `loki` chart add-on
 * provides, under the same fact keys (with the tenant header), so the two are alternatives.
 */
export const lokiOperator: PlatformAddOn = {
  id: 'loki-operator',
  description: 'Log storage: Loki through its operator (LokiStack on object storage)',
  namespace: NS,
  syncWave: WAVES.observabilityBackends,
  requires: ['cert-manager', 'kube-prometheus-stack'],
  conflictsWith: ['loki'],
  // Loki's image is started by the operator (RELATED_IMAGE_LOKI): a mirror must hold it too.
  chartFacts: () => ({ images: [lokiOperatorImages().loki] }),
  workloadIdentities: (env) => [{ id: IDENTITY, namespace: NS, serviceAccounts: [LOKI_NAME], bucket: { name: bucketName(env) }, requestedBy: BY }],
  infrastructureBound: (ctx) => [storageSecret(ctx)],
  publish: (facts) => {
    const loki = lokiInstanceEndpoints(NS, LOKI_NAME, TENANT);
    facts.provideWorkload('loki-operator', lokiOperatorPeer(NS), BY);
    facts.provideEndpoint('loki-push', loki.push, BY);
    facts.provideEndpoint('loki-query', loki.query, BY);
  },
  connect: (facts) => {
    if (facts.hasWorkload('grafana')) facts.connect(connectTo(facts.workload('grafana', BY), facts.endpoint('loki-query', BY), 'queries logs'), BY);
  },
  install: (chart, ctx) => {
    const { env, traits } = ctx;
    const workloadBuckets = bucketsOf(ctx);
    const lokiImage = lokiOperatorImages().loki;
    new LokiOperator(chart, 'loki-operator', {
      namespace: NS,
      syncWave: WAVES.operators,
      lokiImage: env.registryMirror ? mirroredImage(lokiImage, env.registryMirror) : undefined,
    });
    new LokiInstance(chart, 'loki', {
      name: LOKI_NAME,
      namespace: NS,
      size: env.production ? '1x.pico' : '1x.demo',
      storage: { secret: STORAGE_SECRET, credentialMode: 'token' },
      objectStoreHosts: [workloadBuckets.endpoint, workloadBuckets.tokenEndpoint],
      storageClass: traits.defaultStorageClass,
      tenant: TENANT,
      syncWave: WAVES.observabilityBackends,
    });
  },
};
