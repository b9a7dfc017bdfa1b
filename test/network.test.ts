import { parse } from 'yaml';
import { synthesizeAll } from '../lib/pipeline/synth/pipeline';
import { cidrContains, cidrsOverlap } from '../lib/core/util/cidr';
import { examples, fixture, resources, terraform } from './helpers';

describe('AWS network stack (dev)', () => {
  const tf = terraform(examples(), 'dev', 'network');

  it('creates a VPC with DNS support in the configured range', () => {
    const [vpc] = resources(tf, 'aws_vpc');
    expect(vpc).toMatchObject({ cidr_block: '10.40.0.0/16', enable_dns_hostnames: true, enable_dns_support: true });
  });

  it('has one private and one public subnet per availability zone, inside the VPC and disjoint', () => {
    const subnets = resources(tf, 'aws_subnet');
    expect(subnets).toHaveLength(6);
    const zones = (tag: string) =>
      subnets
        .filter((s) => s.tags[tag] === '1')
        .map((s) => s.availability_zone)
        .sort();
    expect(zones('kubernetes.io/role/internal-elb')).toEqual(['us-east-1a', 'us-east-1b', 'us-east-1c']);
    expect(zones('kubernetes.io/role/elb')).toEqual(['us-east-1a', 'us-east-1b', 'us-east-1c']);
    for (const s of subnets) {
      expect(cidrContains('10.40.0.0/16', s.cidr_block)).toBe(true);
      expect(s.map_public_ip_on_launch ?? false).toBe(false);
      expect(s.tags['kubernetes.io/cluster/axiom-dev']).toBe('shared');
    }
    for (let i = 0; i < subnets.length; i++) {
      for (let j = i + 1; j < subnets.length; j++) expect(cidrsOverlap(subnets[i].cidr_block, subnets[j].cidr_block)).toBe(false);
    }
  });

  it('routes private subnets through NAT (single NAT in dev) and public subnets through the internet gateway', () => {
    expect(resources(tf, 'aws_nat_gateway')).toHaveLength(1);
    const routes = resources(tf, 'aws_route');
    expect(routes.filter((r) => r.nat_gateway_id)).toHaveLength(3);
    expect(routes.filter((r) => r.gateway_id)).toHaveLength(1);
  });

  it('per-az NAT gives each zone its own gateway', () => {
    const result = synthesizeAll({ environmentsDir: fixture('dev', (e) => (e.substrate.natGateways = 'per-az')) });
    expect(resources(terraform(result, 'dev', 'network'), 'aws_nat_gateway')).toHaveLength(3);
  });

  it('turns on flow logs with a role that can write only to its log group, and empties the default security group', () => {
    const [flow] = resources(tf, 'aws_flow_log');
    expect(flow.traffic_type).toBe('ALL');
    const [policy] = resources(tf, 'aws_iam_role_policy');
    const doc = JSON.parse(policy.policy);
    expect(doc.Statement).toHaveLength(1);
    expect(doc.Statement[0].Resource).toMatch(/^\$\{aws_cloudwatch_log_group\..*\.arn\}:\*$/);
    const [sg] = resources(tf, 'aws_default_security_group');
    expect(sg).toMatchObject({ ingress: [], egress: [] });
  });

  it('exports the VPC and subnet ids for the cluster stack', () => {
    expect(Object.keys(tf.output)).toEqual(expect.arrayContaining(['private_subnet_ids', 'public_subnet_ids', 'vpc_id']));
    // and, through cdktf's cross-stack references, each private subnet the cluster stack reads
    expect(Object.keys(tf.output).filter((o) => o.startsWith('cross-stack-output-aws_subnetnetwork_private'))).toHaveLength(3);
  });

  it('keeps state in S3, encrypted with KMS, with native locking', () => {
    expect(tf.terraform.backend.s3).toEqual({
      bucket: 'axiom-parity-tfstate',
      key: 'parity/dev/network.tfstate',
      region: 'us-east-1',
      encrypt: true,
      kms_key_id: 'alias/parity-tfstate',
      use_lockfile: true,
    });
  });

  it('tags every resource with the environment through provider default tags', () => {
    expect(tf.provider.aws[0].default_tags[0].tags).toMatchObject({ 'parity:environment': 'dev', 'parity:stack': 'network', project: 'axiom' });
  });
});

