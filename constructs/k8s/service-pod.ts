import { k8s } from '../../lib/core/facade/k8s';
import { GPU_LABEL, GPU_TAINT } from '../gpu';
import { parseImageRef } from '../image';
import { propError } from '../props';
import { HARDENED_CONTAINER, csiSecretsVolume, envVars, hardenedPod, resourceRequirements } from './container-defaults';
import { ResourceProfile } from './resource-profiles';
import type { Construct } from 'constructs';

/** An HTTP GET probe, or a TCP connect probe for non-HTTP servers (gRPC, Redis). */
export type ProbeSpec = { readonly path: string; readonly port?: number } | { readonly tcp: true; readonly port?: number };

export interface InitContainerProps {
  readonly name: string;
  readonly command: string[];
  /** @default the service's image */
  readonly image?: string;
  /** Replaces the service container's environment (an init step that needs secrets the server must not hold). @default the service's */
  readonly env?: Record<string, string>;
  /** With `env`: its Secret keys. @default the service's */
  readonly secretEnv?: Record<string, { readonly secret: string; readonly key: string }>;
  /** User it runs as, when its image's files belong to another than the pod's. @default the pod's */
  readonly runAsUser?: number;
}

/**
 * A second container of the pod serving beside the main one (a PHP FastCGI process behind the web
 * server that is the main container): reached only inside the pod, hardened alike, probed on its own port.
 */
export interface SidecarProps {
  readonly name: string;
  readonly image: string;
  /** Port it listens on inside the pod; probed by TCP connect. */
  readonly port: number;
  readonly resources: ResourceProfile;
  /** @default the image's entrypoint */
  readonly command?: string[];
  /** @default {} */
  readonly env?: Record<string, string>;
  /** @default {} */
  readonly secretEnv?: Record<string, { readonly secret: string; readonly key: string }>;
  /** @default the pod's user */
  readonly runAsUser?: number;
  /** Which of the pod's writable paths it shares (the same emptyDirs). @default [] */
  readonly writablePaths?: ReadonlyArray<string>;
}

/** What the pod of a service is made of; BaseServiceProps carries the same fields with their defaults. */
/** A Secret (read-only) or a shared PersistentVolumeClaim mounted into the service's containers. */
export type MountSpec =
  | { readonly name: string; readonly mountPath: string; readonly secret: string; readonly items?: ReadonlyArray<string> }
  | { readonly name: string; readonly mountPath: string; readonly claim: string }
  | { readonly name: string; readonly mountPath: string; readonly configMap: string };

export interface ServicePodProps {
  readonly name: string;
  readonly image: string;
  readonly containerPort: number;
  readonly resources: ResourceProfile;
  readonly gpus: number;
  readonly env?: Record<string, string>;
  readonly envFromSecrets?: ReadonlyArray<string>;
  readonly secretEnv?: Record<string, { readonly secret: string; readonly key: string }>;
  readonly csiSecretProviderClass?: string;
  readonly command?: string[];
  readonly args?: string[];
  readonly readinessProbe?: ProbeSpec;
  readonly livenessProbe?: ProbeSpec;
  readonly runAsUser: number;
  readonly writablePaths: ReadonlyArray<string>;
  /** Mount path of the per-replica volume `data`, when the service is persistent. */
  readonly dataMountPath?: string;
  readonly initContainers: ReadonlyArray<InitContainerProps>;
  /** @default [] */
  readonly sidecars?: ReadonlyArray<SidecarProps>;
  /** Secrets (kubernetes.io/dockerconfigjson) the kubelet pulls the images with. @default [] */
  readonly imagePullSecrets?: ReadonlyArray<string>;
  /** @default [] */
  readonly mounts?: ReadonlyArray<MountSpec>;
}

/**
 * The hardened pod of a service: non-root, read-only root filesystem with writable emptyDirs where
 * needed, all capabilities dropped, no privilege escalation, RuntimeDefault seccomp, no service-account
 * token. Probes and resources always exist; a GPU pod lands on GPU pools only.
 */
