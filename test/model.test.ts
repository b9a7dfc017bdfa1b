import { ConfigError } from '../lib/core/model/issues';
import { loadEnvironments } from '../lib/pipeline/load';
import { RawEnvironment, fixture, writeEnvironments, exampleEnvironment } from './helpers';

/** Loads a fixture and returns the one-line messages of every issue (fails if it loads cleanly). */
function problems(dir: string): string[] {
  try {
    loadEnvironments(dir);
  } catch (e) {
    if (e instanceof ConfigError)
      return e.message
        .split('\n')
        .slice(1)
        .map((l) => l.replace(/^\s+- /, ''));
    throw e;
  }
  throw new Error('expected the environment to be rejected');
}

describe('example environments', () => {
  it('all five load and validate', () => {
    const loaded = loadEnvironments(`${__dirname}/../../environments`);
    expect(loaded.map((l) => [l.env.name, l.env.substrate.kind])).toEqual([
      ['axiom-prod', 'eks'],
      ['dev', 'eks'],
      ['lab', 'kubeadm'],
      ['onprem', 'kubeadm'],
      ['prod', 'aks'],
    ]);
  });
});

describe('environment validation', () => {
  it('rejects names that are not DNS-1123 labels, naming environment, path, value and rule', () => {
    const msgs = problems(fixture('dev', (e) => (e.cluster.nodePools[0].name = 'General_Pool')));
    expect(msgs).toEqual([
      expect.stringMatching(/^dev \(environments\/dev\.yaml\): cluster\.nodePools\[0\]\.name: found "General_Pool"; expected a DNS-1123 label/),
    ]);
  });

  it('rejects duplicate node pool and namespace names', () => {
    const msgs = problems(
      fixture('dev', (e) => {
        e.cluster.nodePools[1].name = 'general';
        e.namespaces[1].name = 'dev-center';
      }),
    );
    expect(msgs).toEqual(
      expect.arrayContaining([
        expect.stringContaining('cluster.nodePools[1].name: found "general"; expected a node pool name used only once'),
        expect.stringContaining('namespaces[1].name: found "dev-center"; expected a namespace declared only once'),
      ]),
    );
  });

  it('rejects min > max and desired outside [min, max]', () => {
    const msgs = problems(
      fixture('dev', (e) => {
        Object.assign(e.cluster.nodePools[0], { min: 4, desired: 3, max: 3 });
        Object.assign(e.cluster.nodePools[1], { min: 1, desired: 9, max: 5 });
      }),
    );
    expect(msgs).toEqual(
      expect.arrayContaining([
        expect.stringContaining('cluster.nodePools[0].min: found 4; expected min ≤ max (max is 3)'),
        expect.stringContaining('cluster.nodePools[0].desired: found 3; expected min ≤ desired (min is 4)'),
        expect.stringContaining('cluster.nodePools[1].desired: found 9; expected desired ≤ max (max is 5)'),
      ]),
    );
  });

  it('rejects overlapping pod, service and node networks', () => {
    const msgs = problems(
      fixture('onprem', (e) => {
        e.substrate.podCidr = '10.96.0.0/16'; // inside the service range 10.96.0.0/12
      }),
    );
    expect(msgs).toEqual([
      expect.stringContaining(
        'cluster.serviceCidr: found "10.96.0.0/12"; expected a service range that does not overlap the pod range 10.96.0.0/16 (substrate.podCidr)',
      ),
    ]);
  });

  it('rejects a service CIDR overlapping the VPC on EKS', () => {
    const msgs = problems(fixture('dev', (e) => (e.cluster.serviceCidr = '10.40.128.0/20')));
    expect(msgs[0]).toContain(
      'cluster.serviceCidr: found "10.40.128.0/20"; expected a service range that does not overlap the node range 10.40.0.0/16',
    );
  });

  it('rejects unsupported Kubernetes versions', () => {
    const msgs = problems(fixture('prod', (e) => (e.kubernetesVersion = '1.24')));
    expect(msgs).toEqual([
      expect.stringContaining('kubernetesVersion: found "1.24"; expected a supported Kubernetes version (1.29, 1.30, 1.31, 1.32, 1.33)'),
    ]);
  });

  it('requires an exact patch version for kubeadm', () => {
    const msgs = problems(fixture('onprem', (e) => (e.kubernetesVersion = '1.31')));
    expect(msgs).toEqual([expect.stringContaining('kubernetesVersion: found "1.31"; expected a full patch version')]);
  });

  it('rejects CIDRs with host bits and malformed addresses', () => {
    const msgs = problems(
      fixture('onprem', (e) => {
        e.substrate.nodeCidr = '10.0.20.1/24';
        e.substrate.hosts[0].ip = '10.0.20.300';
      }),
    );
    expect(msgs).toEqual(
      expect.arrayContaining([
        expect.stringContaining('substrate.nodeCidr: found "10.0.20.1/24"; expected an IPv4 CIDR block with no host bits set'),
        expect.stringContaining('substrate.hosts[0].ip: found "10.0.20.300"; expected an IPv4 address'),
      ]),
    );
  });

  it('rejects unknown fields instead of ignoring them', () => {
    const msgs = problems(fixture('dev', (e) => (e.cluster.nodePools[0].maxSize = 10)));
    expect(msgs).toEqual([expect.stringContaining('cluster.nodePools[0].maxSize: found an unknown field; expected only documented fields')]);
  });

  it('names the valid options of an unknown substrate kind', () => {
    const msgs = problems(fixture('dev', (e) => (e.substrate.kind = 'gke')));
    expect(msgs).toEqual([expect.stringContaining('substrate.kind: found "gke"; expected one of eks, aks, kubeadm')]);
  });

  it('rejects unknown add-ons and lists the catalogue', () => {
    const msgs = problems(fixture('dev', (e) => e.addons.push('istio')));
    expect(msgs[0]).toMatch(
      /addons\[\d+\]: found "istio"; expected a known add-on \(actions-runner-controller, alloy, argo-cd, cert-manager, .*metrics-server/,
    );
  });

  it('requires the file name to match the environment name', () => {
    const env = exampleEnvironment('dev');
    const msgs = problems(writeEnvironments([env], ['staging']));
    expect(msgs).toEqual([expect.stringContaining('name: found "dev"; expected "staging", the file name without .yaml')]);
  });

  it('reports YAML syntax errors with the line', () => {
    const dir = writeEnvironments([]);
    require('fs').writeFileSync(`${dir}/broken.yaml`, 'name: broken\ncluster: [unclosed\n');
    expect(problems(dir)[0]).toMatch(/^broken \(environments\/broken\.yaml\): \(YAML line \d+\): .*expected well-formed YAML/);
  });

  it('reports every problem of every file together', () => {
    const dev: RawEnvironment = exampleEnvironment('dev');
    dev.cluster.nodePools[2].min = 5;
    const prod: RawEnvironment = exampleEnvironment('prod');
    prod.kubernetesVersion = '1.99';
    prod.substrate.podCidr = '10.50.0.0/16';
    const msgs = problems(writeEnvironments([dev, prod]));
    expect(msgs).toHaveLength(3);
    expect(msgs.filter((m) => m.startsWith('dev '))).toHaveLength(1);
    expect(msgs.filter((m) => m.startsWith('prod '))).toHaveLength(2);
  });
});

describe('substrate rules', () => {
  it('kubeadm: hosts must sit in the node network, pools must exist, etcd needs an odd control plane', () => {
    const msgs = problems(
      fixture('onprem', (e) => {
        e.substrate.hosts[4].ip = '10.0.30.22';
        e.substrate.hosts[5].pool = 'storage';
        e.substrate.hosts = e.substrate.hosts.filter((h: RawEnvironment) => h.name !== 'cp-03');
      }),
    );
    expect(msgs).toEqual(
      expect.arrayContaining([
        expect.stringContaining('substrate.hosts[3].ip: found "10.0.30.22"; expected an address inside the node network 10.0.20.0/24'),
        expect.stringContaining('substrate.hosts[4].pool: found "storage"; expected one of the node pools (general, gpu)'),
        expect.stringContaining('substrate.hosts: found "2 control-plane hosts"; expected an odd number'),
      ]),
    );
  });

  it('kubeadm: the API VIP must be free and inside the node network', () => {
    const msgs = problems(fixture('onprem', (e) => (e.substrate.controlPlaneEndpoint.host = '10.0.20.11')));
    expect(msgs).toEqual([
      expect.stringContaining('substrate.controlPlaneEndpoint.host: found "10.0.20.11"; expected a virtual IP that no host uses'),
    ]);
  });

  it('eks: availability zones must belong to the region', () => {
    const msgs = problems(fixture('dev', (e) => (e.substrate.availabilityZones = ['us-east-1a', 'us-west-2b', 'us-east-1a'])));
    expect(msgs).toEqual(
      expect.arrayContaining([
        expect.stringContaining('substrate.availabilityZones[1]: found "us-west-2b"; expected a zone of us-east-1'),
        expect.stringContaining('substrate.availabilityZones[2]: found "us-east-1a"; expected each zone listed once'),
      ]),
    );
  });

  it('aks: exactly one system pool', () => {
    const msgs = problems(fixture('prod', (e) => (e.cluster.nodePools[0].role = 'general')));
    expect(msgs).toEqual([expect.stringContaining('cluster.nodePools: found []; expected exactly one pool with role: system')]);
  });

  it('cloud pools need a machine type and bounds', () => {
    const msgs = problems(
      fixture('prod', (e) => {
        delete e.cluster.nodePools[1].instanceType;
        delete e.cluster.nodePools[1].max;
      }),
    );
    expect(msgs).toEqual(
      expect.arrayContaining([
        expect.stringContaining('cluster.nodePools[1].instanceType: found nothing; expected an Azure VM size'),
        expect.stringContaining('cluster.nodePools[1].max: found nothing; expected the autoscaling maximum'),
      ]),
    );
  });
});
