import { Chart, k8s } from '../lib/core/facade/k8s';
import { waveAnnotation } from '../lib/core/facts/waves';
import type { AppContext } from '../contracts/app';

interface SharedVolumeProps {
  readonly name: string;
  readonly namespace: string;
  readonly size: string;
  readonly storageClass: string;
  readonly labels: Record<string, string>;
  /** Who asks, and the config field naming the class, for the error. */
  readonly by: string;
}

/**
 * A volume every replica of an app mounts at once (ReadWriteMany), on a StorageClass the environment
 * provides (checked: a class nothing provides is a synth error). Created in the data wave, before the
 * pods that mount it. Returns the claim's name.
 */
export function sharedVolume(chart: Chart, ctx: AppContext, props: SharedVolumeProps): string {
  new k8s.KubePersistentVolumeClaim(chart, `${props.name}-claim`, {
    metadata: { name: props.name, namespace: props.namespace, labels: props.labels, annotations: waveAnnotation('appData') },
    spec: {
      accessModes: ['ReadWriteMany'],
      storageClassName: ctx.facts.name('StorageClass', props.storageClass, props.by),
      resources: { requests: { storage: k8s.Quantity.fromString(props.size) } },
    },
  });
  return props.name;
}
