import { Finding } from '../../guardrails/finding';

/**
 * The offline rule that predicts a live finding, or undefined when the offline model has no such rule.
 * The live rehearsal is the judge: every live finding must be predicted, so the model stays honest.
 */
export function offlineRuleFor(f: Finding): string | undefined {
  switch (f.ruleId) {
    case 'LIVE-001':
      if (/namespaces? "[^"]+" not found/.test(f.message)) return 'REH-003';
      if (/no matches for kind|resource mapping not found/.test(f.message)) return 'REH-001';
      return undefined;
    case 'LIVE-002':
      if (/PodSecurity/.test(f.message)) return 'REH-005';
      if (/exceeded quota|must specify/.test(f.message)) return 'REH-006';
      return undefined;
    case 'LIVE-003':
      return 'REH-006';
    case 'LIVE-004':
      return 'REH-007';
    case 'LIVE-005':
      return 'REH-016';
    case 'LIVE-006':
      return 'REH-017';
    default:
      return undefined;
  }
}

/** Offline findings the live rehearsal can observe: on objects of the manifests, decided at admission or scheduling. */
function observableLive(f: Finding): string | undefined {
  if (f.path.startsWith('chart workload')) return undefined; // chart pods are not rendered here
  switch (f.ruleId) {
    case 'REH-001':
      return f.path === 'apiVersion' ? 'LIVE-001' : undefined; // the dry-run annotation is Argo CD's, not the API server's
    case 'REH-003':
      return 'LIVE-001';
    case 'REH-005':
      return 'LIVE-002';
    case 'REH-006':
      // The quota rule counts autoscalers at their maximum, which a first sync does not reach.
      return f.target.startsWith('ResourceQuota/') ? undefined : 'LIVE-003';
    case 'REH-007':
      return 'LIVE-004';
    case 'REH-016':
      return 'LIVE-005';
    case 'REH-017':
      return 'LIVE-006';
    default:
      return undefined;
  }
}

const namespaceOf = (target: string) => (target.split('/').length === 3 ? target.split('/')[1] : '');

/**
 * Where the two rehearsals disagree, compared by rule and namespace (the quota rule targets the
 * ResourceQuota, the live one the workload whose pods it refuses). Empty when they agree.
 */
export function crossCheck(live: ReadonlyArray<Finding>, offline: ReadonlyArray<Finding>): string[] {
  const out: string[] = [];
  for (const f of live) {
    const rule = offlineRuleFor(f);
    if (!rule) out.push(`live ${f.ruleId} on ${f.target} has no offline rule that predicts it: ${f.message}`);
    else if (!offline.some((o) => o.ruleId === rule && namespaceOf(o.target) === namespaceOf(f.target))) {
      out.push(`live ${f.ruleId} on ${f.target} was not predicted by the offline ${rule}: ${f.message}`);
    }
  }
  for (const f of offline) {
    const rule = observableLive(f);
    if (rule && !live.some((l) => l.ruleId === rule && namespaceOf(l.target) === namespaceOf(f.target))) {
      out.push(`offline ${f.ruleId} on ${f.target} was not observed live (${rule}): ${f.message}`);
    }
  }
  return out;
}
