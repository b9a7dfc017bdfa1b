import { parseAllDocuments, parse } from 'yaml';
import { ManagedNodeGroup } from '../constructs/aws/managed-node-group';
import { AksCluster } from '../constructs/azure/aks-cluster';
import { TerraformApp, TerraformStack } from '../lib/core/facade/tf';
import { synthesizeAll } from '../lib/pipeline/synth/pipeline';
import { substrateFor } from '../substrates';
import { NODE_MANAGED_POLICIES } from '../substrates/eks';
import { exampleEnvironment, examples, fixture, manifests, messageOf, resources, terraform, writeEnvironments } from './helpers';

describe('EKS cluster (dev)', () => {
  const tf = terraform(examples(), 'dev', 'cluster');
  const [cluster] = resources(tf, 'aws_eks_cluster');

  it('has a private endpoint only', () => {
    expect(cluster.vpc_config).toMatchObject({ endpoint_private_access: true, endpoint_public_access: false });
    expect(cluster.vpc_config.public_access_cidrs).toBeUndefined();
    expect(cluster.vpc_config.subnet_ids).toHaveLength(3);
    for (const id of cluster.vpc_config.subnet_ids) expect(id).toMatch(/terraform_remote_state\.cross-stack-reference-input-dev-network.*private/);
  });

  it('envelope-encrypts secrets with a rotating KMS key and logs every control-plane component', () => {
    expect(cluster.encryption_config.resources).toEqual(['secrets']);
    expect(cluster.encryption_config.provider.key_arn).toMatch(/^\$\{aws_kms_key\.[^.]+\.arn\}$/);
    const [key] = resources(tf, 'aws_kms_key');
    expect(key.enable_key_rotation).toBe(true);
    expect(cluster.enabled_cluster_log_types).toEqual(['api', 'audit', 'authenticator', 'controllerManager', 'scheduler']);
    expect(resources(tf, 'aws_cloudwatch_log_group')[0]).toMatchObject({ name: '/aws/eks/axiom-dev/cluster', retention_in_days: 365 });
  });

  it('uses API authentication with access entries, no creator admin', () => {
    expect(cluster.access_config).toEqual({ authentication_mode: 'API', bootstrap_cluster_creator_admin_permissions: false });
    expect(resources(tf, 'aws_eks_access_entry')[0].principal_arn).toBe('arn:aws:iam::111122223333:role/platform-admins');
    expect(resources(tf, 'aws_eks_access_policy_association')[0]).toMatchObject({
      policy_arn: 'arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy',
      access_scope: { type: 'cluster' },
    });
  });

  it('runs the managed add-ons, the VPC CNI on its own pod identity and enforcing NetworkPolicies, the EBS CSI driver', () => {
    const addons = resources(tf, 'aws_eks_addon');
    expect(addons.map((a) => a.addon_name).sort()).toEqual(['aws-ebs-csi-driver', 'coredns', 'eks-pod-identity-agent', 'kube-proxy', 'vpc-cni']);
    const cni = addons.find((a) => a.addon_name === 'vpc-cni');
    expect(cni.pod_identity_association[0].service_account).toBe('aws-node');
    expect(JSON.parse(cni.configuration_values)).toEqual({ enableNetworkPolicy: 'true' });
    const ebs = addons.find((a) => a.addon_name === 'aws-ebs-csi-driver');
    expect(ebs.pod_identity_association[0].service_account).toBe('ebs-csi-controller-sa');
    expect(ebs.depends_on).toHaveLength(3);
    const coredns = addons.find((a) => a.addon_name === 'coredns');
    expect(coredns.depends_on).toHaveLength(3); // waits for the node groups
  });

  it('gives nodes exactly the managed policies they need', () => {
    const attachments = resources(tf, 'aws_iam_role_policy_attachment');
    const nodePolicies = attachments.filter((a) => a.role.includes('node-role')).map((a) => a.policy_arn.split('/').pop());
    expect(nodePolicies.sort()).toEqual([...NODE_MANAGED_POLICIES].sort());
    expect(attachments.map((a) => a.policy_arn)).not.toContain('arn:aws:iam::aws:policy/AdministratorAccess');
  });

  it('creates the the Dev Center design node groups, each on a launch template requiring IMDSv2 and encrypted volumes', () => {
    const groups = resources(tf, 'aws_eks_node_group');
    expect(groups.map((g) => [g.node_group_name, g.instance_types[0], g.scaling_config.min_size, g.scaling_config.max_size]).sort()).toEqual([
      ['compute', 'c6i.2xlarge', 1, 5],
      ['general', 'm6i.xlarge', 2, 10],
      ['gpu', 'g5.2xlarge', 0, 3],
    ]);
    const templates = resources(tf, 'aws_launch_template');
    expect(templates).toHaveLength(3);
    for (const t of templates) {
      expect(t.metadata_options).toMatchObject({ http_tokens: 'required', http_put_response_hop_limit: 1 });
      expect(t.block_device_mappings[0].ebs).toMatchObject({ encrypted: 'true', volume_type: 'gp3' });
    }
    for (const g of groups) expect(g.launch_template.id).toMatch(/^\$\{aws_launch_template\./);
  });

  it('marks the GPU pool with the shared label and taint and lets it scale to zero', () => {
    const gpu = resources(tf, 'aws_eks_node_group').find((g) => g.node_group_name === 'gpu');
    expect(gpu.labels.accelerator).toBe('nvidia');
    expect(gpu.taint).toEqual([{ key: 'nvidia.com/gpu', value: 'true', effect: 'NO_SCHEDULE' }]);
    expect(gpu.scaling_config.min_size).toBe(0);
    expect(gpu.ami_type).toBe('AL2023_x86_64_NVIDIA');
    const general = resources(tf, 'aws_eks_node_group').find((g) => g.node_group_name === 'general');
    expect(general.taint).toBeUndefined();
    expect(general.labels.accelerator).toBeUndefined();
  });

  it('opens a public endpoint only to an explicit allowlist', () => {
    const result = synthesizeAll({ environmentsDir: fixture('dev', (e) => (e.substrate.publicAccessCidrs = ['203.0.113.0/24'])) });
    const [c] = resources(terraform(result, 'dev', 'cluster'), 'aws_eks_cluster');
    expect(c.vpc_config).toMatchObject({ endpoint_public_access: true, endpoint_private_access: true, public_access_cidrs: ['203.0.113.0/24'] });
    expect(() => synthesizeAll({ environmentsDir: fixture('dev', (e) => (e.substrate.publicAccessCidrs = ['0.0.0.0/0'])) })).toThrow(
      /substrate\.publicAccessCidrs\[0\]: found "0\.0\.0\.0\/0"; expected a specific allowlist/,
    );
  });
});

describe('AWS Load Balancer Controller (dev)', () => {
  const result = examples();
  const [app] = parseAllDocuments(result.files.get('dev/manifests/addons/aws-load-balancer-controller.yaml')!).map((d) => d.toJS());
  const values = app.spec.source.helm.valuesObject;
  const wave = (file: string) => Number(parseAllDocuments(result.files.get(file)!)[0].toJS().metadata.annotations['argocd.argoproj.io/sync-wave']);

  it('finds its VPC by the Name tag the network stack gives it, since pods cannot reach instance metadata', () => {
    const [vpc] = resources(terraform(result, 'dev', 'network'), 'aws_vpc');
    expect(values.vpcTags).toEqual({ Name: vpc.tags.Name });
    expect(values).toMatchObject({ clusterName: 'axiom-dev', region: 'us-east-1' });
    const nodes = resources(terraform(result, 'dev', 'cluster'), 'aws_launch_template');
    for (const t of nodes) expect(t.metadata_options.http_put_response_hop_limit).toBe(1);
  });

  it('runs as the service account the cluster stack gives a Pod Identity, and is in place before the ingress controller', () => {
    const association = resources(terraform(result, 'dev', 'cluster'), 'aws_eks_pod_identity_association').find(
      (a) => a.service_account === values.serviceAccount.name,
    );
    expect(association.namespace).toBe(app.spec.destination.namespace);
    expect(wave('dev/manifests/addons/aws-load-balancer-controller.yaml')).toBeLessThan(wave('dev/manifests/addons/ingress-nginx.yaml'));
  });

  it('never blocks Service creation while it is down, and keeps a stable webhook certificate (cert-manager)', () => {
    expect(values).toMatchObject({ enableServiceMutatorWebhook: false, enableCertManager: true, createIngressClassResource: false });
    expect(wave('dev/manifests/addons/cert-manager.yaml')).toBeLessThan(wave('dev/manifests/addons/aws-load-balancer-controller.yaml'));
  });

  it('gives the private environment’s ingress an internal NLB with IP targets', () => {
    const ingress = parse(result.files.get('dev/manifests/addons/ingress-nginx.yaml')!);
    expect(ingress.spec.source.helm.valuesObject.controller.service.annotations).toEqual({
      'service.beta.kubernetes.io/aws-load-balancer-type': 'external',
      'service.beta.kubernetes.io/aws-load-balancer-nlb-target-type': 'ip',
      'service.beta.kubernetes.io/aws-load-balancer-scheme': 'internal',
    });
  });
});

describe('Karpenter (dev)', () => {
  const tf = terraform(examples(), 'dev', 'cluster');
  const objects = parseAllDocuments(examples().files.get('dev/manifests/addons/karpenter.yaml')!).map((d) => d.toJS());

  it('gives the controller a pod identity that can pass only the node role and terminate only its own instances', () => {
    const association = resources(tf, 'aws_eks_pod_identity_association').find((a) => a.service_account === 'karpenter');
    expect(association.namespace).toBe('kube-system');
    const policy = JSON.parse(resources(tf, 'aws_iam_role_policy').find((p) => p.role.includes('karpenter')).policy);
    const statement = (sid: string) => policy.Statement.find((s: any) => s.Sid === sid);
    expect(statement('PassNodeRole').Resource).toBe('${aws_iam_role.node-role.arn}');
    expect(statement('TerminateOwn').Condition.StringLike['aws:ResourceTag/karpenter.sh/nodepool']).toBe('*');
    expect(statement('Cluster').Resource).toMatch(/^\$\{aws_eks_cluster\..*\.arn\}$/);
  });

  it('launches nodes with the managed node groups’ hardening and the shared GPU meaning', () => {
    const nodeClass = objects.find((o) => o.kind === 'EC2NodeClass');
    expect(nodeClass.spec).toMatchObject({
      role: 'axiom-dev-nodes',
      amiSelectorTerms: [{ alias: 'al2023@v20241213' }],
      metadataOptions: { httpTokens: 'required', httpPutResponseHopLimit: 1 },
      blockDeviceMappings: [{ ebs: { encrypted: true, volumeType: 'gp3' } }],
    });
    const gpu = objects.find((o) => o.kind === 'NodePool' && o.metadata.name === 'gpu');
    expect(gpu.spec.template.metadata.labels.accelerator).toBe('nvidia');
    expect(gpu.spec.template.spec.taints).toEqual([{ key: 'nvidia.com/gpu', value: 'true', effect: 'NoSchedule' }]);
  });

  it('syncs the custom resources after the controller that installs their CRDs', () => {
    const wave = (o: any) => Number(o.metadata.annotations['argocd.argoproj.io/sync-wave']);
    const app = objects.find((o) => o.kind === 'Application');
    for (const cr of objects.filter((o) => o.kind !== 'Application')) expect(wave(cr)).toBeGreaterThan(wave(app));
  });
});

describe('AKS cluster (prod)', () => {
  const tf = terraform(examples(), 'prod', 'cluster');
  const [cluster] = resources(tf, 'azurerm_kubernetes_cluster');

  it('is private, with Entra ID RBAC and local accounts disabled', () => {
    expect(cluster).toMatchObject({
      private_cluster_enabled: true,
      local_account_disabled: true,
      role_based_access_control_enabled: true,
      azure_active_directory_role_based_access_control: {
        azure_rbac_enabled: true,
        admin_group_object_ids: ['5f3c9a4e-2b1d-4c8e-9f7a-1d2e3f4a5b6c'],
      },
    });
  });

  it('has OIDC issuer, workload identity, Key Vault secrets provider and network policy', () => {
    expect(cluster).toMatchObject({
      oidc_issuer_enabled: true,
      workload_identity_enabled: true,
      key_vault_secrets_provider: { secret_rotation_enabled: true },
      network_profile: {
        network_plugin: 'azure',
        network_plugin_mode: 'overlay',
        network_policy: 'cilium',
        pod_cidr: '192.168.0.0/16',
        service_cidr: '10.51.0.0/16',
        dns_service_ip: '10.51.0.10',
      },
    });
  });

  it('keeps the system pool for critical add-ons and adds user and GPU pools', () => {
    expect(cluster.default_node_pool).toMatchObject({
      name: 'system',
      only_critical_addons_enabled: true,
      min_count: 3,
      auto_scaling_enabled: true,
      host_encryption_enabled: true,
    });
    const pools = resources(tf, 'azurerm_kubernetes_cluster_node_pool');
    expect(pools.map((p) => p.name)).toEqual(['general', 'gpu']);
    const gpu = pools.find((p) => p.name === 'gpu');
    expect(gpu).toMatchObject({
      vm_size: 'Standard_NC4as_T4_v3',
      min_count: 0,
      max_count: 3,
      node_taints: ['nvidia.com/gpu=true:NoSchedule'],
      mode: 'User',
    });
    expect(gpu.node_labels.accelerator).toBe('nvidia');
    expect(pools.find((p) => p.name === 'general').node_taints).toBeUndefined();
  });

  it('connects to the cluster through the network stack outputs', () => {
    expect(cluster.default_node_pool.vnet_subnet_id).toMatch(/cross-stack-reference-input-prod-network/);
    expect(cluster.resource_group_name).toMatch(/cross-stack-reference-input-prod-network/);
  });
});

describe('bare-metal kubeadm (onprem)', () => {
  const files = examples().files;
  const hosts = ['cp-01', 'cp-02', 'cp-03', 'gpu-01', 'worker-01', 'worker-02', 'worker-03'];

  it('writes kubeadm and cloud-init documents for review, one per host', () => {
    for (const h of hosts) {
      expect(files.has(`onprem/kubeadm/${h}.yaml`)).toBe(true);
      expect(files.get(`onprem/cloud-init/${h}.yaml`)).toMatch(/^#cloud-config\n/);
    }
  });

  it('initialises the first control plane with the environment networks, HA endpoint and stacked etcd', () => {
    const [init, cluster, kubelet] = parseAllDocuments(files.get('onprem/kubeadm/cp-01.yaml')!).map((d) => d.toJS());
    expect(init).toMatchObject({ apiVersion: 'kubeadm.k8s.io/v1beta4', kind: 'InitConfiguration', skipPhases: ['addon/kube-proxy'] });
    expect(cluster).toMatchObject({
      apiVersion: 'kubeadm.k8s.io/v1beta4',
      kind: 'ClusterConfiguration',
      kubernetesVersion: 'v1.31.4',
      controlPlaneEndpoint: '10.0.20.10:6443',
      networking: { podSubnet: '10.244.0.0/16', serviceSubnet: '10.96.0.0/12' },
      etcd: { local: { dataDir: '/var/lib/etcd' } },
      imageRepository: 'registry.lab.internal/registry.k8s.io',
    });
    expect(kubelet).toMatchObject({ kind: 'KubeletConfiguration', cgroupDriver: 'systemd', authentication: { anonymous: { enabled: false } } });
  });

  it('joins other control planes with the certificate key and workers without it', () => {
    const [cp2] = parseAllDocuments(files.get('onprem/kubeadm/cp-02.yaml')!).map((d) => d.toJS());
    expect(cp2.controlPlane).toMatchObject({ localAPIEndpoint: { advertiseAddress: '10.0.20.12' } });
    const [worker] = parseAllDocuments(files.get('onprem/kubeadm/worker-01.yaml')!).map((d) => d.toJS());
    expect(worker.kind).toBe('JoinConfiguration');
    expect(worker.controlPlane).toBeUndefined();
    expect(worker.discovery.file.kubeConfigPath).toBe('/etc/kubernetes/discovery.conf');
    const discovery = parse(
      parse(files.get('onprem/cloud-init/worker-01.yaml')!).write_files.find((f: any) => f.path === '/etc/kubernetes/discovery.conf').content,
    );
    expect(discovery.clusters[0].cluster.server).toBe('https://10.0.20.10:6443');
  });

  it('labels and taints the GPU host like every other GPU pool', () => {
    const [join] = parseAllDocuments(files.get('onprem/kubeadm/gpu-01.yaml')!).map((d) => d.toJS());
    expect(join.nodeRegistration.taints).toEqual([{ key: 'nvidia.com/gpu', value: 'true', effect: 'NoSchedule' }]);
    expect(join.nodeRegistration.kubeletExtraArgs).toContainEqual({ name: 'node-labels', value: 'accelerator=nvidia,parity.dev/node-pool=gpu' });
  });

  it('configures containerd with overlayfs and systemd cgroups, and the NVIDIA runtime only on GPU hosts', () => {
    const containerd = (h: string) =>
      parse(files.get(`onprem/cloud-init/${h}.yaml`)!).write_files.find((f: any) => f.path === '/etc/containerd/config.toml').content;
    for (const h of hosts) {
      expect(containerd(h)).toContain('snapshotter = "overlayfs"');
      expect(containerd(h)).toContain('SystemdCgroup = true');
    }
    expect(containerd('gpu-01')).toContain('default_runtime_name = "nvidia"');
    expect(containerd('gpu-01')).toContain('BinaryName = "/usr/bin/nvidia-container-runtime"');
    expect(containerd('worker-01')).not.toContain('nvidia');
    expect(parse(files.get('onprem/cloud-init/gpu-01.yaml')!).packages).toContain('nvidia-container-toolkit');
  });

  it('provisions every host through MAAS; the CA, token and keys are generated in the stack, only the BMC login is a person’s input', () => {
    const tf = terraform(examples(), 'onprem', 'cluster');
    expect(tf.terraform.required_providers.maas).toEqual({ source: 'canonical/maas', version: '~> 2.6' });
    expect(
      resources(tf, 'maas_machine')
        .map((m) => m.hostname)
        .sort(),
    ).toEqual(hosts);
    expect(Object.keys(tf.variable).sort()).toEqual(['bmc_password', 'bmc_user']);
    expect(tf.variable.bmc_password.sensitive).toBe(true);
    const instances = resources(tf, 'maas_instance');
    expect(instances).toHaveLength(7);
    const userData = tf.resource.maas_instance['instance-cp-01'].deploy_params[0].user_data as string;
    expect(userData).toMatch(/\$\{random_string\.pki_token-id_[0-9A-F]+\.result\}\.\$\{random_string\.pki_token-secret_[0-9A-F]+\.result\}/);
    expect(userData).toMatch(/\$\{random_id\.pki_secrets-encryption-key_[0-9A-F]+\.b64_std\}/);
    expect(userData).toMatch(/\$\{base64encode\(tls_private_key\.pki_ca-key_[0-9A-F]+\.private_key_pem\)\}/);
    const workerData = tf.resource.maas_instance['instance-worker-01'].deploy_params[0].user_data as string;
    expect(workerData).not.toContain('tls_private_key');
    expect(userData).toContain('kubeadm\n    - init');
    for (const [id, i] of Object.entries<any>(tf.resource.maas_instance)) {
      // Joining waits for the first control plane; every host for its tagged storage interfaces and their subnets.
      const host = id.slice('instance-'.length);
      const tagged = [30, 31].flatMap((vid) => [`maas_network_interface_vlan.vlan-${vid}-${host}`, `maas_subnet.subnet-${vid}`]);
      expect(i.depends_on).toEqual([...(id === 'instance-cp-01' ? [] : ['maas_instance.instance-cp-01']), ...tagged]);
    }
    const machine = resources(tf, 'maas_machine')[0];
    expect(machine.power_parameters).toContain('var.bmc_password');
  });
});

describe('EKS node autoscaling', () => {
  it('refuses managed node groups that could scale when no autoscaler runs (karpenter off)', () => {
    const dir = fixture('dev', (e) => {
      e.substrate.karpenter = false;
    });
    expect(messageOf(() => synthesizeAll({ environmentsDir: dir }))).toMatch(
      /dev \(environments\/dev\.yaml\): cluster\.nodePools\[0\]: found "min 2 < max 10"; expected karpenter: true under substrate, or min equal to max/,
    );
  });
});

describe('bootstrap stack', () => {
  it('installs Argo CD and the root Application pointed at the environment GitOps path, after the cluster', () => {
    for (const env of ['dev', 'prod', 'onprem']) {
      const tf = terraform(examples(), env, 'bootstrap');
      const releases = resources(tf, 'helm_release');
      const argo = releases.find((r) => r.name === 'argo-cd');
      expect(argo).toMatchObject({ chart: 'argo-cd', version: '7.7.11', namespace: 'argocd', atomic: true });
      const apps = parse(releases.find((r) => r.name === 'argocd-apps').values[0]).applications[`${env}-root`];
      expect(apps.source).toMatchObject({ path: 'manifests', targetRevision: 'main', repoURL: expect.stringContaining(`gitops-${env}`) });
      expect(tf['//'].metadata.stackName).toBe(`${env}-bootstrap`);
    }
  });

  it('reaches the API with short-lived credentials in the cloud and the cluster stack’s admin certificate on bare metal', () => {
    const k = (env: string) => terraform(examples(), env, 'bootstrap').provider.helm[0].kubernetes;
    expect(k('dev').exec).toMatchObject({ command: 'aws', args: expect.arrayContaining(['get-token', 'axiom-dev']) });
    expect(k('dev').host).toMatch(/cross-stack-reference-input-dev-cluster/);
    expect(k('prod').exec).toMatchObject({ command: 'kubelogin' });
    expect(k('onprem')).toEqual({
      host: 'https://10.0.20.10:6443',
      cluster_ca_certificate: expect.stringMatching(/cross-stack-reference-input-onprem-cluster.*tls_self_signed_cert/),
      client_certificate: expect.stringMatching(/cross-stack-reference-input-onprem-cluster.*tls_locally_signed_cert/),
      client_key: expect.stringMatching(/cross-stack-reference-input-onprem-cluster.*tls_private_key/),
    });
  });

  it('installs the CNI before Argo CD on bare metal only', () => {
    // Install order is the depends_on chain: each release waits for the one before it.
    const chain = (env: string) => {
      const releases = terraform(examples(), env, 'bootstrap').resource.helm_release as Record<string, any>;
      const order: string[] = [];
      let next = Object.keys(releases).find((k) => !releases[k].depends_on);
      while (next) {
        order.push(releases[next].name);
        const current: string = next;
        next = Object.keys(releases).find((k) => releases[k].depends_on?.[0] === `helm_release.${current}`);
      }
      return order;
    };
    expect(chain('onprem')).toEqual(['cilium', 'argo-cd', 'argocd-apps']);
    expect(chain('dev')).toEqual(['argo-cd', 'argocd-apps']);
    const cilium = resources(terraform(examples(), 'onprem', 'bootstrap'), 'helm_release').find((r) => r.name === 'cilium');
    expect(parse(cilium.values[0])).toMatchObject({ kubeProxyReplacement: true, k8sServiceHost: '10.0.20.10' });
    // One owner: after the first install, the Applications in Git own Cilium, Argo CD and the root.
    for (const env of ['dev', 'prod', 'onprem'])
      for (const r of resources(terraform(examples(), env, 'bootstrap'), 'helm_release')) expect(r.lifecycle).toEqual({ ignore_changes: 'all' });
    const adopted = parseAllDocuments(examples().files.get('onprem/manifests/addons/cilium.yaml')!).map((d) => d.toJS())[0];
    expect(adopted.spec.source.helm.releaseName).toBe('cilium');
    expect(adopted.spec.source.helm.valuesObject).toEqual(parse(cilium.values[0]));
  });
});

describe('parity across substrates', () => {
  /** Leaf paths whose values differ between two JSON documents, with both values. */
  function differences(a: unknown, b: unknown, at = ''): Array<{ path: string; a: unknown; b: unknown }> {
    if (a !== null && b !== null && typeof a === 'object' && typeof b === 'object') {
      const keys = new Set([...Object.keys(a as object), ...Object.keys(b as object)]);
      return [...keys].flatMap((k) => differences((a as any)[k], (b as any)[k], at ? `${at}.${k}` : k));
    }
    return JSON.stringify(a) === JSON.stringify(b) ? [] : [{ path: at, a, b }];
  }

  /** The dev environment with only its substrate (and what is bound to it) replaced. */
  function onSubstrate(kind: 'eks' | 'aks' | 'kubeadm') {
    const env = exampleEnvironment('dev');
    env.name = 'parity';
    const donor = kind === 'aks' ? exampleEnvironment('prod') : kind === 'kubeadm' ? exampleEnvironment('onprem') : undefined;
    if (donor) {
      env.substrate = donor.substrate;
      env.cluster.nodePools = donor.cluster.nodePools;
      env.kubernetesVersion = donor.kubernetesVersion;
      // The site's own services (its object store) come with the substrate.
      env.externalServices = donor.externalServices ?? [];
      // The CI runners' dedicated compute pool, on this substrate's machines.
      if (kind === 'aks')
        env.cluster.nodePools.push({ name: 'compute', role: 'compute', dedicated: true, instanceType: 'Standard_F8s_v2', min: 1, max: 5 });
      else {
        env.cluster.nodePools.push({ name: 'compute', role: 'compute', dedicated: true });
        env.substrate.hosts.find((h: { name: string }) => h.name === 'worker-03').pool = 'compute';
      }
    }
    // One config on every substrate: the runners' push identity exists on EKS only (ECR), so none here.
    delete env.apps.find((a: { app: string }) => a.app === 'github-runners').pushes;
    // Loki's operator needs a workload bucket, which only EKS creates so far (S3 by web identity): the
    // comparison runs Loki's chart on every substrate.
    env.addons = env.addons.map((a: string) => (a === 'loki-operator' ? 'loki' : a));
    // Add-ons the substrate runs itself (AKS: metrics-server) are not listed there.
    const managed = substrateFor(kind).traits.managedAddOns;
    env.addons = env.addons.filter((a: string) => !managed.includes(a));
    const result = synthesizeAll({ environmentsDir: writeEnvironments([env]) });
    return { result, model: result.models[0] };
  }

  const variants = (['eks', 'aks', 'kubeadm'] as const).map(onSubstrate);
  const ownAddOns = (v: (typeof variants)[number]) =>
    new Set(v.model.substrate.platformAddOns(v.model.env).map((a) => `parity/manifests/addons/${a.id}.yaml`));
  const managedFiles = new Set(variants.flatMap((v) => v.model.substrate.traits.managedAddOns.map((a) => `parity/manifests/addons/${a}.yaml`)));
  const sharedFiles = (v: (typeof variants)[number]) =>
    [...v.result.files.keys()].filter((f) => f.startsWith('parity/manifests/') && !ownAddOns(v).has(f) && !managedFiles.has(f));

  it('the same environment yields the same manifest files on every substrate, apart from substrate-only add-ons', () => {
    expect(sharedFiles(variants[1])).toEqual(sharedFiles(variants[0]));
    expect(sharedFiles(variants[2])).toEqual(sharedFiles(variants[0]));
    expect([...ownAddOns(variants[0])].sort()).toEqual([
      'parity/manifests/addons/aws-load-balancer-controller.yaml',
      'parity/manifests/addons/ebs-storage-classes.yaml',
      'parity/manifests/addons/karpenter.yaml',
    ]);
    expect([...ownAddOns(variants[2])].sort()).toEqual([
      'parity/manifests/addons/cilium.yaml',
      'parity/manifests/addons/kubelet-csr-approver.yaml',
      'parity/manifests/addons/rook-ceph-cluster.yaml',
      'parity/manifests/addons/rook-ceph.yaml',
      'parity/manifests/addons/vault-local-volumes.yaml',
    ]);
  });

  it('every difference in the platform manifests is a value the substrate declares as a trait', () => {
    const [base, ...others] = variants;
    let compared = 0;
    for (const other of others) {
      const ta = base.model.substrate.traits;
      const tb = other.model.substrate.traits;
      const annotationKeys = new Set([
        ...Object.keys({ ...ta.loadBalancerAnnotations, ...ta.internalLoadBalancerAnnotations }),
        ...Object.keys({ ...tb.loadBalancerAnnotations, ...tb.internalLoadBalancerAnnotations }),
      ]);
      const traitOf = (file: string, d: { path: string; a: unknown; b: unknown }) => {
        if (d.a === ta.defaultStorageClass && d.b === tb.defaultStorageClass) return 'defaultStorageClass';
        if (d.a === ta.ingressClass && d.b === tb.ingressClass) return 'ingressClass';
        if (/\.annotations\./.test(d.path) && annotationKeys.has(d.path.split('.annotations.')[1])) return 'loadBalancerAnnotations';
        if (d.path.endsWith('.service.loadBalancerClass') && d.a === ta.internalLoadBalancerClass && d.b === tb.internalLoadBalancerClass)
          return 'internalLoadBalancerClass';
        // An address from the substrate's pools replaces the class and annotations: its labels and requested address.
        const pooled = tb.entryAddress?.(other.model.env, 'ingress', true);
        // (a whole labels map where the base has none)
        if (pooled && d.path.endsWith('.service.labels') && d.a === undefined && JSON.stringify(d.b) === JSON.stringify(pooled.labels))
          return 'entryAddress';
        if (pooled && /\.service\.(labels|annotations)\./.test(d.path)) {
          const key = d.path.split(/\.service\.(?:labels|annotations)\./)[1];
          if ({ ...pooled.labels, ...pooled.annotations }[key] === d.b) return 'entryAddress';
        }
        if (pooled && d.path.endsWith('.service.loadBalancerClass') && d.a === ta.internalLoadBalancerClass && d.b === undefined)
          return 'entryAddress';
        if (file.endsWith('addons/nvidia-gpu.yaml') && /^\d+\.spec\.source\./.test(d.path)) return 'gpuEnablement';
        // Velero's object store, its plugin and location are the substrate's backup storage.
        if (file.endsWith('addons/velero.yaml') && /\.(initContainers|configuration\.backupStorageLocation|credentials)\./.test(d.path))
          return 'backupStorage';
        // ... and where the store gives keys instead of identities, the documents that sync them from Vault.
        if (file.endsWith('addons/velero.yaml') && !/^0\./.test(d.path)) return 'backupStorage';
        // The subnet router advertises the substrate's own networks (node range: VPC, VNet or VLAN).
        if (/\.spec\.subnetRouter\.advertiseRoutes\.\d+$/.test(d.path)) {
          const nets = (m: typeof base.model) => m.substrate.networks(m.env).map((n) => n.cidr);
          if (nets(base.model).includes(String(d.a)) && nets(other.model).includes(String(d.b))) return 'networks';
        }
        // Egress to the outside excepts the cluster's own ranges, which are the substrate's networks.
        if (file.endsWith('network-policies.yaml') && /\.ipBlock\.except\.\d+$/.test(d.path)) {
          const nets = (m: typeof base.model) => m.substrate.networks(m.env).map((n) => n.cidr);
          if ([d.a, d.b].every((v) => v === undefined || [...nets(base.model), ...nets(other.model)].includes(String(v)))) return 'networks';
        }
        // NetworkPolicies reach the API server and the nodes at the substrate's addresses.
        if (file.endsWith('network-policies.yaml') && /\.ipBlock\.cidr$|\.ports\.\d+\.port$/.test(d.path)) {
          const addr = (m: typeof base.model) => {
            const c = m.substrate.clusterFacts(m.env);
            return [...c.apiServer.cidrs, ...c.nodeCidrs, c.apiServer.port].map(String);
          };
          if (addr(base.model).includes(String(d.a)) && addr(other.model).includes(String(d.b))) return 'clusterFacts';
        }
        // ... and one ipBlock per API server address (three control-plane hosts and the VIP on bare metal).
        if (file.endsWith('network-policies.yaml') && /\.(to|from)\.\d+$/.test(d.path)) {
          const cidrOf = (v: any) => v?.ipBlock?.cidr;
          const all = [base, other].flatMap((v) => [...v.model.substrate.clusterFacts(v.model.env).apiServer.cidrs]);
          if ([d.a, d.b].every((v) => v === undefined || all.includes(cidrOf(v)))) return 'clusterFacts';
        }
        const valuesPath = d.path.replace(/^\d+\.spec\.source\.helm\.valuesObject\./, '');
        const sealA = base.model.substrate.vaultSeal(base.model.env);
        const sealB = other.model.substrate.vaultSeal(other.model.env);
        if (file.endsWith('addons/vault.yaml')) {
          if (valuesPath === 'server.ha.raft.config' && String(d.a).endsWith(sealA.hcl) && String(d.b).endsWith(sealB.hcl)) return 'vaultSeal';
          // A seal identity known only after apply: the bootstrap stack writes the ServiceAccount instead of the chart.
          if (/^server\.serviceAccount\./.test(valuesPath) && (sealA.serviceAccountIdentity || sealB.serviceAccountIdentity)) return 'vaultSeal';
          // Where the servers run and store: the substrate's Vault placement (local volumes on bare metal).
          const placed = (m: typeof base.model) => m.substrate.vaultPlacement?.(m.env);
          if (/^server\.(dataStorage|auditStorage)\.storageClass$/.test(valuesPath)) {
            const at = (m: typeof base.model) => placed(m)?.storageClass ?? m.substrate.traits.defaultStorageClass;
            if (d.a === at(base.model) && d.b === at(other.model)) return 'vaultPlacement';
          }
          if (/^server\.(nodeSelector|tolerations)(\.|$)/.test(valuesPath) && (placed(base.model) || placed(other.model))) return 'vaultPlacement';
          const key = valuesPath.replace(/^server\.(extraLabels|serviceAccount\.annotations)\./, '');
          if (
            key !== valuesPath &&
            (d.a ?? undefined) === ({ ...sealA.podLabels, ...sealA.serviceAccountAnnotations } as Record<string, string>)[key] &&
            (d.b ?? undefined) === ({ ...sealB.podLabels, ...sealB.serviceAccountAnnotations } as Record<string, string>)[key]
          )
            return 'vaultSeal';
        }
        return undefined;
      };
      for (const file of sharedFiles(base)) {
        // Namespaces of substrate-only add-ons (e.g. rook-ceph) exist only where those add-ons do.
        const ownNamespaces = new Set([base, other].flatMap((v) => v.model.substrate.platformAddOns(v.model.env).map((x) => x.namespace)));
        // ... and so do the Argo CD repositories of their OCI charts (Karpenter's on EKS).
        const ownRepositories = new Set(
          [base, other].flatMap((v) =>
            [...ownAddOns(v)].flatMap((f) =>
              parseAllDocuments(v.result.files.get(f) ?? '')
                .map((d) => d.toJS())
                .filter((o) => o?.kind === 'Application' && o.spec?.source?.chart)
                .map((o) => o.spec.source.repoURL),
            ),
          ),
        );
        const shared = (o: any) =>
          !(o.kind === 'Namespace' && o.metadata.labels?.['parity.dev/tier'] === 'platform' && ownNamespaces.has(o.metadata.name)) &&
          !(o.kind === 'Secret' && o.metadata.labels?.['argocd.argoproj.io/secret-type'] === 'repository' && ownRepositories.has(o.stringData?.url));
        const a = parseAllDocuments(base.result.files.get(file)!)
          .map((d) => d.toJS())
          .filter(shared);
        const b = parseAllDocuments(other.result.files.get(file)!)
          .map((d) => d.toJS())
          .filter(shared);
        compared += a.length;
        for (const d of differences(a, b)) {
          expect({ file, substrate: other.model.substrate.kind, path: d.path, trait: traitOf(file, d) }).toEqual({
            file,
            substrate: other.model.substrate.kind,
            path: d.path,
            trait: expect.any(String),
          });
        }
      }
    }
    expect(compared).toBeGreaterThan(100);
  });

  it('the ingress load balancer carries exactly the substrate’s annotations and class (internal for a private environment)', () => {
    for (const v of variants.filter((x) => x.model.substrate.kind !== 'kubeadm')) {
      const app = parse(v.result.files.get('parity/manifests/addons/ingress-nginx.yaml')!);
      const t = v.model.substrate.traits;
      expect(app.spec.source.helm.valuesObject.controller.service.annotations).toEqual({
        ...t.loadBalancerAnnotations,
        ...t.internalLoadBalancerAnnotations,
      });
      expect(app.spec.source.helm.valuesObject.controller.service.loadBalancerClass).toBe(t.internalLoadBalancerClass);
    }
    // Bare metal with an internal pool: Cilium LB-IPAM gives the ingress the pool's first address, which DNS names.
    const onprem = examples();
    expect(parse(onprem.files.get('onprem/manifests/addons/ingress-nginx.yaml')!).spec.source.helm.valuesObject.controller.service).toEqual({
      annotations: { 'lbipam.cilium.io/ips': '10.0.20.200' },
      labels: { 'parity.dev/address-pool': 'internal' },
    });
    expect(onprem.files.get('onprem/DEPLOY.md')).toContain(
      "the site's DNS answering *.apps.lab.internal with 10.0.20.200, the ingress controller's address in the internal pool",
    );
    // Without one, the nodes' own addresses from Cilium's node IPAM, which the chart enables.
    const nodeIpam = synthesizeAll({ environmentsDir: fixture('onprem', (e) => delete e.substrate.loadBalancerPools) });
    expect(parse(nodeIpam.files.get('onprem/manifests/addons/ingress-nginx.yaml')!).spec.source.helm.valuesObject.controller.service).toEqual({
      annotations: {},
      loadBalancerClass: 'io.cilium/node',
    });
    expect(parse(nodeIpam.files.get('onprem/manifests/addons/cilium.yaml')!).spec.source.helm.valuesObject.nodeIPAM).toEqual({ enabled: true });
    expect(nodeIpam.files.get('onprem/DEPLOY.md')).toContain(
      "the site's DNS answering *.apps.lab.internal with the workers' addresses (10.0.20.21, 10.0.20.22, 10.0.20.23, 10.0.20.24)",
    );
    const prodIngress = parse(examples().files.get('prod/manifests/addons/ingress-nginx.yaml')!);
    expect(prodIngress.spec.source.helm.valuesObject.controller.service.annotations).toEqual(substrateFor('aks').traits.loadBalancerAnnotations);
  });
});

describe('bad cluster input', () => {
  it('a GPU pool on a machine type without a GPU is a clear error (EKS and AKS)', () => {
    expect(() => synthesizeAll({ environmentsDir: fixture('dev', (e) => (e.cluster.nodePools[2].instanceType = 'm6i.2xlarge')) })).toThrow(
      /dev \(environments\/dev\.yaml\): cluster\.nodePools\[2\]\.instanceType: found "m6i\.2xlarge"; expected an EC2 instance type with an NVIDIA GPU/,
    );
    expect(() => synthesizeAll({ environmentsDir: fixture('prod', (e) => (e.cluster.nodePools[2].instanceType = 'Standard_D8s_v5')) })).toThrow(
      /cluster\.nodePools\[2\]\.instanceType: found "Standard_D8s_v5"; expected an Azure VM size with an NVIDIA GPU/,
    );
  });

  it('a bare-metal GPU pool host without GPUs is a clear error', () => {
    expect(() => synthesizeAll({ environmentsDir: fixture('onprem', (e) => (e.substrate.hosts[3].gpus = 0)) })).toThrow(
      /substrate\.hosts\[3\]\.gpus: found 0; expected at least 1, because pool gpu has gpu: true/,
    );
  });

  it('constructs validate their own props, naming prop, value and what is valid', () => {
    const stack = new TerraformStack(new TerraformApp({ outdir: '/tmp/parity-unused' }), 's');
    expect(
      messageOf(
        () =>
          new ManagedNodeGroup(stack, 'g', {
            clusterName: 'c',
            name: 'gpu',
            instanceType: 'm6i.xlarge',
            nodeRoleArn: 'r',
            subnetIds: ['a'],
            min: 0,
            max: 2,
            gpu: true,
          }),
      ),
    ).toBe('ManagedNodeGroup at s/g: prop "instanceType" is "m6i.xlarge"; expected a GPU instance type (g4dn, g5, g6, p4d, p5, ...) for a gpu pool');
    expect(
      messageOf(
        () =>
          new ManagedNodeGroup(stack, 'h', {
            clusterName: 'c',
            name: 'x',
            instanceType: 'm6i.xlarge',
            nodeRoleArn: 'r',
            subnetIds: ['a'],
            min: 3,
            max: 2,
          }),
      ),
    ).toBe('ManagedNodeGroup at s/h: prop "min" is 3; expected ≤ max (2)');
    const base = {
      name: 'c',
      location: 'westeurope',
      resourceGroupName: 'rg',
      version: '1.31',
      nodeSubnetId: 's',
      podCidr: '192.168.0.0/16',
      serviceCidr: '10.0.0.0/16',
      dnsServiceIp: '10.0.0.10',
    };
    expect(
      messageOf(
        () =>
          new AksCluster(stack, 'a', { ...base, systemPool: { name: 'system', vmSize: 'Standard_D4s_v5', min: 1, max: 3 }, adminGroupObjectIds: [] }),
      ),
    ).toMatch(/^AksCluster at [^:]+\/a: prop "adminGroupObjectIds" is \[\]; expected at least one Entra ID group/);
  });
});

describe('Vault on bare metal stores outside Ceph (Lab design)', () => {
  const objects = manifests(examples(), 'onprem');
  const vault = objects.find((o) => o.kind === 'Application' && o.metadata.name === 'vault').spec.source.helm.valuesObject.server;

  it('its servers run on the control-plane hosts and claim local volumes', () => {
    expect(vault.dataStorage.storageClass).toBe('vault-local');
    expect(vault.auditStorage.storageClass).toBe('vault-local');
    expect(vault.nodeSelector).toEqual({ 'node-role.kubernetes.io/control-plane': '' });
    expect(vault.tolerations).toEqual([{ key: 'node-role.kubernetes.io/control-plane', operator: 'Exists', effect: 'NoSchedule' }]);
    const sc = objects.find((o) => o.kind === 'StorageClass' && o.metadata.name === 'vault-local');
    expect(sc).toMatchObject({ provisioner: 'kubernetes.io/no-provisioner', volumeBindingMode: 'WaitForFirstConsumer', reclaimPolicy: 'Retain' });
  });

  it('one pre-bound local volume per claim per control-plane host, each in a directory the host creates at provisioning', () => {
    const pvs = objects.filter((o) => o.kind === 'PersistentVolume');
    expect(
      pvs.map((p) => [
        p.metadata.name,
        p.spec.claimRef.name,
        p.spec.local.path,
        p.spec.nodeAffinity.required.nodeSelectorTerms[0].matchExpressions[0].values[0],
      ]),
    ).toEqual([
      ['vault-data-cp-01', 'data-vault-0', '/var/lib/vault/data', 'cp-01'],
      ['vault-audit-cp-01', 'audit-vault-0', '/var/lib/vault/audit', 'cp-01'],
      ['vault-data-cp-02', 'data-vault-1', '/var/lib/vault/data', 'cp-02'],
      ['vault-audit-cp-02', 'audit-vault-1', '/var/lib/vault/audit', 'cp-02'],
      ['vault-data-cp-03', 'data-vault-2', '/var/lib/vault/data', 'cp-03'],
      ['vault-audit-cp-03', 'audit-vault-2', '/var/lib/vault/audit', 'cp-03'],
    ]);
    for (const p of pvs) expect(p.spec.capacity.storage).toBe(vault.dataStorage.size);
    const cmds = (host: string) => parse(examples().files.get(`onprem/cloud-init/${host}.yaml`)!).runcmd.map((c: string[]) => c.join(' '));
    expect(cmds('cp-01')).toEqual(expect.arrayContaining(['mkdir -p /var/lib/vault/data', 'chown 100:1000 /var/lib/vault/audit']));
    expect(cmds('worker-01').some((c: string) => c.includes('/var/lib/vault'))).toBe(false);
    // The cloud environments keep Vault on their default StorageClass.
    const dev = manifests(examples(), 'dev').find((o) => o.kind === 'Application' && o.metadata.name === 'vault').spec.source.helm.valuesObject
      .server;
    expect(dev.dataStorage.storageClass).toBe('gp3');
    expect(dev.nodeSelector).toBeUndefined();
  });
});
