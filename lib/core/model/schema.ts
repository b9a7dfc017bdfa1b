import { z } from 'zod';

/**
 * The environment model: the one typed description every substrate is synthesized from.
 *
 * Objects are strict so a misspelt key is an error rather than a silently ignored setting.
 * Rules that relate fields to each other (overlaps, ordering, uniqueness) live in `validate.ts`,
 * where they can all be reported together.
 */

import { appConfigSchema } from './apps/index';
import { edgeSchema, provisioningNetworkSchema } from './edge';
import { ageRecipient, cidr, dnsLabel, dnsName, ipv4, kubernetesVersion, quantity } from './primitives';

export { SUPPORTED_KUBERNETES_MINORS } from './primitives';

export const nodePoolSchema = z.strictObject({
  name: dnsLabel,
  /** Machine type: EC2 instance type, Azure VM size, or the hardware class of bare-metal hosts. */
  instanceType: z.string().min(1).optional(),
  min: z.number().int().nonnegative().optional(),
  desired: z.number().int().nonnegative().optional(),
  max: z.number().int().positive().optional(),
  /** GPU pools get `accelerator=nvidia` and the `nvidia.com/gpu` taint on every substrate. */
  gpu: z.boolean().default(false),
  /** Role of the pool for scheduling: "system" pools carry cluster add-ons on AKS. */
  role: z.enum(['system', 'general', 'compute', 'gpu']).default('general'),
  labels: z.record(z.string(), z.string()).default({}),
  /**
   * Only workloads of the pool's role run here (CI runners on `compute`): its nodes carry the label and
   * NoSchedule taint `parity.dev/dedicated=<role>`, and what runs there selects and tolerates it.
   */
  dedicated: z.boolean().default(false),
  diskSizeGb: z.number().int().min(20).max(4096).default(100),
});

const eksSubstrate = z.strictObject({
  kind: z.literal('eks'),
  region: z.string().regex(/^[a-z]{2}(-gov)?-[a-z]+-\d$/, 'an AWS region like us-east-1'),
  vpcCidr: cidr,
  availabilityZones: z.array(z.string().min(1)).min(2, 'at least 2 availability zones').max(6),
  /** One NAT gateway (cheaper, dev) or one per AZ (zonal failure isolation, prod). */
  natGateways: z.enum(['single', 'per-az']).default('per-az'),
  /** CIDRs allowed to reach the public API endpoint. Empty keeps the endpoint private only. */
  publicAccessCidrs: z.array(cidr).default([]),
  /** IAM roles given cluster-admin through EKS access entries (no aws-auth ConfigMap). */
  /** Karpenter provisions capacity next to the managed node groups (Axiom design, Day 2). */
  karpenter: z.boolean().default(false),
  adminRoleArns: z
    .array(z.string().regex(/^arn:aws:iam::\d{12}:role\/[\w+=,.@/-]+$/, 'an IAM role ARN like arn:aws:iam::123456789012:role/platform-admins'))
    .default([]),
});

const aksSubstrate = z.strictObject({
  kind: z.literal('aks'),
  location: z.string().regex(/^[a-z0-9]+$/, 'an Azure location like westeurope'),
  vnetCidr: cidr,
  /** Azure CNI overlay: pods get addresses from this range, not from the VNet. */
  podCidr: cidr,
  publicAccessCidrs: z.array(cidr).default([]),
  /** Entra ID groups with cluster-admin; local accounts are disabled, so at least one is needed. */
  adminGroupObjectIds: z.array(z.uuid('an Entra ID group object id (UUID)')).min(1, 'at least one admin group'),
  tenantId: z.uuid('the Entra ID tenant id'),
  /**
   * The Azure Container Registry the cluster stack creates for the environment's images
   * (`<name>.azurecr.io`): private endpoint, no admin user, AcrPull for the kubelet identity.
   * @default none (images come from elsewhere)
   */
  containerRegistry: z.strictObject({ name: z.string().regex(/^[a-z0-9]{5,50}$/, '5 to 50 lower-case letters and digits') }).optional(),
});

