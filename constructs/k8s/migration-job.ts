import { createHash } from 'crypto';
import { Construct } from 'constructs';
import { Peer, PortSpec, ServiceEndpoint, connectTo, workloadPeer } from '../../lib/core/facts/connections';
import { FactRegistry } from '../../lib/core/facts/registry';
import { k8s } from '../../lib/core/facade/k8s';
import { parseImageRef } from '../image';
import { propError } from '../props';
import { SecretMount, jobPodSpec } from './job-pod';
import { ProfileName, RESOURCE_PROFILES } from './resource-profiles';

export interface MigrationJobProps {
  readonly name: string;
  readonly namespace: string;
  readonly image: string;
  readonly command: string[];
  /** @default {} */
  readonly env?: Record<string, string>;
  /** @default {} */
  readonly secretEnv?: Record<string, { readonly secret: string; readonly key: string }>;
  /** @default [] */
  readonly envFromSecrets?: ReadonlyArray<string>;
  /** @default none */
  readonly csiSecretProviderClass?: string;
  /** Secrets' keys mounted read-only, e.g. the CA of a server it calls over TLS. @default [] */
  readonly secretMounts?: ReadonlyArray<SecretMount>;
  /**
   * ServiceAccount the Job runs as, e.g. the service's own when the CSI driver reads secrets as its workload identity.
   * @default the namespace's `default` ServiceAccount
   */
  readonly serviceAccountName?: string;
  /** Secrets (kubernetes.io/dockerconfigjson) the kubelet pulls the image with. @default [] */
  readonly imagePullSecrets?: ReadonlyArray<string>;
  /**
   * When Argo CD runs it: as a PreSync hook (before anything of the sync is applied), or as an ordinary
   * resource in a sync wave lower than the workloads that need the schema (Axiom design: Flyway before the backend).
   */
  readonly runs: { readonly hook: 'PreSync' } | { readonly hook: 'Sync'; readonly syncWave: number } | { readonly syncWave: number };
  /** @default 3 */
  readonly backoffLimit?: number;
  /**
   * Seconds a finished hook Job is kept. Only for hooks: a Job in a sync wave belongs to the desired
   * state, so once the TTL deleted it, self-heal would create it again and re-run it forever.
   * @default 300 for hooks, none otherwise
   */
  readonly ttlSecondsAfterFinished?: number;
  /** @default 'python' */
  readonly profile?: ProfileName;
  /** @default 1000 */
  readonly runAsUser?: number;
  /** @default {} */
  readonly labels?: Record<string, string>;
  /** Services the migration calls (its database); each a declared connection. @default [] */
  readonly connectsTo?: ReadonlyArray<ServiceEndpoint>;
  /** Other peers it calls (a managed database outside the cluster). @default [] */
  readonly connectsToPeers?: ReadonlyArray<{ readonly peer: Peer; readonly ports: ReadonlyArray<PortSpec> }>;
}

/**
 * A database migration as a Job with the same hardening as every workload. Argo CD orders it before
 * the services that depend on the schema; a failed migration stops the sync instead of rolling out.
 */
export class MigrationJob extends Construct {
  constructor(scope: Construct, id: string, props: MigrationJobProps) {
    super(scope, id);
    parseImageRef(props.image, this, 'image');
    const isHook = 'hook' in props.runs;
    if (!isHook && props.ttlSecondsAfterFinished !== undefined) {
      throw propError(
        this,
        'ttlSecondsAfterFinished',
        props.ttlSecondsAfterFinished,
        'no TTL for a Job in a sync wave (self-heal would re-create and re-run it); use runs: { hook } for a TTL',
      );
    }
    // The Job controller labels its pods with the Job's name, a label value of at most 63 characters.
    if (props.name.length > (isHook ? 63 : 54))
      throw propError(this, 'name', props.name, `at most ${isHook ? 63 : 54} characters (a wave Job's name gets a 9-character template hash)`);
    if (props.command.length === 0) throw propError(this, 'command', props.command, 'the migration command, e.g. ["flyway", "migrate"]');
    const annotations: Record<string, string> = {
      ...('hook' in props.runs ? { 'argocd.argoproj.io/hook': props.runs.hook, 'argocd.argoproj.io/hook-delete-policy': 'BeforeHookCreation' } : {}),
      ...('syncWave' in props.runs ? { 'argocd.argoproj.io/sync-wave': String(props.runs.syncWave) } : {}),
    };
    const labels = {
      ...props.labels,
      'app.kubernetes.io/name': props.name,
      'app.kubernetes.io/component': 'db-migration',
      'app.kubernetes.io/managed-by': 'parity',
    };
    const peer = workloadPeer(props.namespace, props.name, { 'app.kubernetes.io/name': props.name, 'app.kubernetes.io/component': 'db-migration' });
    for (const e of props.connectsTo ?? []) FactRegistry.of(this).connect(connectTo(peer, e, 'schema migration'), this.node.path);
    for (const c of props.connectsToPeers ?? [])
      FactRegistry.of(this).connect({ from: peer, to: c.peer, ports: c.ports, purpose: 'schema migration' }, this.node.path);
    const template = {
      metadata: { labels },
      spec: jobPodSpec({
        containerName: 'migrate',
        image: props.image,
        command: props.command,
        env: props.env,
        secretEnv: props.secretEnv,
        envFromSecrets: props.envFromSecrets,
        csiSecretProviderClass: props.csiSecretProviderClass,
        secretMounts: props.secretMounts,
        serviceAccountName: props.serviceAccountName,
        imagePullSecrets: props.imagePullSecrets,
        resources: RESOURCE_PROFILES[props.profile ?? 'python'],
        runAsUser: props.runAsUser ?? 1000,
      }),
    };
    // A Job's pod template is immutable: a wave Job keeps one name per template (a new image, command or
    // environment is a new Job, run in its wave; the old one is pruned), since Argo CD cannot apply a
    // changed template onto the existing Job. Hooks are deleted before they are created again anyway.
    const name = isHook ? props.name : `${props.name}-${createHash('sha256').update(JSON.stringify(template)).digest('hex').slice(0, 8)}`;
    new k8s.KubeJob(this, 'job', {
      metadata: { name, namespace: props.namespace, labels, annotations },
      spec: {
        backoffLimit: props.backoffLimit ?? 3,
        ttlSecondsAfterFinished: isHook ? (props.ttlSecondsAfterFinished ?? 300) : undefined,
        template,
      },
    });
  }
}
