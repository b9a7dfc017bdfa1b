import { Construct } from 'constructs';
import { TerraformMetaArguments, TerraformResource, metaArguments } from '../../lib/core/facade/tf';
import { isCidr, isIpv4 } from '../../lib/core/util/cidr';
import { propError } from '../props';

const META = { terraformGeneratorMetadata: { providerName: 'tailscale' } };

/** The policy document of a tailnet (tag owners, auto-approvers, grants), as the API takes it. */
export interface TailnetPolicy {
  readonly tagOwners: Record<string, string[]>;
  readonly autoApprovers: { readonly routes: Record<string, string[]> };
  readonly grants: Array<{ readonly src: string[]; readonly dst: string[]; readonly ip: string[] }>;
}

export interface TailscaleAclProps extends TerraformMetaArguments {
  readonly policy: TailnetPolicy;
}

/** `tailscale_acl`: the whole tailnet policy file. */
export class TailscaleAcl extends TerraformResource {
  private readonly props: TailscaleAclProps;

  constructor(scope: Construct, id: string, props: TailscaleAclProps) {
    super(scope, id, { terraformResourceType: 'tailscale_acl', ...META, ...metaArguments(props) });
    for (const route of Object.keys(props.policy.autoApprovers.routes)) {
      if (!isCidr(route)) throw propError(this, 'policy.autoApprovers.routes', route, 'CIDR routes');
    }
    this.props = props;
  }

  protected synthesizeAttributes(): Record<string, unknown> {
    // Stable key order: the policy is compared as text by the API and by reviewers.
    return { acl: JSON.stringify(this.props.policy, null, 2), overwrite_existing_content: true };
  }
}

export interface TailnetKeyProps extends TerraformMetaArguments {
  readonly tags: string[];
  /** @default true */
  readonly preauthorized?: boolean;
  /** @default false */
  readonly reusable?: boolean;
  /** Seconds until the key expires. @default 7776000 (90 days) */
  readonly expiry?: number;
  readonly description: string;
}

/** `tailscale_tailnet_key`: an auth key; its value lives only in state (then in Vault), never in output. */
export class TailnetKey extends TerraformResource {
  private readonly props: TailnetKeyProps;

  constructor(scope: Construct, id: string, props: TailnetKeyProps) {
    super(scope, id, { terraformResourceType: 'tailscale_tailnet_key', ...META, ...metaArguments(props) });
    if (props.tags.length === 0 || !props.tags.every((t) => /^tag:[a-z0-9-]+$/.test(t))) {
      throw propError(this, 'tags', props.tags, 'at least one tag like tag:k8s-subnet-router (untagged keys act as a user)');
    }
    if (props.description.length > 50) throw propError(this, 'description', props.description, 'at most 50 characters');
    this.props = props;
  }

  /** The key, as a reference for other resources. */
  get key(): string {
    return this.getStringAttribute('key');
  }

  protected synthesizeAttributes(): Record<string, unknown> {
    return {
      tags: this.props.tags,
      preauthorized: this.props.preauthorized ?? true,
      reusable: this.props.reusable ?? false,
      ephemeral: false,
      expiry: this.props.expiry ?? 7776000,
      description: this.props.description,
    };
  }
}

export interface SplitNameserversProps extends TerraformMetaArguments {
  readonly domain: string;
  readonly nameservers: string[];
}

/** `tailscale_dns_split_nameservers`: queries for `domain` go to these resolvers. */
export class DnsSplitNameservers extends TerraformResource {
  private readonly props: SplitNameserversProps;

  constructor(scope: Construct, id: string, props: SplitNameserversProps) {
    super(scope, id, { terraformResourceType: 'tailscale_dns_split_nameservers', ...META, ...metaArguments(props) });
    if (props.nameservers.length === 0 || !props.nameservers.every(isIpv4))
      throw propError(this, 'nameservers', props.nameservers, 'IPv4 resolver addresses');
    this.props = props;
  }

  protected synthesizeAttributes(): Record<string, unknown> {
    return { domain: this.props.domain, nameservers: this.props.nameservers };
  }
}
