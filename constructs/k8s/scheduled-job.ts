import { Construct } from 'constructs';
import { Peer, PortSpec, ServiceEndpoint, WorkloadPeer, connectTo, workloadPeer } from '../../lib/core/facts/connections';
import { FactRegistry } from '../../lib/core/facts/registry';
import { k8s } from '../../lib/core/facade/k8s';
import { parseImageRef } from '../image';
import { propError } from '../props';
import { jobPodSpec } from './job-pod';
import { ProfileName, RESOURCE_PROFILES, ResourceProfile } from './resource-profiles';

export interface ScheduledJobProps {
  /** Name of the CronJob and its `app.kubernetes.io/name` label. */
  readonly name: string;
  readonly namespace: string;
  /** Image reference with a tag, a digest or both. */
  readonly image: string;
  /** Five-field cron expression (`0 3 * * *`) or a macro (`@daily`). */
  readonly schedule: string;
  readonly command: string[];
  /** @default the image's arguments */
  readonly args?: string[];
  /** IANA time zone the schedule is read in. @default 'Etc/UTC' */
  readonly timeZone?: string;
  /** What a run due while the last still runs does: skipped (Forbid), or the last replaced. @default 'Forbid' */
  readonly concurrencyPolicy?: 'Forbid' | 'Replace' | 'Allow';
  /** A run missed by more than this (controller down, cluster upgrade) is skipped, not caught up. @default 300 */
  readonly startingDeadlineSeconds?: number;
  /** A run that takes longer is stopped. @default none */
  readonly activeDeadlineSeconds?: number;
  /** Retries of a failed run. @default 2 */
  readonly backoffLimit?: number;
  /** Finished runs kept for inspection. @default { successful: 3, failed: 3 } */
  readonly history?: { readonly successful: number; readonly failed: number };
  /** @default {} */
  readonly env?: Record<string, string>;
  /** @default {} */
  readonly secretEnv?: Record<string, { readonly secret: string; readonly key: string }>;
  /** @default [] */
  readonly envFromSecrets?: ReadonlyArray<string>;
  /** @default 'python' */
  readonly profile?: ProfileName;
  /** Replaces the profile's numbers. @default the profile */
  readonly resources?: ResourceProfile;
  /** @default 1000 */
  readonly runAsUser?: number;
  /** Services each run calls; each a declared connection (and so a NetworkPolicy rule at both ends). @default [] */
  readonly connectsTo?: ReadonlyArray<{ readonly endpoint: ServiceEndpoint; readonly purpose: string }>;
  /** Other peers each run calls. @default [] */
  readonly connectsToPeers?: ReadonlyArray<{ readonly peer: Peer; readonly ports: ReadonlyArray<PortSpec>; readonly purpose: string }>;
  /** Argo CD sync wave. @default none (wave 0) */
  readonly syncWave?: number;
  /** @default [] */
  readonly imagePullSecrets?: ReadonlyArray<string>;
  /** @default {} */
  readonly labels?: Record<string, string>;
}

const NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const MACRO = /^@(yearly|annually|monthly|weekly|daily|midnight|hourly)$/;
/** One cron field: `*`, numbers, ranges, lists and steps (`*\/15`, `1-5`, `0,30`). */
const FIELD = /^(\*|\d+(-\d+)?)(\/\d+)?(,(\*|\d+(-\d+)?)(\/\d+)?)*$/;
const RANGES: ReadonlyArray<[number, number]> = [
  [0, 59],
  [0, 23],
  [1, 31],
  [1, 12],
  [0, 6],
];

/** Whether each element of a cron field (`base[/step]`, base `*`, `n` or `a-b`) lies in its range, with steps of at least 1. */
function inRange(field: string, [min, max]: [number, number]): boolean {
  return field.split(',').every((element) => {
    const [base, step] = element.split('/');
    const numbers = base === '*' ? [] : base.split('-').map(Number);
    return (
      numbers.every((n) => n >= min && n <= max) && (numbers.length < 2 || numbers[0] <= numbers[1]) && (step === undefined || Number(step) >= 1)
    );
  });
}

function validSchedule(schedule: string): boolean {
  if (MACRO.test(schedule)) return true;
  const fields = schedule.trim().split(/\s+/);
  return fields.length === 5 && fields.every((f, i) => FIELD.test(f) && inRange(f, RANGES[i]));
}

/**
 * Scheduled work (cleanup, reports, retraining) as a CronJob whose pods have the hardening of every
 * Deployment (see `jobPodSpec`). Runs never overlap and a missed run is skipped rather than replayed
 * by default, so a controller outage cannot start a burst of runs.
 */
export class ScheduledJob extends Construct {
  /** The pods of every run, as a connection graph peer. */
  readonly peer: WorkloadPeer;

  constructor(scope: Construct, id: string, props: ScheduledJobProps) {
    super(scope, id);
    if (!NAME.test(props.name) || props.name.length > 52) throw propError(this, 'name', props.name, 'a DNS-1123 label of at most 52 characters');
    parseImageRef(props.image, this, 'image');
    if (!validSchedule(props.schedule))
      throw propError(this, 'schedule', props.schedule, 'a five-field cron expression such as "0 3 * * *" (minute hour day month weekday) or @daily');
    if (props.command.length === 0) throw propError(this, 'command', props.command, 'the command each run executes');
    const deadline = props.startingDeadlineSeconds ?? 300;
    if (deadline < 10) throw propError(this, 'startingDeadlineSeconds', deadline, 'at least 10 (the controller checks every 10 s)');

    const selector = { 'app.kubernetes.io/name': props.name, 'app.kubernetes.io/component': 'scheduled-job' };
    const labels = { ...props.labels, ...selector, 'app.kubernetes.io/managed-by': 'parity' };
    this.peer = workloadPeer(props.namespace, props.name, selector);
    const facts = FactRegistry.of(this);
    for (const c of props.connectsTo ?? []) facts.connect(connectTo(this.peer, c.endpoint, c.purpose), this.node.path);
    for (const c of props.connectsToPeers ?? []) facts.connect({ from: this.peer, to: c.peer, ports: c.ports, purpose: c.purpose }, this.node.path);

    const history = props.history ?? { successful: 3, failed: 3 };
    new k8s.KubeCronJob(this, 'cron-job', {
      metadata: {
        name: props.name,
        namespace: props.namespace,
        labels,
        annotations: props.syncWave !== undefined ? { 'argocd.argoproj.io/sync-wave': String(props.syncWave) } : undefined,
      },
      spec: {
        schedule: props.schedule,
        timeZone: props.timeZone ?? 'Etc/UTC',
        concurrencyPolicy: props.concurrencyPolicy ?? 'Forbid',
        startingDeadlineSeconds: deadline,
        successfulJobsHistoryLimit: history.successful,
        failedJobsHistoryLimit: history.failed,
        jobTemplate: {
          metadata: { labels },
          spec: {
            backoffLimit: props.backoffLimit ?? 2,
            activeDeadlineSeconds: props.activeDeadlineSeconds,
            template: {
              metadata: { labels },
              spec: jobPodSpec({
                containerName: props.name,
                image: props.image,
                command: props.command,
                args: props.args,
                env: props.env,
                secretEnv: props.secretEnv,
                envFromSecrets: props.envFromSecrets,
                imagePullSecrets: props.imagePullSecrets,
                resources: props.resources ?? RESOURCE_PROFILES[props.profile ?? 'python'],
                runAsUser: props.runAsUser ?? 1000,
              }),
            },
          },
        },
      },
    });
  }
}
