import { ScheduledJob, ScheduledJobProps } from '../../../constructs/k8s/scheduled-job';
import { workloadPeer } from '../../../lib/core/facts/connections';
import { FactRegistry } from '../../../lib/core/facts/registry';
import { errorOf, k8sChart, only, synthK8s } from '../helpers';

const props: ScheduledJobProps = {
  name: 'cleanup',
  namespace: 'team',
  image: 'registry.example.com/backend:1.2.3',
  schedule: '30 2 * * *',
  command: ['python', '-m', 'cleanup'],
};

describe('ScheduledJob', () => {
  it('defaults: UTC, never overlapping, a missed run skipped after 5 minutes, 2 retries, 3 runs of each outcome kept, the hardened pod', () => {
    const c = k8sChart();
    new ScheduledJob(c, 'j', props);
    const cron = only(synthK8s(c), 'CronJob');
    expect(cron.metadata.labels).toMatchObject({ 'app.kubernetes.io/name': 'cleanup', 'app.kubernetes.io/component': 'scheduled-job' });
    expect(cron.metadata.annotations).toBeUndefined();
    expect(cron.spec).toMatchObject({
      schedule: '30 2 * * *',
      timeZone: 'Etc/UTC',
      concurrencyPolicy: 'Forbid',
      startingDeadlineSeconds: 300,
      successfulJobsHistoryLimit: 3,
      failedJobsHistoryLimit: 3,
    });
    const job = cron.spec.jobTemplate.spec;
    expect(job.backoffLimit).toBe(2);
    const pod = job.template.spec;
    expect(pod).toMatchObject({ restartPolicy: 'Never', automountServiceAccountToken: false });
    expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 1000, seccompProfile: { type: 'RuntimeDefault' } });
    expect(pod.containers[0].securityContext).toMatchObject({
      readOnlyRootFilesystem: true,
      allowPrivilegeEscalation: false,
      capabilities: { drop: ['ALL'] },
    });
    expect(pod.containers[0].resources.requests).toEqual({ cpu: '200m', memory: '512Mi' });
    expect(pod.containers[0].volumeMounts).toEqual([{ name: 'tmp', mountPath: '/tmp' }]);
  });

  it('options: time zone, concurrency, deadlines, history, secrets, connections, wave', () => {
    const c = k8sChart();
    const db = {
      namespace: 'team',
      service: 'pg-rw',
      port: 5432,
      targetPort: 5432,
      workload: workloadPeer('team', 'pg', { 'cnpg.io/cluster': 'pg' }),
    };
    const j = new ScheduledJob(c, 'j', {
      ...props,
      schedule: '@daily',
      timeZone: 'Europe/Berlin',
      concurrencyPolicy: 'Replace',
      startingDeadlineSeconds: 60,
      activeDeadlineSeconds: 3600,
      history: { successful: 1, failed: 5 },
      secretEnv: { DB_PASSWORD: { secret: 'db', key: 'password' } },
      connectsTo: [{ endpoint: db, purpose: 'cleanup' }],
      syncWave: 3,
    });
    const cron = only(synthK8s(c), 'CronJob');
    expect(cron.spec).toMatchObject({ schedule: '@daily', timeZone: 'Europe/Berlin', concurrencyPolicy: 'Replace', startingDeadlineSeconds: 60 });
    expect(cron.spec.jobTemplate.spec.activeDeadlineSeconds).toBe(3600);
    expect([cron.spec.successfulJobsHistoryLimit, cron.spec.failedJobsHistoryLimit]).toEqual([1, 5]);
    expect(cron.spec.jobTemplate.spec.template.spec.containers[0].env).toEqual([
      { name: 'DB_PASSWORD', valueFrom: { secretKeyRef: { name: 'db', key: 'password' } } },
    ]);
    expect(cron.metadata.annotations).toEqual({ 'argocd.argoproj.io/sync-wave': '3' });
    expect(FactRegistry.of(c).connections()).toEqual([
      { connection: { from: j.peer, to: db.workload, ports: [{ port: 5432 }], purpose: 'cleanup' }, declaredBy: 'test/j' },
    ]);
    expect(j.peer.podLabels).toEqual({ 'app.kubernetes.io/name': 'cleanup', 'app.kubernetes.io/component': 'scheduled-job' });
  });

  it('rejects a schedule cron would not run, an empty command, a deadline below the controller interval, and :latest', () => {
    const err = (p: Partial<ScheduledJobProps>) => errorOf(() => new ScheduledJob(k8sChart(), 'j', { ...props, ...p }));
    for (const schedule of [
      '* * * *',
      '60 * * * *',
      '0 24 * * *',
      '0 0 0 * *',
      '0 0 * 13 *',
      '0 0 * * 7',
      '*/0 * * * *',
      '5-1 * * * *',
      '@sometimes',
    ])
      expect(err({ schedule })).toBe(
        `ScheduledJob at test/j: prop "schedule" is "${schedule}"; expected a five-field cron expression such as "0 3 * * *" (minute hour day month weekday) or @daily`,
      );
    for (const schedule of ['*/15 * * * *', '0 9-17 * * 1-5', '0,30 * 1 1,6 0', '@hourly'])
      expect(() => new ScheduledJob(k8sChart(), 'j', { ...props, schedule })).not.toThrow();
    expect(err({ command: [] })).toBe('ScheduledJob at test/j: prop "command" is []; expected the command each run executes');
    expect(err({ startingDeadlineSeconds: 5 })).toMatch(/prop "startingDeadlineSeconds" is 5; expected at least 10/);
    expect(err({ image: 'registry.example.com/backend:latest' })).toMatch(/image/);
  });
});