const hostSchema = z.strictObject({
  name: dnsLabel,
  ip: ipv4,
  role: z.enum(['control-plane', 'worker']),
  /** Node pool (from cluster.nodePools) a worker belongs to. Control-plane hosts have none. */
  pool: dnsLabel.optional(),
  /** Hardware description, e.g. "Dell R630"; documentation and MAAS tags. */
  hardware: z.string().min(1),
  /** MAC of the PXE interface MAAS boots from. */
  pxeMac: z.string().regex(/^([0-9a-f]{2}:){5}[0-9a-f]{2}$/, 'a lower-case MAC address like 0c:c4:7a:00:00:01'),
  /** Network interface on the node network (static address, kube-vip ARP). */
  interface: z
    .string()
    .regex(/^[a-z][a-z0-9.-]{0,14}$/, 'a Linux interface name like eno1')
    .default('eno1'),
  /** IPMI address of the host's BMC (admin VLAN); the BMC password is a sensitive Terraform variable. */
  bmcIp: ipv4,
  gpus: z.number().int().nonnegative().default(0),
  /** Logical CPUs (threads) the host reports to MAAS at commissioning: its node's capacity for the scheduler. */
  cpus: z.number().int().positive(),
  /** Memory the host reports to MAAS at commissioning, as a Kubernetes quantity (e.g. 256Gi). */
  memory: quantity,
});

/** A range of addresses, first and last included. */
const addressRange = z.strictObject({ start: ipv4, stop: ipv4 });

const kubeadmSubstrate = z.strictObject({
  kind: z.literal('kubeadm'),
  /** Node underlay network (VLAN 20 of The Lab). */
  nodeCidr: cidr,
  podCidr: cidr,
  /** Virtual IP in front of the API servers (kube-vip), reachable from every node. */
  controlPlaneEndpoint: z.strictObject({ host: ipv4, port: z.number().int().min(1).max(65535).default(6443) }),
  hosts: z.array(hostSchema).min(1),
  /**
   * Ceph's own networks (The Lab: VLAN 30 public, for clients; VLAN 31 cluster, for replication), tagged
   * on every host's node interface; each host's address on them has its node address's host part
   * (10.0.20.11 -> 10.0.30.11, 10.0.31.11). @default none: Ceph shares the node network
   */
  storageNetworks: z
    .strictObject({
      /** MAAS fabric of the hosts' node interfaces. @default 'fabric-0' (MAAS's first) */
      fabric: z.string().min(1).default('fabric-0'),
      public: z.strictObject({ vlan: z.number().int().min(1).max(4094), cidr }),
      cluster: z.strictObject({ vlan: z.number().int().min(1).max(4094), cidr }),
    })
    .optional(),
  /**
   * Addresses Cilium's LB-IPAM hands to the ingress entries' LoadBalancer Services, announced over L2
   * (ARP) by the workers (Cilium L2 announcements): `public` on the public ingress network the edge
   * routes (substrate.edge.publicIngress, The Lab's VLAN 50, tagged on the workers), `internal` on the
   * node network. @default none: an internal ingress listens on the nodes' own addresses (Cilium node
   * IPAM); a public one has no address
   */
  loadBalancerPools: z
    .strictObject({
      public: addressRange.optional(),
      internal: addressRange.optional(),
    })
    .optional(),
  /**
   * The control-plane hosts also run Ceph: its daemons and an OSD on each of their disks (The Lab's
   * R630s: control plane, platform services, OSDs). @default false: Ceph runs on the workers only
   */
  storageOnControlPlanes: z.boolean().default(false),
  /** The PXE network (VLAN 40 of The Lab). @default none: MAAS boots hosts on the node network */
  provisioningNetwork: provisioningNetworkSchema.optional(),
  /** The site's edge router as code. @default none: the site's edge is managed elsewhere */
  edge: edgeSchema.optional(),
  /** MAAS region controller that PXE-boots and deploys the hosts; its API key comes from MAAS_API_KEY. */
  maas: z.strictObject({
    apiUrl: z.url(),
    /** Ubuntu release deployed on every host (kernel 6.8 for Cilium eBPF, as The Lab runs it). */
    distroSeries: z.enum(['jammy', 'noble']).default('noble'),
  }),
});

export const substrateSchema = z.discriminatedUnion('kind', [eksSubstrate, aksSubstrate, kubeadmSubstrate]);

