import { createHash } from 'crypto';
import { Chart, k8s } from '../lib/core/facade/k8s';
import { waveAnnotation } from '../lib/core/facts/waves';

/**
 * An app's configuration file as an immutable ConfigMap named after its content
 * (`<prefix>-<sha256, 10 hex>`), created before the app's services: a changed file is a new ConfigMap,
 * so the pods that mount it roll instead of keeping the file they started with. Returns its name.
 */
export function configFile(
  chart: Chart,
  id: string,
  props: { readonly prefix: string; readonly namespace: string; readonly file: string; readonly content: string },
): string {
  const name = `${props.prefix}-${createHash('sha256').update(props.content).digest('hex').slice(0, 10)}`;
  new k8s.KubeConfigMap(chart, id, {
    metadata: { name, namespace: props.namespace, annotations: waveAnnotation('appServices') },
    immutable: true,
    data: { [props.file]: props.content },
  });
  return name;
}