describe('Azure network stack (prod)', () => {
  const tf = terraform(examples(), 'prod', 'network');

  it('creates a resource group and VNet in westeurope', () => {
    expect(resources(tf, 'azurerm_resource_group')[0]).toMatchObject({ name: 'rg-arbitex-prod', location: 'westeurope' });
    expect(resources(tf, 'azurerm_virtual_network')[0]).toMatchObject({ address_space: ['10.50.0.0/16'], location: 'westeurope' });
  });

  it('has node, API server and private endpoint subnets, each behind its own NSG', () => {
    const subnets = resources(tf, 'azurerm_subnet');
    expect(subnets.map((s) => s.name).sort()).toEqual(['snet-apiserver', 'snet-nodes', 'snet-private-endpoints']);
    for (const s of subnets) expect(cidrContains('10.50.0.0/16', s.address_prefixes[0])).toBe(true);
    expect(resources(tf, 'azurerm_subnet_network_security_group_association')).toHaveLength(3);
    const api = subnets.find((s) => s.name === 'snet-apiserver');
    expect(api.delegation[0].service_delegation.name).toBe('Microsoft.ContainerService/managedClusters');
  });

  it('keeps state in an azurerm backend with Entra ID auth, no access keys', () => {
    expect(tf.terraform.backend.azurerm).toEqual({
      resource_group_name: 'rg-parity-tfstate',
      storage_account_name: 'arbitexparitystate',
      container_name: 'tfstate',
      key: 'parity/prod/network.tfstate',
      use_azuread_auth: true,
    });
  });
});

describe('bare-metal inventory (onprem)', () => {
  const inventory = parse(examples().files.get('onprem/inventory/hosts.yaml')!);

  it('groups 3 control-plane hosts and 4 workers, one with a GPU', () => {
    expect(Object.keys(inventory.all.children.control_plane.hosts)).toEqual(['cp-01', 'cp-02', 'cp-03']);
    expect(Object.keys(inventory.all.children.pool_general.hosts)).toHaveLength(3);
    expect(Object.keys(inventory.all.children.gpu.hosts)).toEqual(['gpu-01']);
  });

  it('carries the cluster networks of the environment', () => {
    expect(inventory.all.vars).toMatchObject({
      pod_cidr: '10.244.0.0/16',
      service_cidr: '10.96.0.0/12',
      control_plane_endpoint: '10.0.20.10:6443',
      kubernetes_version: '1.31.4',
    });
  });
});

describe('state backends', () => {
  it('on-prem S3-compatible storage uses path-style URLs against its own endpoint', () => {
    // The onprem example has no Terraform stacks yet; put its backend on an EKS fixture to see the JSON.
    const result = synthesizeAll({
      environmentsDir: fixture(
        'dev',
        (e) => (e.stateBackend = { kind: 's3', bucket: 'tfstate', region: 'us-east-1', endpoint: 'https://rgw.lab.internal' }),
      ),
    });
    expect(terraform(result, 'dev', 'network').terraform.backend.s3).toMatchObject({
      endpoints: { s3: 'https://rgw.lab.internal' },
      use_path_style: true,
      encrypt: true,
      use_lockfile: true,
    });
  });

  it('pg backend never carries the connection string (it holds the password)', () => {
    const result = synthesizeAll({ environmentsDir: fixture('dev', (e) => (e.stateBackend = { kind: 'pg', schemaName: 'parity_dev' })) });
    expect(terraform(result, 'dev', 'network').terraform.backend.pg).toEqual({ schema_name: 'parity_dev_network' });
  });

  it('local state must be chosen explicitly', () => {
    expect(() => synthesizeAll({ environmentsDir: fixture('dev', (e) => (e.stateBackend = { kind: 'local' })) })).toThrow(
      /stateBackend\.iUnderstandStateIsNotShared: found nothing; expected/,
    );
    const result = synthesizeAll({
      environmentsDir: fixture('dev', (e) => (e.stateBackend = { kind: 'local', iUnderstandStateIsNotShared: true })),
    });
    expect(terraform(result, 'dev', 'network').terraform.backend.local).toEqual({ path: 'terraform.dev-network.tfstate' });
  });
});
