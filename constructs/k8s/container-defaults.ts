import { k8s } from '../../lib/core/facade/k8s';
import { GPU_RESOURCE } from '../gpu';
import { ResourceProfile } from './resource-profiles';

/** Container security context of every Parity workload (Pod Security "restricted", as the Arbitex design hardens pods). */
export const HARDENED_CONTAINER: k8s.SecurityContext = {
  allowPrivilegeEscalation: false,
  readOnlyRootFilesystem: true,
  runAsNonRoot: true,
  capabilities: { drop: ['ALL'] },
  seccompProfile: { type: 'RuntimeDefault' },
};

export function hardenedPod(uid: number): k8s.PodSecurityContext {
  return { runAsNonRoot: true, runAsUser: uid, runAsGroup: uid, fsGroup: uid, seccompProfile: { type: 'RuntimeDefault' } };
}

/** Requests and limits of a profile; GPUs are requested and limited alike (they cannot be shared). */
export function resourceRequirements(profile: ResourceProfile, gpus = 0): k8s.ResourceRequirements {
  const q = (v: string) => k8s.Quantity.fromString(v);
  const gpu: Record<string, k8s.Quantity> = gpus ? { [GPU_RESOURCE]: q(String(gpus)) } : {};
  return {
    requests: { cpu: q(profile.requests.cpu), memory: q(profile.requests.memory), ...gpu },
    limits: { cpu: q(profile.limits.cpu), memory: q(profile.limits.memory), ...gpu },
  };
}

/** Environment variables: plain values, then single Secret keys, each sorted by name. */
export function envVars(env: Record<string, string> = {}, secretEnv: Record<string, { secret: string; key: string }> = {}): k8s.EnvVar[] | undefined {
  const sorted = <T>(o: Record<string, T>) => Object.entries(o).sort(([a], [b]) => (a < b ? -1 : 1));
  const vars = [
    ...sorted(env).map(([name, value]) => ({ name, value })),
    ...sorted(secretEnv).map(([name, ref]) => ({ name, valueFrom: { secretKeyRef: { name: ref.secret, key: ref.key } } })),
  ];
  return vars.length ? vars : undefined;
}

export function csiSecretsVolume(secretProviderClass: string): k8s.Volume {
  return { name: 'secrets-store', csi: { driver: 'secrets-store.csi.k8s.io', readOnly: true, volumeAttributes: { secretProviderClass } } };
}
