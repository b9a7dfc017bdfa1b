/**
 * Argo CD sync waves by name. The root Application applies lower waves first and waits for every
 * object of a wave to be healthy before the next, so each phase names what it needs to exist already.
 * Numbers live here only; modules ask for a phase.
 */
export const WAVES = {
  /** Namespaces (with Pod Security labels), quotas, limit ranges, NetworkPolicies: before anything lives in them. */
  namespaces: -40,
  /** Static secrets from Git (SOPS): in their namespaces, before anything reads them. */
  staticSecrets: -35,
  /** The CNI on bare metal: nothing schedules without it. */
  cni: -30,
  /** Argo CD managing itself. */
  argoCd: -20,
  /** Storage operators, then storage classes. */
  storageOperator: -15,
  storage: -14,
  /** cert-manager: the internal CA and every Certificate depend on it. */
  certManager: -10,
  issuers: -9,
  internalCa: -8,
  /** External Secrets Operator. */
  secretsOperator: -8,
  /** Vault (needs its serving certificate from the internal CA). */
  vault: -7,
  /** Operators whose custom resources the apps use (CloudNativePG, Tailscale). */
  operators: -6,
  /** Ingress, GPU enablement, metrics. */
  clusterServices: -5,
  /** The Gateway, its class and certificate: after the add-on whose chart installs the Gateway API CRDs. */
  gateway: -4,
  /** Observability backends. */
  monitoring: -4,
  /** The internal ingress gateway of private access, after the ingress controllers of the cluster. */
  internalGateway: -4,
  observabilityBackends: -3,
  /** Node provisioning custom resources (after their controller). */
  nodeProvisioning: -2,
  /** Collectors and backups that send to the backends. */
  collectors: -2,
  /** App secret stores and ExternalSecrets: before the workloads that read them. */
  appSecrets: -1,
  /** Application data stores. */
  appData: 0,
  /** Services an app depends on (caches, object stores, workflow engines, model servers), and the app itself when it has no migration. */
  appServices: 1,
  /** Schema migrations run as wave Jobs, once the databases are up. */
  appMigrations: 2,
  /** What serves after its migrations: the app's API or UI on a migrated schema. */
  appServing: 3,
} as const;

export type WaveName = keyof typeof WAVES;

export const SYNC_WAVE_ANNOTATION = 'argocd.argoproj.io/sync-wave';

export function waveAnnotation(phase: WaveName): Record<string, string> {
  return { [SYNC_WAVE_ANNOTATION]: String(WAVES[phase]) };
}

/** Label of namespaces the platform creates for its add-ons (not declared by the environment). */
export const PLATFORM_TIER_LABEL = 'parity.dev/tier';
