/* eslint-disable @typescript-eslint/no-explicit-any -- webhook configurations and the objects they cover, as rendered */
import { K8sObject, apiGroup, objectRef } from '../../core/k8s-objects';
import { Time, applyTime, describeTime, endOfWave } from './timeline';

/** A finding of this module: the object, the path, the message (the rehearsal adds rule and hint). */
export interface WebhookFinding {
  readonly object: K8sObject;
  readonly path: string;
  readonly message: string;
}

const WEBHOOK_KINDS = new Set(['ValidatingWebhookConfiguration', 'MutatingWebhookConfiguration']);
const WORKLOAD_KINDS = new Set(['Deployment', 'StatefulSet', 'DaemonSet']);

const selects = (selector: Record<string, string>, labels: Record<string, string> = {}) =>
  Object.keys(selector).length > 0 && Object.entries(selector).every(([k, v]) => labels[k] === v);

/** The plural a rule's `resources` names an object's kind by: the CRD's, else Kubernetes' lower-case `s` form. */
function pluralOf(o: K8sObject, objects: ReadonlyArray<K8sObject>): string {
  const crd = objects.find(
    (c) => c.kind === 'CustomResourceDefinition' && c.spec?.names?.kind === o.kind && c.spec?.group === apiGroup(o.apiVersion),
  );
  return crd?.spec?.names?.plural ?? `${o.kind.toLowerCase()}s`;
}

function covers(rule: any, o: K8sObject, plural: string): boolean {
  const any = (list: string[] | undefined, value: string) => (list ?? []).includes('*') || (list ?? []).includes(value);
  const version = o.apiVersion.includes('/') ? o.apiVersion.split('/')[1] : o.apiVersion;
  return (
    any(rule.apiGroups, apiGroup(o.apiVersion)) && any(rule.apiVersions, version) && any(rule.resources, plural) && any(rule.operations, 'CREATE')
  );
}

/**
 * Admission webhooks that fail closed, served by pods of the environment's own manifests: every object
 * they cover that the sync creates before those pods are ready is rejected (the API server cannot call
 * the webhook), and the root's sync stops there. Webhooks of charts are judged by their chart facts.
 */
export function webhookOrderFindings(objects: ReadonlyArray<K8sObject>): WebhookFinding[] {
  const out: WebhookFinding[] = [];
  for (const config of objects.filter((o) => WEBHOOK_KINDS.has(o.kind))) {
    for (const [i, hook] of ((config as any).webhooks ?? []).entries()) {
      if (hook.failurePolicy === 'Ignore') continue;
      const ref = hook.clientConfig?.service;
      if (!ref) continue;
      const service = objects.find((o) => o.kind === 'Service' && o.metadata.namespace === ref.namespace && o.metadata.name === ref.name);
      if (!service) continue;
      const servers = objects.filter(
        (o) =>
          WORKLOAD_KINDS.has(o.kind) &&
          o.metadata.namespace === ref.namespace &&
          selects(service.spec?.selector ?? {}, o.spec?.template?.metadata?.labels),
      );
      // Ready when the last of the serving workloads is, at the end of its wave; never when nothing serves it.
      const ready: Time | undefined = servers.length ? servers.map(endOfWave).reduce((a, b) => (a > b ? a : b)) : undefined;
      for (const o of objects) {
        if (WEBHOOK_KINDS.has(o.kind)) continue;
        const plural = pluralOf(o, objects);
        if (!(hook.rules ?? []).some((r: any) => covers(r, o, plural))) continue;
        if (ready === undefined)
          out.push({
            object: o,
            path: 'metadata',
            message: `webhook ${hook.name} of ${objectRef(config)} (failurePolicy Fail) is served by Service ${ref.namespace}/${ref.name}, which no workload of the manifests backs: the API server rejects it`,
          });
        else if (applyTime(o) < ready)
          out.push({
            object: o,
            path: 'metadata.annotations',
            message: `created ${describeTime(applyTime(o))}, but webhook ${hook.name} of ${objectRef(config)} (failurePolicy Fail, webhooks[${i}]) is served only once ${servers.map(objectRef).join(', ')} is ready, ${describeTime(ready)}: the API server rejects it`,
          });
      }
    }
  }
  return out;
}
