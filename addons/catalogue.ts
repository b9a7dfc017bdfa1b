import { PlatformAddOn } from '../contracts/addon';
import { actionsRunnerController } from './ci';
import { argoCd, certManager, ingressNginx, metricsServer } from './core';
import { cloudnativePg, velero } from './data';
import { externalDns } from './dns';
import { gateway } from './gateway';
import { nvidiaGpuSupport } from './gpu';
import { grafanaOperator } from './grafana';
import { tailscaleOperator } from './networking';
import { alloy, kubePrometheusStack, loki, openTelemetryCollector, tempo } from './observability';
import { redisOperator } from './redis';
import { tempoOperator } from './tempo-operator';
import { lokiOperator } from './loki-operator';
import { externalSecrets, reloader } from './secrets';
import { vault } from './vault';

/** Every add-on an environment can list by id; substrate-only add-ons come from the substrate. */
export const ADD_ONS: ReadonlyArray<PlatformAddOn> = [
  argoCd,
  certManager,
  ingressNginx,
  gateway,
  externalDns,
  metricsServer,
  externalSecrets,
  reloader,
  vault,
  tailscaleOperator,
  nvidiaGpuSupport,
  kubePrometheusStack,
  grafanaOperator,
  loki,
  lokiOperator,
  tempo,
  tempoOperator,
  openTelemetryCollector,
  alloy,
  cloudnativePg,
  redisOperator,
  actionsRunnerController,
  velero,
];

export const ADD_ON_CATALOGUE: ReadonlyMap<string, PlatformAddOn> = new Map(ADD_ONS.map((a) => [a.id, a]));
