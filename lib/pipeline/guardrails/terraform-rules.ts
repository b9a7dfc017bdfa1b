/* eslint-disable @typescript-eslint/no-explicit-any -- rules walk Terraform JSON, whose resource bodies have no static type. */
import { PolicyRule, TerraformContext, TerraformStackJson, Violation } from './policy';

type Rule = PolicyRule<TerraformContext>;

interface TfResource {
  readonly stack: TerraformStackJson;
  readonly type: string;
  readonly name: string;
  readonly body: any;
}

function resourcesOf(ctx: TerraformContext, type: string): TfResource[] {
  return ctx.stacks.flatMap((stack) => Object.entries<any>(stack.json.resource?.[type] ?? {}).map(([name, body]) => ({ stack, type, name, body })));
}

function at(r: TfResource, path: string, message: string): Violation {
  return { target: `${r.stack.stackId}:${r.type}.${r.name}`, path, message, file: r.stack.file };
}

function openToInternet(cidrs: unknown): boolean {
  return Array.isArray(cidrs) && cidrs.some((c) => c === '0.0.0.0/0' || c === '::/0');
}

export const eksPrivateEndpoint: Rule = {
  id: 'TF-001',
  name: 'eks-private-endpoint',
  severity: 'error',
  rationale: 'The EKS API is reachable from the VPC; a public endpoint needs an explicit allowlist',
  hint: 'keep substrate.publicAccessCidrs empty, or list specific CIDRs',
  check: (ctx) =>
    resourcesOf(ctx, 'aws_eks_cluster').flatMap((r) => {
      const vpc = r.body.vpc_config ?? {};
      const v: Violation[] = [];
      if (vpc.endpoint_private_access !== true) v.push(at(r, 'vpc_config.endpoint_private_access', 'private endpoint access is off'));
      if (vpc.endpoint_public_access !== false && !(Array.isArray(vpc.public_access_cidrs) && vpc.public_access_cidrs.length > 0)) {
        v.push(at(r, 'vpc_config.endpoint_public_access', 'public endpoint without an allowlist'));
      }
      return v;
    }),
};

export const eksSecretsEncryption: Rule = {
  id: 'TF-002',
  name: 'eks-secrets-encryption',
  severity: 'error',
  rationale: 'Kubernetes Secrets are envelope-encrypted with a customer KMS key',
  hint: 'use the EksCluster construct (encryption_config with resources ["secrets"])',
  check: (ctx) =>
    resourcesOf(ctx, 'aws_eks_cluster')
      .filter((r) => !(r.body.encryption_config?.resources ?? []).includes('secrets') || !r.body.encryption_config?.provider?.key_arn)
      .map((r) => at(r, 'encryption_config', 'secrets are not envelope-encrypted with a KMS key')),
};

const REQUIRED_LOGS = ['api', 'audit', 'authenticator'];

export const eksLogging: Rule = {
  id: 'TF-003',
  name: 'eks-control-plane-logging',
  severity: 'error',
  rationale: 'API, audit and authenticator logs are the record of who did what to the cluster',
  hint: 'enable at least api, audit and authenticator in enabled_cluster_log_types',
  check: (ctx) =>
    resourcesOf(ctx, 'aws_eks_cluster').flatMap((r) => {
      const missing = REQUIRED_LOGS.filter((l) => !(r.body.enabled_cluster_log_types ?? []).includes(l));
      return missing.length ? [at(r, 'enabled_cluster_log_types', `missing ${missing.join(', ')}`)] : [];
    }),
};

export const nodeImdsV2: Rule = {
  id: 'TF-004',
  name: 'node-imdsv2',
  severity: 'error',
  rationale: 'IMDSv1 lets any SSRF read node credentials; node groups require IMDSv2 through their launch template',
  hint: 'use ManagedNodeGroup (launch template with metadata_options.http_tokens = "required")',
  check: (ctx) => {
    const templates = new Map(resourcesOf(ctx, 'aws_launch_template').map((t) => [`\${aws_launch_template.${t.name}.id}`, t]));
    const v: Violation[] = [];
    for (const t of templates.values()) {
      if (t.body.metadata_options?.http_tokens !== 'required') v.push(at(t, 'metadata_options.http_tokens', 'IMDSv2 not required'));
    }
    for (const g of resourcesOf(ctx, 'aws_eks_node_group')) {
      if (!templates.has(g.body.launch_template?.id)) v.push(at(g, 'launch_template', 'no launch template of this stack, so IMDSv2 is not enforced'));
    }
    return v;
  },
};