const stateBackendSchema = z.discriminatedUnion('kind', [
  z.strictObject({
    kind: z.literal('s3'),
    bucket: z.string().min(3),
    region: z.string().min(1),
    /** S3-compatible endpoint (Ceph RGW, MinIO) for on-prem; omit for AWS S3. */
    endpoint: z.url().optional(),
    kmsKeyId: z.string().optional(),
    keyPrefix: z.string().default('parity'),
  }),
  z.strictObject({
    kind: z.literal('azurerm'),
    resourceGroupName: z.string().min(1),
    storageAccountName: z.string().regex(/^[a-z0-9]{3,24}$/, 'an Azure storage account name (3-24 lower-case letters/digits)'),
    containerName: z.string().min(3),
    keyPrefix: z.string().default('parity'),
  }),
  z.strictObject({
    kind: z.literal('pg'),
    /** Schema per environment; the connection string comes from PG_CONN_STR at init time, never from config. */
    schemaName: z.string().min(1),
  }),
  z.strictObject({
    kind: z.literal('local'),
    /** Must be set: local state is for throw-away experiments only. */
    iUnderstandStateIsNotShared: z.literal(true),
  }),
]);

/** The DNS provider that answers ACME DNS-01 challenges (its credential comes from Vault). */
const dns01Schema = z.discriminatedUnion('provider', [
  z.strictObject({ provider: z.literal('cloudflare') }),
  /** Google Cloud DNS in this project. */
  z.strictObject({ provider: z.literal('google'), project: z.string().min(1) }),
]);

/** How people reach the cluster: through its ingress under a domain, or privately through Tailscale. */
const accessSchema = z.discriminatedUnion('kind', [
  z.strictObject({
    kind: z.literal('ingress'),
    ingressDomain: dnsName,
    /** `internal` puts the ingress load balancer on a private address (on-prem, regulated clients). */
    exposure: z.enum(['public', 'internal']).default('public'),
    /**
     * How apps' hosts are routed: Ingresses through the ingress controller, or HTTPRoutes on the
     * environment's Gateway (Gateway API, add-on `gateway`). @default ingress
     */
    routing: z.enum(['ingress', 'gateway']).default('ingress'),
    /** With routing: gateway, www.<ingressDomain> redirects to <ingressDomain>. @default false */
    wwwRedirect: z.boolean().default(false),
    tls: z.strictObject({
      clusterIssuer: dnsLabel,
      /** Contact for ACME issuers; omit for an internal CA issuer. */
      acmeEmail: z.email().optional(),
      /**
       * ACME challenges by DNS-01 through the zone's provider instead of HTTP-01 through the ingress
       * (wildcards; hosts not yet routed publicly). @default HTTP-01
       */
      dns01: dns01Schema.optional(),
    }),
  }),
  z.strictObject({
    kind: z.literal('tailscale'),
    /** Split-DNS domain served inside the cluster, e.g. dev.axiom.entropy.sa. */
    internalDomain: dnsName,
    /** Tailnet name, e.g. entropy.sa or example.org.github (provider `tailnet`). */
    tailnet: z.string().min(1),
    /** Tailnet groups (without the `group:` prefix) allowed to reach the advertised routes. */
    operatorGroups: z.array(dnsLabel).min(1),
    /** Which networks the subnet router advertises; node is always included. @default ['node', 'service'] */
    advertise: z.array(z.enum(['node', 'pod', 'service'])).default(['node', 'service']),
    /** ACME DNS-01 for real certificates on the internal names: the zone's DNS provider. */
    dns01: z.union([
      z.strictObject({ provider: z.literal('cloudflare'), acmeEmail: z.email() }),
      z.strictObject({ provider: z.literal('google'), project: z.string().min(1), acmeEmail: z.email() }),
    ]),
  }),
]);

/**
 * Public DNS records for the environment's routes, written by external-dns into the zone's provider.
 * `zones` limits which names it may touch (default: the ingress domain); credentials come from Vault.
 */
const dnsSchema = z.discriminatedUnion('provider', [
  z.strictObject({ provider: z.literal('cloudflare'), zones: z.array(dnsName).min(1).optional() }),
  z.strictObject({
    provider: z.literal('google'),
    /** Google Cloud project that holds the Cloud DNS zones. */
    project: z.string().regex(/^[a-z][a-z0-9-]{4,28}[a-z0-9]$/, 'a Google Cloud project ID such as lab-dns-123456'),
    zones: z.array(dnsName).min(1).optional(),
  }),
]);

