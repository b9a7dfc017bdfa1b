/** The deploy rehearsal's rules: each names a way the first deploy on an empty cluster stops converging. */
export const REHEARSAL_RULES = {
  'REH-001': {
    name: 'crd-before-custom-resource',
    hint: 'sync the custom resource in a wave after the Application that installs its CRD, and mark it SkipDryRunOnMissingResource=true',
  },
  'REH-002': {
    name: 'application-health',
    hint: `set Argo CD's Application health check (configs.cm resource.customizations.health.argoproj.io_Application) so waves wait for child Applications`,
  },
  'REH-003': {
    name: 'namespace-before-object',
    hint: 'create the namespace in an earlier wave (the namespace layer), not through a later CreateNamespace',
  },
  'REH-004': {
    name: 'reference-produced',
    hint: 'produce the referenced object in the same or an earlier wave (ExternalSecret, Certificate, operator, chart), or reference one that exists',
  },
  'REH-005': {
    name: 'pod-security-admission',
    hint: 'run the pods in a namespace whose Pod Security level admits them (node agents: a privileged namespace of their own), or harden the pod',
  },
  'REH-006': { name: 'scheduling-and-quota', hint: 'give GPU pods the GPU label and toleration, and size the namespace quota for maximum replicas' },
  'REH-007': {
    name: 'storage-class',
    hint: 'use a StorageClass that exists on this substrate with a running provisioner (EKS: gp3 on the EBS CSI driver)',
  },
  'REH-008': {
    name: 'connection-allowed',
    hint: 'declare the connection (connectsTo / allowFrom / chart facts): the generated NetworkPolicies then open it at both ends',
  },
  'REH-009': { name: 'network-policy-enforced', hint: "turn on the CNI's NetworkPolicy enforcement (EKS: vpc-cni enableNetworkPolicy)" },
  'REH-010': {
    name: 'hostname-resolves',
    hint: 'take host names from the module that owns them (typed endpoints), or declare the external host as a connection',
  },
  'REH-011': {
    name: 'job-recreated',
    hint: 'no TTL on a Job in a sync wave; use a hook (with hook-delete-policy) for Jobs that must run on every sync',
  },
  'REH-012': { name: 'statefulset-headless-service', hint: 'point serviceName at a headless Service (clusterIP: None) selecting the StatefulSet' },
  'REH-013': { name: 'probe-port-declared', hint: 'declare every port a probe uses in the container ports' },
  'REH-014': {
    name: 'control-plane-prerequisite',
    hint: 'install a kubelet serving-certificate approver (kubelet-csr-approver) with the kubeadm substrate',
  },
  'REH-015': {
    name: 'application-never-healthy',
    hint: 'make the chart report ready before the manual step (e.g. Vault readiness that accepts sealed and uninitialised)',
  },
  'REH-016': { name: 'service-selects-workload', hint: "make the Service's selector match the pod labels of the workload it fronts" },
  'REH-017': { name: 'autoscaler-target', hint: 'point scaleTargetRef at a Deployment or StatefulSet of the same namespace' },
  'REH-018': {
    name: 'stack-order',
    hint: 'apply the stack that writes an output before every stack that reads it (the order of InfrastructureOutputs.stacks), and read only outputs it declares',
  },
  'REH-019': {
    name: 'terraform-implicit-dependency',
    hint: 'reference the other resource’s attribute (cluster_name = cluster.name) instead of repeating its name, so Terraform orders the two',
  },
  'REH-020': { name: 'data-source-waits', hint: 'give the data source depends_on the resource of its stack that creates what it reads' },
  'REH-021': {
    name: 'vault-path-written',
    hint: 'generate the secret in the Vault stack, or declare it as an input a person writes (a non-generated secret of the app or add-on), so DEPLOY.md asks for it',
  },
  'REH-022': {
    name: 'identity-granted',
    hint: 'grant the identity exactly the role it uses in the stack that creates it, and trust only ServiceAccounts of namespaces the environment creates',
  },
  'REH-023': {
    name: 'image-mirrored',
    hint: 'pull every image as <mirror>/<origin> and list it in images.txt (chart images through the pin’s image table); with a pull-through cache, add the registry to its proxyCaches',
  },
  'REH-024': {
    name: 'crd-fits-apply',
    hint: 'sync the chart with ServerSideApply=true (syncOptions of its add-on or Application): server-side apply keeps no last-applied annotation',
  },
  'REH-025': {
    name: 'webhook-served-before-use',
    hint: 'create the objects a fail-closed admission webhook covers in a later sync wave than the workload that serves it',
  },
} as const;

export type RuleId = keyof typeof REHEARSAL_RULES;

/** The live rehearsal's rules: what the real API server, controllers and scheduler refused. */
export const LIVE_RULES = {
  'LIVE-001': {
    name: 'object-admitted',
    hint: 'the API server rejected the object when the sync applied it: fix the object or what it needs at that point of the sync (namespace, CRD, admission policy)',
  },
  'LIVE-002': {
    name: 'pods-created',
    hint: "the controller could not create the workload's pods: satisfy the namespace's Pod Security level and quota",
  },
  'LIVE-003': {
    name: 'pods-scheduled',
    hint: 'give the pods a node of the pool they target: its labels, a toleration for its taints, requests that fit',
  },
  'LIVE-004': { name: 'claim-storage-class', hint: 'name a StorageClass that exists on this substrate (or is installed earlier in the sync)' },
  'LIVE-005': { name: 'service-selects-pods', hint: "make the Service's selector match the labels of the workload it fronts" },
  'LIVE-006': { name: 'autoscaler-target', hint: 'point scaleTargetRef at a workload of the same namespace that exists' },
} as const;

export type LiveRuleId = keyof typeof LIVE_RULES;
