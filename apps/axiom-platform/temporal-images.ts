import { ChartImageTable, whenAll } from '../../lib/core/charts/chart-images';

/** Images of Temporal's chart 0.52.0 by slot: the server's four services, the admin tools (off), the web UI. */
export const TEMPORAL_IMAGES: ChartImageTable = {
  'server.image': { deployed: whenAll('server.enabled') },
  'admintools.image': { deployed: whenAll('admintools.enabled') },
  'web.image': { deployed: whenAll('web.enabled') },
  // Subcharts the chart bundles for a self-contained demo; none is vendored, so enabling one is refused.
  'subchart:cassandra': { deployed: whenAll('cassandra.enabled') },
  'subchart:elasticsearch': { deployed: whenAll('elasticsearch.enabled') },
  'subchart:prometheus': { deployed: whenAll('prometheus.enabled') },
  'subchart:grafana': { deployed: whenAll('grafana.enabled') },
};