export const aksPrivateCluster: Rule = {
  id: 'TF-005',
  name: 'aks-private-cluster',
  severity: 'error',
  rationale: 'The AKS API server has no public endpoint',
  hint: 'use the AksCluster construct (private_cluster_enabled = true)',
  check: (ctx) =>
    resourcesOf(ctx, 'azurerm_kubernetes_cluster')
      .filter((r) => r.body.private_cluster_enabled !== true)
      .map((r) => at(r, 'private_cluster_enabled', 'not a private cluster')),
};

export const aksIdentity: Rule = {
  id: 'TF-006',
  name: 'aks-entra-rbac-no-local-accounts',
  severity: 'error',
  rationale: 'Access goes through Entra ID and Azure RBAC; local accounts would be a static admin credential',
  hint: 'local_account_disabled = true, role_based_access_control_enabled = true, azure_rbac_enabled = true',
  check: (ctx) =>
    resourcesOf(ctx, 'azurerm_kubernetes_cluster').flatMap((r) => {
      const v: Violation[] = [];
      if (r.body.local_account_disabled !== true) v.push(at(r, 'local_account_disabled', 'local accounts enabled'));
      if (r.body.role_based_access_control_enabled !== true) v.push(at(r, 'role_based_access_control_enabled', 'Kubernetes RBAC off'));
      if (r.body.azure_active_directory_role_based_access_control?.azure_rbac_enabled !== true) {
        v.push(at(r, 'azure_active_directory_role_based_access_control.azure_rbac_enabled', 'Azure RBAC for Kubernetes off'));
      }
      return v;
    }),
};

export const apiOpenToInternet: Rule = {
  id: 'TF-007',
  name: 'api-not-open-to-internet',
  severity: 'error',
  rationale: '0.0.0.0/0 on a cluster API allowlist is no allowlist',
  hint: 'list the specific CIDRs that need the API, or reach it privately (Tailscale, VPN)',
  check: (ctx) => [
    ...resourcesOf(ctx, 'aws_eks_cluster')
      .filter((r) => openToInternet(r.body.vpc_config?.public_access_cidrs))
      .map((r) => at(r, 'vpc_config.public_access_cidrs', 'allows 0.0.0.0/0')),
    ...resourcesOf(ctx, 'azurerm_kubernetes_cluster')
      .filter((r) => openToInternet(r.body.api_server_access_profile?.authorized_ip_ranges))
      .map((r) => at(r, 'api_server_access_profile.authorized_ip_ranges', 'allows 0.0.0.0/0')),
  ],
};

export const encryptedState: Rule = {
  id: 'TF-008',
  name: 'encrypted-state-backend',
  severity: 'error',
  rationale: 'Terraform state holds resource attributes and generated credentials; it lives encrypted in a shared backend',
  hint: 'use stateBackend s3 (encrypt), azurerm or pg; local state needs an exception with a reason',
  check: (ctx) =>
    ctx.stacks.flatMap((stack) => {
      const backend = stack.json.terraform?.backend ?? {};
      const target = `${stack.stackId}:terraform.backend`;
      if (backend.local) return [{ target, path: 'local', message: 'local state: unencrypted and not shared', file: stack.file }];
      if (backend.s3 && backend.s3.encrypt !== true)
        return [{ target, path: 's3.encrypt', message: 'S3 state without encryption', file: stack.file }];
      return [];
    }),
};

export const encryptedVolumes: Rule = {
  id: 'TF-009',
  name: 'encrypted-node-volumes',
  severity: 'error',
  rationale: 'Node root volumes hold images, logs and emptyDir data; they are encrypted at rest',
  hint: 'set ebs.encrypted = true on every block device mapping',
  check: (ctx) =>
    resourcesOf(ctx, 'aws_launch_template').flatMap((t) =>
      (t.body.block_device_mappings ?? []).flatMap((m: any, i: number) =>
        m.ebs && String(m.ebs.encrypted) !== 'true' ? [at(t, `block_device_mappings[${i}].ebs.encrypted`, 'unencrypted volume')] : [],
      ),
    ),
};

export const TERRAFORM_RULES: ReadonlyArray<Rule> = [
  eksPrivateEndpoint,
  eksSecretsEncryption,
  eksLogging,
  nodeImdsV2,
  aksPrivateCluster,
  aksIdentity,
  apiOpenToInternet,
  encryptedState,
  encryptedVolumes,
];