export const namespaceSchema = z.strictObject({
  name: dnsLabel,
  description: z.string().default(''),
  /** Pod Security Standard enforced on the namespace; GPU namespaces may need baseline (Arbitex on AKS design). */
  podSecurity: z.enum(['restricted', 'baseline', 'privileged']).default('restricted'),
  /** Audit/warn level; defaults to the enforced level (e.g. baseline enforce + restricted warn). */
  podSecurityWarn: z.enum(['restricted', 'baseline', 'privileged']).optional(),
  quota: z.strictObject({
    requestsCpu: quantity,
    requestsMemory: quantity,
    limitsCpu: quantity,
    limitsMemory: quantity,
    pods: z.number().int().positive().default(100),
    gpus: z.number().int().nonnegative().default(0),
  }),
  /** Container defaults applied by the LimitRange (the Dev Center design's resource profiles). */
  containerDefaults: z
    .strictObject({
      requestCpu: quantity.default('100m'),
      requestMemory: quantity.default('256Mi'),
      limitCpu: quantity.default('500m'),
      limitMemory: quantity.default('512Mi'),
      maxCpu: quantity.default('4'),
      maxMemory: quantity.default('16Gi'),
    })
    .prefault({}),
  /** Identity-provider groups bound to the built-in admin / edit / view roles in this namespace. */
  rbac: z
    .strictObject({
      admins: z.array(z.string().min(1)).default([]),
      editors: z.array(z.string().min(1)).default([]),
      viewers: z.array(z.string().min(1)).default([]),
    })
    .prefault({}),
});

/**
 * Data services the substrate provisions for the environment's apps, on private endpoints: a managed
 * PostgreSQL server and a managed Redis cache. The cluster stack creates them and writes their
 * connection strings where the consuming app reads its secrets, so no address or password is typed twice.
 */
export const managedServiceSchema = z.discriminatedUnion('kind', [
  z.strictObject({
    kind: z.literal('postgres'),
    /** Server name, global in its cloud (the host is derived from it). */
    name: dnsLabel,
    version: z.enum(['15', '16', '17']).default('16'),
    /** Compute SKU, e.g. GP_Standard_D2ds_v5 (Azure flexible server). */
    sku: z
      .string()
      .regex(/^(B|GP|MO)_Standard_[A-Za-z0-9_]+$/, 'a flexible server SKU like GP_Standard_D2ds_v5')
      .default('GP_Standard_D2ds_v5'),
    storageGb: z.union([z.literal(32), z.literal(64), z.literal(128), z.literal(256), z.literal(512), z.literal(1024)]).default(128),
    /** A standby in another zone with automatic failover. */
    highAvailability: z.boolean().default(false),
    backupRetentionDays: z.number().int().min(7).max(35).default(14),
    /** Databases on the server, one per consuming app. */
    databases: z.array(z.string().regex(/^[a-z_][a-z0-9_]{0,62}$/, 'a PostgreSQL database name')).min(1),
  }),
  z.strictObject({
    kind: z.literal('redis'),
    name: dnsLabel,
    /** Standard (replicated primary/replica) or Premium (adds zones and persistence); Basic has no replica. */
    sku: z.enum(['Standard', 'Premium']).default('Standard'),
    /** Size within the SKU family (C0–C6 for Standard, P1–P5 for Premium). */
    capacity: z.number().int().min(0).max(6).default(1),
  }),
]);

