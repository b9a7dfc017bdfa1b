import { synthesizeAll } from '../lib/pipeline/synth/pipeline';
import { RawEnvironment, fixture, manifests, messageOf, resources, terraform } from './helpers';

/** Backblaze B2 as the offsite store, as seed 004 keeps the Lab's backups. */
const B2 = { name: 'offsite-backups', host: 's3.us-west-004.backblazeb2.com', port: 443, description: 'Backblaze B2, offsite backups' };
const offsite = (e: RawEnvironment) => {
  e.externalServices = [...(e.externalServices ?? []), B2];
  e.backups = { store: 'offsite-backups', bucket: 'lab-velero-offsite', region: 'us-west-004', requestChecksums: false };
};
const veleroValues = (result: ReturnType<typeof synthesizeAll>, env: string) =>
  manifests(result, env).find((o) => o.kind === 'Application' && o.metadata.name === 'velero').spec.source.helm.valuesObject;

describe('offsite backups (backups: an S3-compatible external service)', () => {
  it('bare metal: Velero writes to B2 with Kopia, signed for its region, without request checksums, its key from Vault', () => {
    const result = synthesizeAll({ environmentsDir: fixture('onprem', offsite) });
    const values = veleroValues(result, 'onprem');
    expect(values.configuration.backupStorageLocation).toEqual([
      {
        name: 'default',
        provider: 'aws',
        bucket: 'lab-velero-offsite',
        config: { region: 'us-west-004', s3ForcePathStyle: 'true', s3Url: 'https://s3.us-west-004.backblazeb2.com', checksumAlgorithm: '' },
      },
    ]);
    expect(values.configuration.uploaderType).toBe('kopia');
    expect(values.schedules.daily.schedule).toBe('0 2 * * *');
    expect(values.credentials).toEqual({ useSecret: true, existingSecret: 'velero-credentials' });
    // The mirror carries the plugin, and a person writes the key where DEPLOY.md says.
    expect(values.initContainers[0].image).toBe('registry.lab.internal/docker.io/velero/velero-plugin-for-aws:v1.11.0');
    expect(result.files.get('onprem/DEPLOY.md')).toContain('vault kv put kv/velero/velero/velero-credentials cloud=<value>');
    expect(manifests(result, 'onprem').some((o) => o.kind === 'ExternalSecret' && o.metadata.name === 'velero-credentials')).toBe(true);
  });

  it('in the cloud: no bucket or storage account of its own, the key from Vault instead of the workload identity', () => {
    const eks = synthesizeAll({ environmentsDir: fixture('dev', offsite) });
    expect(resources(terraform(eks, 'dev', 'cluster'), 'aws_s3_bucket').map((b) => b.bucket)).not.toContain('axiom-dev-velero');
    expect(resources(terraform(eks, 'dev', 'cluster'), 'aws_eks_pod_identity_association').map((a) => a.service_account)).not.toContain('velero');
    expect(veleroValues(eks, 'dev').credentials).toEqual({ useSecret: true, existingSecret: 'velero-credentials' });
    expect(eks.files.get('dev/DEPLOY.md')).toContain('kv/velero/velero/velero-credentials');
    // Checksums stay on where the store accepts them.
    const aks = synthesizeAll({ environmentsDir: fixture('prod', (e) => (offsite(e), (e.backups.requestChecksums = true))) });
    expect(resources(terraform(aks, 'prod', 'cluster'), 'azurerm_storage_account').map((a) => a.name)).not.toContain('starbitexprodbackup');
    expect(veleroValues(aks, 'prod').configuration.backupStorageLocation[0].config).not.toHaveProperty('checksumAlgorithm');
  });

  it('rejects a store that is not an external service, one not on 443, and backups without Velero', () => {
    const unknown = fixture('onprem', (e) => (offsite(e), (e.backups.store = 'b2')));
    expect(messageOf(() => synthesizeAll({ environmentsDir: unknown }))).toContain(
      'backups.store: found "b2"; expected the name of an externalServices entry (object-store, identity, authorization, offsite-backups)',
    );
    const port = fixture('onprem', (e) => (offsite(e), (e.externalServices.find((s: any) => s.name === 'offsite-backups').port = 9000)));
    expect(messageOf(() => synthesizeAll({ environmentsDir: port }))).toContain('a store served over HTTPS on 443 (offsite-backups is on 9000)');
    const none = fixture('onprem', (e) => (offsite(e), (e.addons = e.addons.filter((a: string) => a !== 'velero'))));
    expect(messageOf(() => synthesizeAll({ environmentsDir: none }))).toContain('backups: found "offsite-backups"; expected velero in addons');
  });
});
