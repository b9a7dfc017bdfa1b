/* eslint-disable @typescript-eslint/no-explicit-any -- Terraform JSON has no static type */
import { dnsZones } from '../../../addons/dns';
import { EnvironmentModel } from '../../../stacks/environment';
import { vaultAccesses } from '../../../stacks/vault-config-stack';
import { workloadIdentityRequests } from '../../../stacks/platform-manifests';
import { K8sObject, objectRef } from '../../core/k8s-objects';
import { VAULT_KV_MOUNT, kvPath, VAULT_PORT_FORWARD } from '../../core/vault-naming';
import { TerraformStackJson } from '../guardrails/policy';

/** Something only a person can give: where it goes, how to supply it, who needs it. */
export interface PersonInput {
  readonly name: string;
  readonly what: string;
  readonly sensitive: boolean;
  /** The shell line that supplies it (with a placeholder for the value). */
  readonly supply: string;
  /** Who reads it: a stack, or the objects that sync it from Vault. */
  readonly consumedBy: ReadonlyArray<string>;
}

export interface DeployStep {
  readonly title: string;
  /** `cdktf deploy` target, for Terraform steps. */
  readonly stack?: string;
  readonly stackId?: string;
  /** True when the step needs the in-network runner. */
  readonly fromNetwork: boolean;
  /** Inputs that must be supplied before the step. */
  readonly inputs: ReadonlyArray<PersonInput>;
  /** What to run (for a Terraform step: the cdktf command). */
  readonly commands: ReadonlyArray<string>;
  readonly checks: ReadonlyArray<string>;
  /** A step `npm run deploy` cannot do for the operator (it stops there and says how to resume). */
  readonly manual: boolean;
}

/** Provider and backend credentials, by Terraform provider/backend type: what the runner must hold. */
function credentials(type: string, json: any): PersonInput[] {
  const env = (name: string, what: string, sensitive = true): PersonInput => ({
    name,
    what,
    sensitive,
    supply: `export ${name}=<value>`,
    consumedBy: [],
  });
  switch (type) {
    case 'aws':
      return [
        {
          name: 'AWS credentials',
          what: 'the deploying principal (AWS_PROFILE after `aws sso login`, or an assumed role)',
          sensitive: true,
          supply: 'aws sso login --profile <profile> && export AWS_PROFILE=<profile>',
          consumedBy: [],
        },
      ];
    case 'azurerm':
      return [
        {
          name: 'Azure login',
          what: 'the deploying principal, with Owner (role assignments) on the subscription',
          sensitive: true,
          supply: 'az login && export ARM_SUBSCRIPTION_ID=<subscription id>',
          consumedBy: [],
        },
      ];
    case 'maas':
      return [env('MAAS_API_KEY', 'API key of a MAAS user that may enlist and deploy machines')];
    case 'routeros':
      return [
        env('ROS_USERNAME', 'a RouterOS user with write access to the edge router', false),
        env('ROS_PASSWORD', 'its password'),
        env('ROS_CA_CERTIFICATE', "path of the CA certificate the router's REST API certificate chains to", false),
      ];
    case 'tailscale':
      return [
        env('TAILSCALE_OAUTH_CLIENT_ID', 'Tailscale OAuth client with the policy_file, dns and auth_keys scopes', false),
        env('TAILSCALE_OAUTH_CLIENT_SECRET', 'its secret'),
      ];
    case 'vault':
      return [
        env('VAULT_TOKEN', 'the initial root token from `vault operator init` (or an admin token)'),
        env('VAULT_CACERT', 'the internal CA Vault serves with (written by the "Initialise Vault" step)', false),
      ];
    case 's3': {
      const endpoint = json?.endpoints?.s3 ?? json?.endpoint;
      return endpoint
        ? [env('AWS_ACCESS_KEY_ID', `access key of the state bucket on ${endpoint}`, false), env('AWS_SECRET_ACCESS_KEY', 'its secret key')]
        : credentials('aws', json);
    }
    case 'azurerm-backend':
      return credentials('azurerm', json);
    default:
      return [];
  }
}

/** Everything a stack needs from a person: its backend's and providers' credentials, and its variables. */
function stackInputs(stack: TerraformStackJson): PersonInput[] {
  const json = stack.json;
  const backend = Object.entries<any>(json.terraform?.backend ?? {})[0];
  const out: PersonInput[] = backend ? credentials(backend[0] === 'azurerm' ? 'azurerm-backend' : backend[0], backend[1]) : [];
  for (const type of Object.keys(json.provider ?? {}).sort()) out.push(...credentials(type, json.provider[type]));
  for (const [name, v] of Object.entries<any>(json.variable ?? {}).sort(([a], [b]) => (a < b ? -1 : 1)))
    out.push({
      name: `TF_VAR_${name}`,
      what: v.description ?? name,
      sensitive: Boolean(v.sensitive),
      supply: `export TF_VAR_${name}=<value>`,
      consumedBy: [`stack ${stack.stackId}`],
    });
  return out;
}