export const environmentSchema = z.strictObject({
  name: dnsLabel,
  description: z.string().min(1),
  /** Base DNS domain of the product (e.g. axiom.entropy.sa). */
  domain: dnsName,
  kubernetesVersion,
  substrate: substrateSchema,
  cluster: z.strictObject({
    name: dnsLabel,
    serviceCidr: cidr,
    nodePools: z.array(nodePoolSchema).min(1),
  }),
  access: accessSchema,
  /** Public DNS for the routes (the external-dns add-on). @default none: records are managed elsewhere */
  dns: dnsSchema.optional(),
  stateBackend: stateBackendSchema,
  gitops: z.strictObject({
    repoURL: z.string().regex(/^(https:\/\/|ssh:\/\/|git@|file:\/\/)/, 'a git URL (https://, ssh://, git@ or file://)'),
    branch: z.string().min(1).default('main'),
    /** Directory in the GitOps repo that receives dist/<env>. */
    path: z.string().default('.'),
    /**
     * Static secrets kept in Git, encrypted with SOPS and age (`secrets/<env>/*.enc.yaml`): every file is
     * encrypted to each operator, the CI key and Argo CD's key, whose private half Argo CD decrypts with
     * (KSOPS in its repo server). @default none: no static secrets in Git
     */
    sops: z
      .strictObject({
        /** Argo CD's age public key; its private key is a bootstrap input (TF_VAR_sops_age_key). */
        argoCd: ageRecipient,
        /** The CI key, which checks and re-encrypts (`sops updatekeys`) in pipelines. */
        ci: ageRecipient,
        /** One key per operator who writes secrets. */
        operators: z.array(z.strictObject({ name: dnsLabel, key: ageRecipient })).min(1),
      })
      .optional(),
  }),
  /** Air-gapped or mirrored registries: every image is pulled from here instead of its origin. */
  registryMirror: dnsName.optional(),
  namespaces: z.array(namespaceSchema).default([]),
  addons: z.array(dnsLabel).default([]),
  /**
   * Services outside the cluster that its workloads use (an identity provider, an authorization service,
   * the site's object store): apps refer to them by host, and each becomes an egress rule and a host the
   * deploy rehearsal accepts. On bare metal, the one named `object-store` is where backups go.
   */
  externalServices: z
    .array(
      z.strictObject({
        name: dnsLabel,
        host: dnsName,
        port: z.number().int().min(1).max(65535),
        description: z.string().min(1),
      }),
    )
    .default([]),
  /**
   * Where Velero keeps backups when not in the substrate's own store: an S3-compatible service of
   * `externalServices` (offsite, e.g. Backblaze B2), whose access key a person writes to Vault.
   * @default the substrate's store (S3 on EKS, Blob on AKS, the site's `object-store` on bare metal)
   */
  backups: z
    .strictObject({
      /** Name of the `externalServices` entry of the store. */
      store: dnsLabel,
      bucket: z.string().regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, 'an S3 bucket name (3-63 lower-case letters, digits, dots and hyphens)'),
      /** The store's region, which requests are signed for (B2: the region in its endpoint, e.g. us-west-004). */
      region: z.string().regex(/^[a-z0-9-]+$/, 'a region name such as us-west-004'),
      /** Whether the store accepts the AWS SDK's request checksums; Backblaze B2 and OVH reject them. @default true */
      requestChecksums: z.boolean().default(true),
    })
    .optional(),
  /** Managed data services the substrate provisions (see `managedServiceSchema`). */
  managedServices: z.array(managedServiceSchema).default([]),
  /** Application charts, each with its typed config (the Arbitex, axion-gen, Axiom and Lab designs). */
  apps: z.array(appConfigSchema).default([]),
  /** Production: every change to it is flagged for review by `npm run diff`. */
  production: z.boolean().default(false),
  /** Every container image must be pinned by digest (guardrail K8S-005), as production requires (Arbitex on AKS design). */
  requireImageDigests: z.boolean().default(false),
  /** Accepted guardrail findings, each with a reason; one that matches nothing is itself an error. */
  exceptions: z
    .array(
      z.strictObject({
        /** Rule ID, e.g. K8S-003. */
        rule: z
          .string()
          .regex(
            /^(K8S|TF|REH)-\d{3}$/,
            'a policy or rehearsal rule ID such as K8S-003, TF-008 or REH-010 (schema and secret findings cannot be excepted)',
          ),
        /** Target as printed in the report; `*` matches within one segment, e.g. Deployment/ai-platform/*. */
        target: z.string().min(1),
        reason: z.string().min(15, 'a reason a reviewer can judge (15 characters or more)'),
      }),
    )
    .default([]),
  tags: z.record(z.string(), z.string()).default({}),
});

/** Kinds of each tagged union, for error messages that list the valid options. */
export const DISCRIMINATORS: Record<string, string[]> = {
  substrate: substrateSchema.options.map((o) => o.shape.kind.value),
  stateBackend: stateBackendSchema.options.map((o) => o.shape.kind.value),
  access: accessSchema.options.map((o) => o.shape.kind.value),
  managedServices: managedServiceSchema.options.map((o) => o.shape.kind.value),
};

/** The tag of `apps:` entries, for the same kind of message. */
export const APP_IDS: string[] = appConfigSchema.options.map((o) => o.shape.app.value);

export type Environment = z.output<typeof environmentSchema>;
export type SubstrateConfig = Environment['substrate'];
export type SubstrateKind = SubstrateConfig['kind'];
export type NamespaceConfig = Environment['namespaces'][number];
export type HostConfig = Extract<SubstrateConfig, { kind: 'kubeadm' }>['hosts'][number];
export type StateBackendConfig = Environment['stateBackend'];
export type ManagedServiceConfig = Environment['managedServices'][number];
export type ConfigFor<K extends SubstrateKind> = Extract<SubstrateConfig, { kind: K }>;
