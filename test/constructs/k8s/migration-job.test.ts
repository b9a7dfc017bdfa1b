import { MigrationJob, MigrationJobProps } from '../../../constructs/k8s/migration-job';
import { workloadPeer } from '../../../lib/core/facts/connections';
import { FactRegistry } from '../../../lib/core/facts/registry';
import { errorOf, k8sChart, only, synthK8s } from '../helpers';

const props: MigrationJobProps = {
  name: 'migrate',
  namespace: 'app',
  image: 'registry.example.com/app:1.0.0',
  command: ['flyway', 'migrate'],
  runs: { hook: 'PreSync' },
};

describe('MigrationJob', () => {
  it('defaults as a hook: deleted before re-creation, a TTL, 3 retries, the hardened pod, never restarted', () => {
    const c = k8sChart();
    new MigrationJob(c, 'm', props);
    const job = only(synthK8s(c), 'Job');
    expect(job.metadata.annotations).toEqual({ 'argocd.argoproj.io/hook': 'PreSync', 'argocd.argoproj.io/hook-delete-policy': 'BeforeHookCreation' });
    expect(job.spec).toMatchObject({ backoffLimit: 3, ttlSecondsAfterFinished: 300 });
    expect(job.spec.template.spec.restartPolicy).toBe('Never');
    expect(job.spec.template.spec.containers[0].securityContext.readOnlyRootFilesystem).toBe(true);
  });

  it('options: in a sync wave (no TTL), Secrets, the CSI volume and declared connections', () => {
    const c = k8sChart();
    const db = { namespace: 'app', service: 'pg-rw', port: 5432, targetPort: 5432, workload: workloadPeer('app', 'pg', { 'cnpg.io/cluster': 'pg' }) };
    new MigrationJob(c, 'm', { ...props, runs: { syncWave: 3 }, envFromSecrets: ['db'], csiSecretProviderClass: 'kv', connectsTo: [db] });
    const job = only(synthK8s(c), 'Job');
    expect(job.metadata.annotations).toEqual({ 'argocd.argoproj.io/sync-wave': '3' });
    expect(job.spec.ttlSecondsAfterFinished).toBeUndefined();
    expect(job.spec.template.spec.containers[0].envFrom).toEqual([{ secretRef: { name: 'db' } }]);
    expect(job.spec.template.spec.volumes.map((v: any) => v.name)).toEqual(['tmp', 'secrets-store']);
    // A Secret's keys read-only, only those asked for (a CA to verify a server against).
    const withCa = k8sChart();
    new MigrationJob(withCa, 'm', { ...props, secretMounts: [{ name: 'ca', mountPath: '/etc/ca', secret: 'server-tls', items: ['ca.crt'] }] });
    const pod = only(synthK8s(withCa), 'Job').spec.template.spec;
    expect(pod.volumes[1]).toEqual({
      name: 'ca',
      secret: { secretName: 'server-tls', defaultMode: 0o440, items: [{ key: 'ca.crt', path: 'ca.crt' }] },
    });
    expect(pod.containers[0].volumeMounts[1]).toEqual({ name: 'ca', mountPath: '/etc/ca', readOnly: true });
    expect(FactRegistry.of(c).connections()[0].connection.purpose).toBe('schema migration');
  });

  it('names a wave Job after its pod template, so a new image is a new Job (a template cannot change in place); a hook keeps its name', () => {
    const nameOf = (p: MigrationJobProps) => {
      const c = k8sChart();
      new MigrationJob(c, 'm', p);
      return only(synthK8s(c), 'Job').metadata.name;
    };
    const wave = { ...props, runs: { syncWave: 3 } };
    expect(nameOf(wave)).toMatch(/^migrate-[0-9a-f]{8}$/);
    expect(nameOf(wave)).toBe(nameOf(wave));
    expect(nameOf({ ...wave, image: 'registry.example.com/app:1.0.1' })).not.toBe(nameOf(wave));
    expect(nameOf({ ...wave, env: { MODE: 'strict' } })).not.toBe(nameOf(wave));
    expect(nameOf(props)).toBe('migrate');
  });

  it('option: connectsToPeers declares its calls to peers outside the cluster (a managed database)', () => {
    const c = k8sChart();
    const peer = { kind: 'external' as const, host: 'db.example.com', cidr: '10.0.8.0/24' };
    new MigrationJob(c, 'm', { ...props, connectsToPeers: [{ peer, ports: [{ port: 5432 }] }] });
    expect(FactRegistry.of(c).connections()).toEqual([
      {
        connection: {
          from: expect.objectContaining({ namespace: 'app', name: 'app/migrate' }),
          to: peer,
          ports: [{ port: 5432 }],
          purpose: 'schema migration',
        },
        declaredBy: 'test/m',
      },
    ]);
  });

  it('rejects a TTL on a wave Job and an empty command', () => {
    expect(errorOf(() => new MigrationJob(k8sChart(), 'm', { ...props, runs: { syncWave: 1 }, ttlSecondsAfterFinished: 60 }))).toMatch(
      /^MigrationJob at test\/m: prop "ttlSecondsAfterFinished" is 60/,
    );
    expect(errorOf(() => new MigrationJob(k8sChart(), 'm', { ...props, command: [] }))).toMatch(/prop "command" is \[\]/);
    expect(errorOf(() => new MigrationJob(k8sChart(), 'm', { ...props, name: 'm'.repeat(55), runs: { syncWave: 1 } }))).toMatch(
      /prop "name" is "m{55}".*at most 54 characters/,
    );
  });
});
