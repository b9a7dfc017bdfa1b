import { mirroredImage } from '../constructs/image';
import { ReplicatedRedis } from '../constructs/k8s/replicated-redis';
import { Chart } from '../lib/core/facade/k8s';
import { ChartFacts } from '../lib/core/facts/chart-facts';
import { WAVES } from '../lib/core/facts/waves';
import { ImageConfig, imageRef } from '../lib/core/model/primitives';
import type { AppContext } from '../contracts/app';

/** An app config with its own Redis's images (OPERATOR_REDIS_IMAGES). */
interface RedisApp {
  readonly namespace: string;
  readonly images: { readonly redis: ImageConfig; readonly redisSentinel: ImageConfig; readonly redisExporter: ImageConfig };
}

/**
 * An app's own Redis (see OPERATOR_REDIS_IMAGES): replication with Sentinel failover on the
 * redis-operator add-on, on the environment's default StorageClass, its password a Secret Vault
 * generates. The images are operator settings, not pod templates here, so they are pointed at the
 * environment's mirror by hand.
 */
export function ownRedis(chart: Chart, cfg: RedisApp, ctx: AppContext, password: { readonly secret: string; readonly key: string }): ReplicatedRedis {
  const mirror = ctx.env.registryMirror;
  const operand = (image: ImageConfig) => (mirror ? mirroredImage(imageRef(image), mirror) : imageRef(image));
  return new ReplicatedRedis(chart, 'redis', {
    name: 'redis',
    namespace: cfg.namespace,
    image: operand(cfg.images.redis),
    sentinelImage: operand(cfg.images.redisSentinel),
    exporterImage: operand(cfg.images.redisExporter),
    password,
    storageSize: '5Gi',
    storageClass: ctx.traits.defaultStorageClass,
    syncWave: WAVES.appServices,
  });
}

/** The operator's Redis and Sentinel pods' images (for the mirror list and the rehearsal), as chart facts of the app. */
export function ownRedisChartFacts(cfg: RedisApp): { application: string; facts: ChartFacts } {
  const { redis, redisSentinel, redisExporter } = cfg.images;
  return { application: `redis-${cfg.namespace}`, facts: { images: [redis, redisSentinel, redisExporter].map(imageRef) } };
}