/**
 * The Vault secrets a person writes (external credentials: DNS tokens, OAuth clients, object-store keys),
 * each with the ExternalSecrets that sync it into the cluster.
 */
export function vaultInputs(
  model: EnvironmentModel,
  objects: ReadonlyArray<K8sObject>,
  stacks: ReadonlyArray<{ readonly json: any }> = [],
): PersonInput[] {
  // Paths a stack writes (from another stack's output) are not a person's to write.
  const written = new Set(stacks.flatMap((s) => Object.values<any>(s.json.resource?.vault_kv_secret_v2 ?? {}).map((r) => String(r.name))));
  return vaultAccesses(model.env).flatMap((a) =>
    a.secrets
      .filter((s) => !s.generated && !written.has(kvPath(a.identity, s.name)))
      .map((s) => {
        const path = kvPath(a.identity, s.name);
        const consumers = objects
          .filter((o) => o.kind === 'ExternalSecret' && (o.spec?.data ?? []).some((d: any) => d.remoteRef?.key === path))
          .map((o) => objectRef(o));
        return {
          name: `${VAULT_KV_MOUNT}/${path}`,
          what: `${s.keys.join(', ')} for ${a.identity.namespace}/${a.identity.app}`,
          sensitive: true,
          supply: `vault kv put ${VAULT_KV_MOUNT}/${path} ${s.keys.map((k) => `${k}=<value>`).join(' ')}`,
          consumedBy: consumers,
        };
      }),
  );
}

/** Secrets a person writes into an app's cloud secret store (Azure Key Vault), through its private endpoint. */
export function secretStoreInputs(model: EnvironmentModel): PersonInput[] {
  return workloadIdentityRequests(model.env).flatMap((r) =>
    (r.secretStore?.personSecrets ?? []).map((name) => ({
      name: `${r.secretStore!.name}/${name}`,
      what: `secret ${name} of ${r.requestedBy}`,
      sensitive: true,
      supply: `az keyvault secret set --vault-name ${r.secretStore!.name} --name ${name} --value <value>`,
      consumedBy: [r.requestedBy],
    })),
  );
}

const unique = (inputs: PersonInput[], seen: Set<string>) => inputs.filter((i) => !seen.has(i.name) && seen.add(i.name));

/**
 * The first deploy of an environment, in order: its stacks as the substrate and the platform chain them,
 * the manual Vault initialisation before the Vault stack, and the secrets only a person has once Vault is
 * configured. Each credential is listed at the first step that needs it.
 */
export function deployPlan(model: EnvironmentModel, stacks: ReadonlyArray<TerraformStackJson>, objects: ReadonlyArray<K8sObject>): DeployStep[] {
  const byId = new Map(stacks.map((s) => [s.stackId, s]));
  const seen = new Set<string>();
  const steps: DeployStep[] = [];
  const seal = model.substrate.vaultSeal(model.env);
  /** A manual step where a person supplies `inputs` (those not asked for yet), if any are left. */
  const supplied = (title: string, inputs: PersonInput[], check: string) => {
    const fresh = unique(inputs, seen);
    if (fresh.length) steps.push({ title, fromNetwork: true, inputs: fresh, commands: fresh.map((i) => i.supply), checks: [check], manual: true });
  };
  for (const stack of model.stacks) {
    const json = byId.get(stack.stackId);
    // Before Argo CD syncs the apps that mount them.
    if (stack.stackId === 'bootstrap')
      supplied(
        "Write the secrets only a person has into the apps' Key Vaults",
        secretStoreInputs(model),
        'kubectl get pods -A | grep -v Running   # pods that mount a SecretProviderClass start once their secrets exist',
      );
    if (stack.stackId === 'vault') steps.push(vaultInitialisation(!seal.hcl));
    steps.push({
      title: `Terraform: ${stack.stackId} (${stack.description})`,
      stack: stack.deployName,
      stackId: stack.stackId,
      fromNetwork: stack.fromNetwork,
      inputs: json ? unique(stackInputs(json), seen) : [],
      commands: [`npx cdktf deploy ${stack.deployName}`],
      checks: stack.checks,
      manual: false,
    });
    if (stack.stackId === 'vault')
      supplied(
        'Write the credentials only a person has into Vault',
        vaultInputs(model, objects, stacks),
        'kubectl get externalsecrets -A   # every one SecretSynced',
      );
  }
  return steps;
}

