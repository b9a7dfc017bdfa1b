import { Construct } from 'constructs';
import { VAULT_VOLUME_SIZE } from '../addons/vault';
import { AddOnContext, PlatformAddOn } from '../contracts/addon';
import { VaultPlacement } from '../contracts/platform';
import { Chart, k8s } from '../lib/core/facade/k8s';
import { waveAnnotation } from '../lib/core/facts/waves';
import { Environment } from '../lib/core/model/schema';

/** StorageClass of the local volumes Vault's servers claim on bare metal. */
export const VAULT_LOCAL_CLASS = 'vault-local';
const CONTROL_PLANE = 'node-role.kubernetes.io/control-plane';
/** The directories on each control-plane host, one per claim of a Vault server. */
export const VAULT_HOST_DIRECTORIES = { data: '/var/lib/vault/data', audit: '/var/lib/vault/audit' } as const;
/** The vault user and group of HashiCorp's image (the chart runs it as 100:1000 with fsGroup 1000). */
const VAULT_OWNER = '100:1000';

/**
 * The Lab's requirement: Vault does not store on Ceph, so a Ceph outage cannot lock the secrets away.
 * Its servers run on the control-plane hosts, one per host, each with local volumes for its Raft data
 * and audit log that those hosts prepare at provisioning.
 */
export function kubeadmVaultPlacement(): VaultPlacement {
  return {
    storageClass: VAULT_LOCAL_CLASS,
    nodeSelector: { [CONTROL_PLANE]: '' },
    tolerations: [{ key: CONTROL_PLANE, operator: 'Exists', effect: 'NoSchedule' }],
    description: `local volumes on the control-plane hosts (${VAULT_HOST_DIRECTORIES.data}, ${VAULT_HOST_DIRECTORIES.audit}), not Ceph`,
  };
}

/** The host directories a control-plane node creates for Vault's volumes. */
export function vaultHostDirectories(env: Environment): ReadonlyArray<{ path: string; owner: string; mode: string }> {
  if (!env.addons.includes('vault')) return [];
  return Object.values(VAULT_HOST_DIRECTORIES).map((path) => ({ path, owner: VAULT_OWNER, mode: '0750' }));
}

/**
 * The StorageClass (no provisioner: volumes exist before the claims, bound where the pod is scheduled)
 * and one PersistentVolume per claim per control-plane host, pinned to that host.
 */
export function vaultLocalVolumes(controlPlaneHosts: ReadonlyArray<string>): PlatformAddOn {
  return {
    id: 'vault-local-volumes',
    description: 'Local PersistentVolumes for Vault on the control-plane hosts (its storage independent of Ceph)',
    namespace: 'vault',
    syncWave: -14,
    requires: ['vault'],
    install(chart: Chart, _ctx: AddOnContext): void {
      const scope: Construct = chart;
      new k8s.KubeStorageClass(scope, 'storage-class', {
        metadata: { name: VAULT_LOCAL_CLASS, annotations: waveAnnotation('storage') },
        provisioner: 'kubernetes.io/no-provisioner',
        volumeBindingMode: 'WaitForFirstConsumer',
        reclaimPolicy: 'Retain',
      });
      // Pre-bound to the claims of the chart's StatefulSet (volumeClaimTemplates data and audit of pods
      // vault-0..2): server i lives on control-plane host i, with its data and audit log in their own directories.
      controlPlaneHosts.forEach((host, i) => {
        for (const [use, path] of Object.entries(VAULT_HOST_DIRECTORIES))
          new k8s.KubePersistentVolume(scope, `pv-${use}-${host}`, {
            metadata: { name: `vault-${use}-${host}`, labels: { 'app.kubernetes.io/part-of': 'vault' }, annotations: waveAnnotation('storage') },
            spec: {
              capacity: { storage: k8s.Quantity.fromString(VAULT_VOLUME_SIZE) },
              accessModes: ['ReadWriteOnce'],
              persistentVolumeReclaimPolicy: 'Retain',
              storageClassName: VAULT_LOCAL_CLASS,
              volumeMode: 'Filesystem',
              claimRef: { namespace: 'vault', name: `${use}-vault-${i}` },
              local: { path },
              nodeAffinity: {
                required: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'kubernetes.io/hostname', operator: 'In', values: [host] }] }] },
              },
            },
          });
      });
    },
  };
}
