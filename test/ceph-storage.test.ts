import { chartDefaults } from '../lib/core/charts/vendored';
import { examples, manifests } from './helpers';

const rook = () =>
  manifests(examples(), 'onprem').find((o) => o.kind === 'Application' && o.metadata.name === 'rook-ceph-cluster').spec.source.helm.valuesObject;
const defaults = chartDefaults('rook-ceph-cluster', 'v1.16.0');
const byHost = { failureDomain: 'host', replicated: { size: 3 } };

describe('Rook-Ceph as the Lab lays it out: RBD, CephFS and RGW, three copies across hosts', () => {
  it('CephFS: metadata and data pools replicated by host, its class keeping the chart’s CSI secret parameters', () => {
    const [fs] = rook().cephFileSystems;
    expect(fs.name).toBe('ceph-filesystem');
    expect(fs.spec.metadataPool).toEqual(byHost);
    expect(fs.spec.dataPools).toEqual([{ name: 'data0', ...byHost }]);
    expect(fs.spec.metadataServer).toMatchObject({ activeCount: 1, activeStandby: true });
    expect(fs.storageClass).toMatchObject({ enabled: true, name: 'ceph-filesystem', pool: 'data0', reclaimPolicy: 'Retain' });
    expect(fs.storageClass.parameters).toEqual(defaults.cephFileSystems[0].storageClass.parameters);
    expect(fs.storageClass.parameters['csi.storage.k8s.io/node-stage-secret-name']).toBe('rook-csi-cephfs-node');
  });

  it('RGW: replicated pools instead of the chart’s 2+1 erasure code, two gateways, buckets by claim', () => {
    const [store] = rook().cephObjectStores;
    expect(defaults.cephObjectStores[0].spec.dataPool.erasureCoded).toEqual({ dataChunks: 2, codingChunks: 1 });
    expect(store.spec.dataPool).toEqual({ ...byHost, parameters: { bulk: 'true' } });
    expect(store.spec.metadataPool).toEqual(byHost);
    expect(store.spec.gateway).toMatchObject({ port: 80, instances: 2 });
    expect(store.spec.preservePoolsOnDelete).toBe(true);
    expect(store.storageClass).toMatchObject({ enabled: true, name: 'ceph-bucket', parameters: { region: 'us-east-1' } });
  });

  it('the block pool stays the default class, and the rehearsal knows all three classes and their provisioners', () => {
    expect(rook().cephBlockPools[0].spec).toEqual(byHost);
    const facts = examples()
      .models.find((m) => m.env.name === 'onprem')!
      .platform.applicationFacts.get('rook-ceph-cluster')!;
    expect(facts.storageClasses).toEqual([
      { name: 'ceph-block', provisioner: 'rook-ceph.rbd.csi.ceph.com' },
      { name: 'ceph-filesystem', provisioner: 'rook-ceph.cephfs.csi.ceph.com' },
      { name: 'ceph-bucket', provisioner: 'rook-ceph.ceph.rook.io/bucket' },
    ]);
  });
});
