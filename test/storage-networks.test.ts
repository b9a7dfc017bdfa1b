import { synthesizeAll } from '../lib/pipeline/synth/pipeline';
import { examples, fixture, manifests, messageOf, resources, terraform } from './helpers';

describe('Ceph on its own VLANs (bare metal: substrate.storageNetworks)', () => {
  it('MAAS carries VLANs 30 and 31 without DHCP, each host tagged on its node interface at its own host part', () => {
    const tf = terraform(examples(), 'onprem', 'cluster');
    expect(resources(tf, 'maas_vlan').map((v) => [v.vid, v.name, v.dhcp_on])).toEqual([
      [30, 'ceph-public', false],
      [31, 'ceph-cluster', false],
    ]);
    expect(resources(tf, 'maas_subnet').map((s) => [s.cidr, s.vlan])).toEqual([
      ['10.0.30.0/24', '${maas_vlan.vlan-30.id}'],
      ['10.0.31.0/24', '${maas_vlan.vlan-31.id}'],
    ]);
    // Seven hosts, two tagged interfaces each.
    expect(resources(tf, 'maas_network_interface_vlan')).toHaveLength(14);
    const gpu = tf.resource.maas_instance['instance-gpu-01'];
    expect(gpu.network_interfaces).toEqual([
      { name: 'eno1', subnet_cidr: '10.0.20.0/24', ip_address: '10.0.20.21' },
      { name: 'eno1.30', subnet_cidr: '10.0.30.0/24', ip_address: '10.0.30.21' },
      { name: 'eno1.31', subnet_cidr: '10.0.31.0/24', ip_address: '10.0.31.21' },
    ]);
    expect(gpu.depends_on).toEqual(expect.arrayContaining(['maas_network_interface_vlan.vlan-30-gpu-01', 'maas_subnet.subnet-31']));
  });

  it('Ceph runs on the host network: clients on the public VLAN, replication on the cluster VLAN', () => {
    const rook = manifests(examples(), 'onprem').find((o) => o.kind === 'Application' && o.metadata.name === 'rook-ceph-cluster');
    expect(rook.spec.source.helm.valuesObject.cephClusterSpec.network).toEqual({
      provider: 'host',
      addressRanges: { public: ['10.0.30.0/24'], cluster: ['10.0.31.0/24'] },
    });
    // Pods' egress to the outside never reaches the storage networks.
    const policies = manifests(examples(), 'onprem').filter((o) => o.kind === 'NetworkPolicy' && JSON.stringify(o).includes('0.0.0.0/0'));
    for (const p of policies) expect(JSON.stringify(p)).toContain('10.0.31.0/24');
    // Without storage networks Ceph keeps the pod network and MAAS gets no VLANs.
    const plain = synthesizeAll({ environmentsDir: fixture('onprem', (e) => delete e.substrate.storageNetworks) });
    expect(resources(terraform(plain, 'onprem', 'cluster'), 'maas_vlan')).toEqual([]);
    expect(
      manifests(plain, 'onprem').find((o) => o.kind === 'Application' && o.metadata.name === 'rook-ceph-cluster').spec.source.helm.valuesObject
        .cephClusterSpec,
    ).not.toHaveProperty('network');
  });

  it('rejects one VLAN for both networks, a network too small for the hosts, one overlapping the nodes', () => {
    const same = fixture('onprem', (e) => (e.substrate.storageNetworks.cluster.vlan = 30));
    expect(messageOf(() => synthesizeAll({ environmentsDir: same }))).toContain(
      "substrate.storageNetworks.cluster.vlan: found 30; expected a VLAN other than the public network's (30)",
    );
    const small = fixture('onprem', (e) => (e.substrate.storageNetworks.public.cidr = '10.0.30.0/28'));
    expect(messageOf(() => synthesizeAll({ environmentsDir: small }))).toContain(
      'substrate.storageNetworks.public.cidr: found "10.0.30.0/28"; expected a network with room for every host\'s address part (not: gpu-01 10.0.20.21, worker-01 10.0.20.22, worker-02 10.0.20.23, worker-03 10.0.20.24)',
    );
    const overlap = fixture('onprem', (e) => (e.substrate.storageNetworks.public.cidr = '10.0.20.0/24'));
    expect(messageOf(() => synthesizeAll({ environmentsDir: overlap }))).toMatch(/substrate\.storageNetworks\.public\.cidr.*overlap/i);
  });
});

describe('Ceph on the control planes too (substrate.storageOnControlPlanes, the Lab’s R630s)', () => {
  const app = (env: string, id: string) =>
    manifests(examples(), env).find((o) => o.kind === 'Application' && o.metadata.name === id).spec.source.helm.valuesObject;
  const toleration = { key: 'node-role.kubernetes.io/control-plane', operator: 'Exists', effect: 'NoSchedule' };

  it('lets every Ceph daemon and the CSI plugins past the control-plane taint where the site says so', () => {
    expect(app('lab', 'rook-ceph-cluster').cephClusterSpec.placement).toEqual({ all: { tolerations: [toleration] } });
    expect(app('lab', 'rook-ceph').csi).toEqual({ pluginTolerations: [toleration] });
  });

  it('keeps Ceph on the workers by default', () => {
    expect(app('onprem', 'rook-ceph-cluster').cephClusterSpec.placement).toBeUndefined();
    expect(app('onprem', 'rook-ceph').csi.pluginTolerations).toBeUndefined();
  });

  it('keeps the mirror’s CSI images beside the tolerations on a mirrored site', () => {
    const result = synthesizeAll({ environmentsDir: fixture('onprem', (e) => (e.substrate.storageOnControlPlanes = true)) });
    const csi = manifests(result, 'onprem').find((o) => o.kind === 'Application' && o.metadata.name === 'rook-ceph').spec.source.helm.valuesObject
      .csi;
    expect(csi.pluginTolerations).toEqual([toleration]);
    expect(csi.cephcsi).toEqual({ repository: 'registry.lab.internal/quay.io/cephcsi/cephcsi' });
  });
});
