import { objectRef } from '../../../core/k8s-objects';
/* eslint-disable @typescript-eslint/no-explicit-any -- objects come from `kubectl get -o json`, of several kinds; each field is checked where it is read. */
import { inParallel } from '../../../core/util/parallel';
import { Kubectl } from './kubectl';

/** What the cluster holds after the sync, read in one round of `kubectl get`. */
export interface ClusterState {
  readonly pods: any[];
  readonly replicaSets: any[];
  readonly events: any[];
  readonly claims: any[];
  readonly storageClasses: any[];
  readonly workloads: any[];
}

const WORKLOADS = 'deployments.apps,statefulsets.apps,daemonsets.apps,jobs.batch';

export async function readState(kubectl: Kubectl): Promise<ClusterState> {
  const [pods, replicaSets, events, claims, storageClasses, workloads] = await Promise.all([
    kubectl.get('pods'),
    kubectl.get('replicasets.apps'),
    kubectl.get('events'),
    kubectl.get('persistentvolumeclaims'),
    kubectl.get('storageclasses.storage.k8s.io'),
    kubectl.get(WORKLOADS),
  ]);
  return { pods, replicaSets, events, claims, storageClasses, workloads };
}

/** The workload a pod or ReplicaSet belongs to, following controller owner references (Pod → ReplicaSet → Deployment). */
export function topOwner(state: ClusterState, o: any): string {
  const owner = (o.metadata.ownerReferences ?? []).find((r: any) => r.controller);
  if (!owner) return objectRef(o);
  const ns = o.metadata.namespace;
  if (owner.kind === 'ReplicaSet') {
    const rs = state.replicaSets.find((r) => r.metadata.namespace === ns && r.metadata.name === owner.name);
    return rs ? topOwner(state, { ...rs, kind: 'ReplicaSet' }) : `ReplicaSet/${ns}/${owner.name}`;
  }
  return `${owner.kind}/${ns}/${owner.name}`;
}

/** Pods each workload should have by now without a kubelet: ordered StatefulSets stop at the first pod, which never gets Ready. */
export function expectedPods(w: any): number {
  switch (w.kind) {
    case 'Deployment':
      return w.spec.replicas ?? 1;
    case 'StatefulSet':
      return Math.min(w.spec.replicas ?? 1, w.spec.podManagementPolicy === 'Parallel' ? Infinity : 1);
    case 'DaemonSet':
      return w.status?.desiredNumberScheduled ?? 0;
    case 'Job':
      return Math.min(w.spec.parallelism ?? 1, w.spec.completions ?? Infinity);
    default:
      return 0;
  }
}

/** Events of kind FailedCreate, by the workload they are about. */
export function failedCreates(state: ClusterState): Map<string, string> {
  const out = new Map<string, string>();
  for (const e of state.events.filter((x) => x.reason === 'FailedCreate')) {
    const io = e.involvedObject;
    const ref =
      io.kind === 'ReplicaSet'
        ? topOwner(state, {
            kind: 'ReplicaSet',
            metadata: state.replicaSets.find((r) => r.metadata.namespace === io.namespace && r.metadata.name === io.name)?.metadata ?? {
              namespace: io.namespace,
              name: io.name,
            },
          })
        : `${io.kind}/${io.namespace}/${io.name}`;
    if (!out.has(ref)) out.set(ref, e.message);
  }
  return out;
}

/** A pod's scheduling verdict: undefined while the scheduler has not looked at it yet. */
export function scheduling(pod: any): { scheduled: boolean; message: string } | undefined {
  if (pod.spec.nodeName) return { scheduled: true, message: '' };
  const c = (pod.status?.conditions ?? []).find((x: any) => x.type === 'PodScheduled');
  return c && c.status === 'False' && c.reason === 'Unschedulable' ? { scheduled: false, message: c.message } : undefined;
}

/**
 * Stands in for the CSI provisioners the environment runs: a claim of an existing class that the
 * scheduler has placed (WaitForFirstConsumer) or that binds at once (Immediate) gets a volume.
 */
export async function provisionVolumes(kubectl: Kubectl, state: ClusterState): Promise<void> {
  const classes = new Map(state.storageClasses.map((c) => [c.metadata.name, c]));
  const pending = state.claims.filter((c) => {
    const sc = classes.get(c.spec.storageClassName);
    if (c.status?.phase !== 'Pending' || !sc || c.spec.volumeName) return false;
    return sc.volumeBindingMode !== 'WaitForFirstConsumer' || c.metadata.annotations?.['volume.kubernetes.io/selected-node'];
  });
  await inParallel(pending, 4, (c) => {
    const pv = {
      apiVersion: 'v1',
      kind: 'PersistentVolume',
      metadata: { name: `pv-${c.metadata.uid}` },
      spec: {
        capacity: { storage: c.spec.resources?.requests?.storage ?? '1Gi' },
        accessModes: c.spec.accessModes,
        storageClassName: c.spec.storageClassName,
        persistentVolumeReclaimPolicy: 'Delete',
        claimRef: { namespace: c.metadata.namespace, name: c.metadata.name, uid: c.metadata.uid },
        csi: { driver: classes.get(c.spec.storageClassName).provisioner, volumeHandle: c.metadata.uid },
      },
    };
    return kubectl.run(['apply', '--server-side', '--field-manager=parity-provisioner', '-f', '-'], JSON.stringify(pv));
  });
}
