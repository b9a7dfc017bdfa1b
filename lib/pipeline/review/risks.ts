import { EnvironmentDiff, ItemChange } from './diff';

export type RiskKind = 'replacement' | 'destroy' | 'stateful-deletion' | 'image-change' | 'protected-environment';

export interface Risk {
  readonly kind: RiskKind;
  readonly environment: string;
  readonly id: string;
  readonly reason: string;
}

/**
 * Attributes whose change makes the provider destroy and recreate the resource (ForceNew in the
 * provider schema), for the resource types Parity manages where a replacement hurts.
 */
export const FORCES_REPLACEMENT: Readonly<Record<string, ReadonlyArray<RegExp>>> = {
  aws_eks_cluster: [/^name$/, /^vpc_config\.subnet_ids/, /^kubernetes_network_config\.service_ipv4_cidr$/, /^encryption_config\.provider\.key_arn$/],
  aws_eks_node_group: [/^node_group_name$/, /^instance_types/, /^ami_type$/, /^capacity_type$/, /^subnet_ids/, /^node_role_arn$/, /^cluster_name$/],
  aws_vpc: [/^cidr_block$/],
  aws_subnet: [/^cidr_block$/, /^availability_zone$/, /^vpc_id$/],
  aws_kms_key: [],
  azurerm_kubernetes_cluster: [
    /^name$/,
    /^location$/,
    /^dns_prefix$/,
    /^resource_group_name$/,
    /^default_node_pool\.vm_size$/,
    /^default_node_pool\.vnet_subnet_id$/,
    /^network_profile\./,
    /^private_cluster_enabled$/,
  ],
  azurerm_kubernetes_cluster_node_pool: [/^name$/, /^vm_size$/, /^vnet_subnet_id$/, /^kubernetes_cluster_id$/],
  azurerm_virtual_network: [/^name$/, /^location$/],
  azurerm_subnet: [/^name$/, /^virtual_network_name$/],
  azurerm_key_vault: [/^name$/, /^location$/, /^tenant_id$/],
  maas_machine: [/^pxe_mac_address$/, /^architecture$/],
  maas_instance: [/^allocate_params/, /^deploy_params/],
  vault_mount: [/^path$/, /^type$/],
};

/** Terraform resources whose destruction loses data or cuts everything off. */
const CRITICAL_TF =
  /^(aws_eks_cluster|aws_vpc|aws_kms_key|azurerm_kubernetes_cluster|azurerm_key_vault|azurerm_virtual_network|maas_instance|vault_mount|vault_database_secrets_mount)$/;

/** Kubernetes objects whose deletion deletes data. */
function stateful(c: ItemChange): boolean {
  const o = c.before;
  if (['PersistentVolumeClaim', 'PersistentVolume', 'StatefulSet'].includes(c.type)) return true;
  if (c.type === 'Cluster' && String(o?.apiVersion).startsWith('postgresql.cnpg.io/')) return true;
  if (c.type === 'Application' && o?.spec?.source?.chart === 'vault') return true;
  return o?.metadata?.namespace === 'vault';
}

function imageFields(c: ItemChange): string[] {
  return c.fields
    .filter((f) => /(containers|initContainers)\[\d+\]\.image$|\.imageName$/.test(f.path))
    .map((f) => `${f.path}: ${String(f.before)} → ${String(f.after)}`);
}

/** What a reviewer must look at before merging: replacements, destroys, data loss, new images, production. */
export function assessRisks(diff: EnvironmentDiff, production: boolean): Risk[] {
  const env = diff.environment;
  const risks: Risk[] = [];
  for (const c of diff.terraform) {
    if (c.change === 'removed') {
      risks.push({
        kind: 'destroy',
        environment: env,
        id: c.id,
        reason: `${c.type} is destroyed${CRITICAL_TF.test(c.type) ? ' (critical: data or access is lost)' : ''}`,
      });
    } else if (c.change === 'changed') {
      const forcing = c.fields.filter((f) => (FORCES_REPLACEMENT[c.type] ?? []).some((re) => re.test(f.path)));
      if (forcing.length)
        risks.push({
          kind: 'replacement',
          environment: env,
          id: c.id,
          reason: `forces replacement of ${c.type}: ${forcing.map((f) => f.path).join(', ')}`,
        });
    }
  }
  // A resource that disappears under one address and appears under another of the same type is a
  // rename: Terraform destroys and recreates it unless a `moved` block says otherwise.
  const added = diff.terraform.filter((c) => c.change === 'added');
  for (const removed of diff.terraform.filter((c) => c.change === 'removed')) {
    const twin = added.find((a) => a.type === removed.type && a.id.split(':')[0] === removed.id.split(':')[0]);
    if (twin)
      risks.push({
        kind: 'replacement',
        environment: env,
        id: removed.id,
        reason: `renamed to ${twin.id}: ${removed.type} would be destroyed and recreated (add a moved block)`,
      });
  }
  for (const c of diff.kubernetes) {
    if (c.change === 'removed' && stateful(c))
      risks.push({ kind: 'stateful-deletion', environment: env, id: c.id, reason: `${c.type} holding data is deleted` });
    const images = imageFields(c);
    if (images.length) risks.push({ kind: 'image-change', environment: env, id: c.id, reason: images.join('; ') });
  }
  const changed = diff.terraform.length + diff.kubernetes.length + diff.otherFiles.length;
  if (production && changed > 0)
    risks.push({ kind: 'protected-environment', environment: env, id: env, reason: `${changed} change(s) to a production environment` });
  return risks;
}