/**
 * What must exist before the first step and that no stack of this environment creates: the Terraform
 * state backend, the GitOps repository holding dist/<env>, the mirror's contents, and the site's own.
 */
export function prerequisites(model: EnvironmentModel): string[] {
  const { env } = model;
  const b = env.stateBackend;
  const backend =
    b.kind === 's3'
      ? `the state bucket ${b.bucket} (${b.endpoint ?? `S3 in ${b.region}`}), versioned and encrypted${b.kmsKeyId ? ` with ${b.kmsKeyId}` : ''}`
      : b.kind === 'azurerm'
        ? `the state container ${b.containerName} in storage account ${b.storageAccountName} (resource group ${b.resourceGroupName})`
        : b.kind === 'pg'
          ? `the PostgreSQL database of the state (schema ${b.schemaName}, PG_CONN_STR)`
          : 'nothing: local state (throw-away)';
  return [
    `Terraform state: ${backend}`,
    `the GitOps repository ${env.gitops.repoURL} (${env.gitops.branch}, path ${env.gitops.path}) holding dist/${env.name} (npm run publish), and a read-only deploy token for it`,
    ...(env.registryMirror
      ? [
          `the mirror ${env.registryMirror} holding every image of images.txt and chart of charts.txt, copied with their digests: ` +
            `grep -v '^#' images.txt | while read src dst; do crane copy "$src" "$dst"; done` +
            '; each chart pulled from its origin (helm pull) and pushed to its destination (helm push to oci://)',
        ]
      : []),
    ...dnsPrerequisites(env),
    ...(model.substrate.prerequisites?.(env) ?? []),
  ];
}

/**
 * The public DNS the environment writes to (external-dns's records, cert-manager's DNS-01 challenges):
 * the zones must exist at the provider and be delegated there, and their credential is a person's.
 */
function dnsPrerequisites(env: EnvironmentModel['env']): string[] {
  type Provider = { provider: 'cloudflare' } | { provider: 'google'; project: string };
  const at = (p: Provider) => (p.provider === 'cloudflare' ? 'Cloudflare' : `Google Cloud DNS (project ${p.project})`);
  const credential = (p: Provider) =>
    p.provider === 'cloudflare'
      ? 'a Cloudflare API token with Zone:DNS:Edit on it'
      : 'a key of a Google service account with the DNS Administrator role (roles/dns.admin) in that project';
  const out: string[] = [];
  if (env.dns) {
    const zones = dnsZones(env);
    out.push(
      `the public DNS zone${zones.length > 1 ? 's' : ''} ${zones.join(', ')} hosted in ${at(env.dns)} and delegated there from the parent domain, and ${credential(env.dns)}, for external-dns's records (written to Vault below)`,
    );
  }
  const dns01 = env.access.kind === 'ingress' ? env.access.tls.dns01 : env.access.dns01;
  const domain = env.access.kind === 'ingress' ? env.access.ingressDomain : env.access.internalDomain;
  if (dns01)
    out.push(
      `the zone of ${domain} in ${at(dns01)}, where cert-manager answers ACME DNS-01 challenges, and ${credential(dns01)} (written to Vault below)`,
    );
  return out;
}

/** Vault must be initialised (and, with Shamir shares, unsealed) before Terraform can configure it. */
function vaultInitialisation(shamir: boolean): DeployStep {
  return {
    title: shamir ? 'Initialise and unseal Vault (Shamir key shares)' : 'Initialise Vault (auto-unseal: recovery keys)',
    fromNetwork: true,
    inputs: [],
    commands: [
      "kubectl -n vault wait --for=jsonpath='{.status.phase}'=Running pod/vault-0 pod/vault-1 pod/vault-2 --timeout=20m",
      `kubectl -n vault exec vault-0 -- vault operator init ${shamir ? '-key-shares=5 -key-threshold=3' : '-recovery-shares=5 -recovery-threshold=3'}   # hand the shares to five operators`,
      ...(shamir
        ? ['for p in vault-0 vault-1 vault-2; do for i in 1 2 3; do kubectl -n vault exec -ti $p -- vault operator unseal; done; done']
        : []),
      "kubectl -n vault get secret vault-server-tls -o jsonpath='{.data.ca\\.crt}' | base64 -d > vault-ca.crt && export VAULT_CACERT=$PWD/vault-ca.crt",
      'export VAULT_TOKEN=<initial root token>',
      `${VAULT_PORT_FORWARD.join(' ')} &   # npm run deploy opens it itself`,
    ],
    checks: ['kubectl -n vault exec vault-0 -- vault status   # Initialized true, Sealed false'],
    manual: true,
  };
}
