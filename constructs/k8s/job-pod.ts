import { k8s } from '../../lib/core/facade/k8s';
import { HARDENED_CONTAINER, csiSecretsVolume, envVars, hardenedPod, resourceRequirements } from './container-defaults';
import { ResourceProfile } from './resource-profiles';

/** What a run-to-completion pod (a migration, a scheduled job) is made of. */
export interface JobPodProps {
  readonly containerName: string;
  readonly image: string;
  readonly command: string[];
  readonly args?: string[];
  readonly env?: Record<string, string>;
  readonly secretEnv?: Record<string, { readonly secret: string; readonly key: string }>;
  readonly envFromSecrets?: ReadonlyArray<string>;
  readonly csiSecretProviderClass?: string;
  readonly serviceAccountName?: string;
  readonly imagePullSecrets?: ReadonlyArray<string>;
  readonly resources: ResourceProfile;
  readonly runAsUser: number;
  /** Secrets mounted read-only (a CA to verify a server against), only the keys listed. @default [] */
  readonly secretMounts?: ReadonlyArray<SecretMount>;
}

/** A Secret's keys mounted read-only into a run-to-completion pod. */
export interface SecretMount {
  readonly name: string;
  readonly mountPath: string;
  readonly secret: string;
  readonly items: ReadonlyArray<string>;
}

/**
 * The pod of a Job with the hardening of every workload: non-root, read-only root filesystem with a
 * writable /tmp, all capabilities dropped, RuntimeDefault seccomp, no service-account token, never
 * restarted in place (the Job's backoff retries it).
 */
export function jobPodSpec(props: JobPodProps): k8s.PodSpec {
  const envFrom = (props.envFromSecrets ?? []).map((name) => ({ secretRef: { name } }));
  return {
    restartPolicy: 'Never',
    automountServiceAccountToken: false,
    ...(props.serviceAccountName ? { serviceAccountName: props.serviceAccountName } : {}),
    ...(props.imagePullSecrets?.length ? { imagePullSecrets: props.imagePullSecrets.map((name) => ({ name })) } : {}),
    securityContext: hardenedPod(props.runAsUser),
    containers: [
      {
        name: props.containerName,
        image: props.image,
        command: props.command,
        args: props.args,
        env: envVars(props.env, props.secretEnv),
        envFrom: envFrom.length ? envFrom : undefined,
        resources: resourceRequirements(props.resources),
        securityContext: HARDENED_CONTAINER,
        volumeMounts: [
          { name: 'tmp', mountPath: '/tmp' },
          ...(props.csiSecretProviderClass ? [{ name: 'secrets-store', mountPath: '/mnt/secrets-store', readOnly: true }] : []),
          ...(props.secretMounts ?? []).map((m) => ({ name: m.name, mountPath: m.mountPath, readOnly: true })),
        ],
      },
    ],
    volumes: [
      { name: 'tmp', emptyDir: {} },
      ...(props.csiSecretProviderClass ? [csiSecretsVolume(props.csiSecretProviderClass)] : []),
      ...(props.secretMounts ?? []).map((m) => ({
        name: m.name,
        secret: { secretName: m.secret, defaultMode: 0o440, items: m.items.map((key) => ({ key, path: key })) },
      })),
    ],
  };
}
