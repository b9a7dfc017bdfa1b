import { K8sObject } from '../../core/k8s-objects';

/**
 * When each object of the root Application is applied, as gitops-engine orders a sync: PreSync hooks,
 * then Sync by wave (lower first, each wave healthy before the next), within a wave by kind (its
 * kind order: namespaces first, unknown kinds, i.e. custom resources, last), then PostSync.
 */
export const KIND_ORDER: ReadonlyArray<string> = [
  'Namespace',
  'NetworkPolicy',
  'ResourceQuota',
  'LimitRange',
  'PodSecurityPolicy',
  'PodDisruptionBudget',
  'ServiceAccount',
  'Secret',
  'SecretList',
  'ConfigMap',
  'StorageClass',
  'PersistentVolume',
  'PersistentVolumeClaim',
  'CustomResourceDefinition',
  'ClusterRole',
  'ClusterRoleList',
  'ClusterRoleBinding',
  'ClusterRoleBindingList',
  'Role',
  'RoleList',
  'RoleBinding',
  'RoleBindingList',
  'Service',
  'DaemonSet',
  'Pod',
  'ReplicationController',
  'ReplicaSet',
  'Deployment',
  'HorizontalPodAutoscaler',
  'StatefulSet',
  'Job',
  'CronJob',
  'IngressClass',
  'Ingress',
  'APIService',
];

export const PHASES = ['PreSync', 'Sync', 'PostSync'] as const;
export type Phase = (typeof PHASES)[number];

/** A point of the first sync; compare with `<`. Before anything: -Infinity; never within the sync: Infinity. */
export type Time = number;
export const BEFORE_SYNC: Time = -Infinity;
export const NEVER: Time = Infinity;

const kindIndex = (kind: string) => {
  const i = KIND_ORDER.indexOf(kind);
  return i < 0 ? KIND_ORDER.length : i;
};

export function phaseOf(o: K8sObject): Phase {
  const hook = o.metadata.annotations?.['argocd.argoproj.io/hook'] ?? helmHook(o);
  return hook === 'PreSync' ? 'PreSync' : hook === 'PostSync' ? 'PostSync' : 'Sync';
}

function helmHook(o: K8sObject): string | undefined {
  const h = o.metadata.annotations?.['helm.sh/hook'];
  if (!h) return undefined;
  return h.includes('pre-install') ? 'PreSync' : h.includes('post-install') ? 'PostSync' : undefined;
}

export function waveOf(o: K8sObject): number {
  return Number(o.metadata.annotations?.['argocd.argoproj.io/sync-wave'] ?? '0');
}

export function isHook(o: K8sObject): boolean {
  return o.metadata.annotations?.['argocd.argoproj.io/hook'] !== undefined;
}

/** The moment an object is applied. */
export function applyTime(o: K8sObject): Time {
  return time(phaseOf(o), waveOf(o), kindIndex(o.kind));
}

export function time(phase: Phase, wave: number, kind: number): Time {
  return PHASES.indexOf(phase) * 1e7 + (wave + 10000) * 100 + kind;
}

/** The end of the wave an object is in: everything of that wave is applied and healthy. */
export function endOfWave(o: K8sObject): Time {
  return time(phaseOf(o), waveOf(o), 99);
}

export function describeTime(t: Time): string {
  if (t === BEFORE_SYNC) return 'before the sync';
  if (t === NEVER) return 'never during the first sync';
  const phase = PHASES[Math.floor(t / 1e7)];
  const wave = Math.floor((t % 1e7) / 100) - 10000;
  return `${phase} wave ${wave}`;
}