export function servicePodSpec(owner: Construct, props: ServicePodProps): k8s.PodSpec {
  const resources = resourceRequirements(props.resources, props.gpus);
  const securityContext = HARDENED_CONTAINER;
  const volumeMounts: k8s.VolumeMount[] = props.writablePaths.map((p, i) => ({ name: `writable-${i}`, mountPath: p }));
  if (props.dataMountPath) volumeMounts.push({ name: 'data', mountPath: props.dataMountPath });
  if (props.csiSecretProviderClass) volumeMounts.push({ name: 'secrets-store', mountPath: '/mnt/secrets-store', readOnly: true });
  for (const m of props.mounts ?? []) volumeMounts.push({ name: m.name, mountPath: m.mountPath, ...('claim' in m ? {} : { readOnly: true }) });
  const probe = (p: ProbeSpec | undefined, period: number): k8s.Probe => {
    const port = k8s.IntOrString.fromNumber(p?.port ?? props.containerPort);
    return {
      ...(p && 'tcp' in p ? { tcpSocket: { port } } : { httpGet: { path: p?.path ?? '/healthz', port } }),
      periodSeconds: period,
      timeoutSeconds: 3,
      failureThreshold: 3,
    };
  };
  const envFrom: k8s.EnvFromSource[] = (props.envFromSecrets ?? []).map((name) => ({ secretRef: { name } }));
  // Every port a probe uses is declared, so the kubelet's target is part of the pod's contract.
  const probePorts = [
    ...new Set([props.readinessProbe?.port, props.livenessProbe?.port].filter((p): p is number => p !== undefined && p !== props.containerPort)),
  ];
  const container: k8s.Container = {
    name: props.name,
    image: props.image,
    imagePullPolicy: 'IfNotPresent',
    command: props.command,
    args: props.args,
    ports: [
      { name: 'http', containerPort: props.containerPort, protocol: 'TCP' },
      ...probePorts.sort((a, b) => a - b).map((port) => ({ name: `probe-${port}`, containerPort: port, protocol: 'TCP' })),
    ],
    env: envVars(props.env, props.secretEnv),
    envFrom: envFrom.length ? envFrom : undefined,
    resources,
    securityContext,
    readinessProbe: probe(props.readinessProbe, 10),
    livenessProbe: probe(props.livenessProbe ?? props.readinessProbe, 20),
    volumeMounts,
  };
  const asUser = (uid: number | undefined): k8s.SecurityContext =>
    uid === undefined ? securityContext : { ...securityContext, runAsUser: uid, runAsGroup: uid };
  const initContainers: k8s.Container[] = props.initContainers.map((init) => {
    if (init.image) parseImageRef(init.image, owner, `initContainers.${init.name}.image`);
    const ownEnv = init.env !== undefined || init.secretEnv !== undefined;
    return {
      name: init.name,
      image: init.image ?? props.image,
      imagePullPolicy: 'IfNotPresent',
      command: init.command,
      env: ownEnv ? envVars(init.env, init.secretEnv) : container.env,
      envFrom: ownEnv ? undefined : container.envFrom,
      resources: { requests: resources.requests, limits: resources.limits },
      securityContext: asUser(init.runAsUser),
      volumeMounts: volumeMounts.filter((m) => m.name !== 'data'),
    };
  });
  const sidecars: k8s.Container[] = (props.sidecars ?? []).map((side) => {
    parseImageRef(side.image, owner, `sidecars.${side.name}.image`);
    const shared = side.writablePaths ?? [];
    for (const p of shared)
      if (!props.writablePaths.includes(p))
        throw propError(owner, `sidecars.${side.name}.writablePaths`, p, `one of the pod's writable paths (${props.writablePaths.join(', ')})`);
    const port = k8s.IntOrString.fromNumber(side.port);
    return {
      name: side.name,
      image: side.image,
      imagePullPolicy: 'IfNotPresent',
      command: side.command,
      ports: [{ name: side.name.slice(0, 15), containerPort: side.port, protocol: 'TCP' }],
      env: envVars(side.env, side.secretEnv),
      resources: resourceRequirements(side.resources),
      securityContext: asUser(side.runAsUser),
      readinessProbe: { tcpSocket: { port }, periodSeconds: 10, timeoutSeconds: 3, failureThreshold: 3 },
      livenessProbe: { tcpSocket: { port }, periodSeconds: 20, timeoutSeconds: 3, failureThreshold: 3 },
      volumeMounts: volumeMounts.filter((m) => shared.includes(m.mountPath)),
    };
  });
  return {
    serviceAccountName: props.name,
    automountServiceAccountToken: false,
    ...(props.imagePullSecrets?.length ? { imagePullSecrets: props.imagePullSecrets.map((name) => ({ name })) } : {}),
    securityContext: hardenedPod(props.runAsUser),
    initContainers: initContainers.length ? initContainers : undefined,
    containers: [container, ...sidecars],
    volumes: [
      ...props.writablePaths.map((_, i) => ({ name: `writable-${i}`, emptyDir: { sizeLimit: k8s.Quantity.fromString('1Gi') } })),
      ...(props.csiSecretProviderClass ? [csiSecretsVolume(props.csiSecretProviderClass)] : []),
      ...(props.mounts ?? []).map((m) =>
        'secret' in m
          ? {
              name: m.name,
              secret: { secretName: m.secret, defaultMode: 0o440, ...(m.items ? { items: m.items.map((key) => ({ key, path: key })) } : {}) },
            }
          : 'configMap' in m
            ? { name: m.name, configMap: { name: m.configMap } }
            : { name: m.name, persistentVolumeClaim: { claimName: m.claim } },
      ),
    ],
    ...(props.gpus
      ? {
          nodeSelector: { [GPU_LABEL.key]: GPU_LABEL.value },
          tolerations: [{ key: GPU_TAINT.key, operator: 'Exists', effect: GPU_TAINT.effect }],
        }
      : {}),
  };
}
