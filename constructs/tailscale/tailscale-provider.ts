import { Construct } from 'constructs';
import { TerraformProvider } from '../../lib/core/facade/tf';
import { propError } from '../props';

export const TAILSCALE_PROVIDER_VERSION = '~> 0.17';

export interface TailscaleProviderProps {
  /** Tailnet the resources belong to. */
  readonly tailnet: string;
}

/**
 * `tailscale/tailscale`, hand-written (there are no prebuilt cdktf bindings). Credentials are not
 * props: the provider reads TAILSCALE_OAUTH_CLIENT_ID and TAILSCALE_OAUTH_CLIENT_SECRET.
 */
export class TailscaleProvider extends TerraformProvider {
  private readonly props: TailscaleProviderProps;

  constructor(scope: Construct, id: string, props: TailscaleProviderProps) {
    super(scope, id, {
      terraformResourceType: 'tailscale',
      terraformGeneratorMetadata: { providerName: 'tailscale', providerVersionConstraint: TAILSCALE_PROVIDER_VERSION },
      terraformProviderSource: 'tailscale/tailscale',
    });
    if (!props.tailnet.trim()) throw propError(this, 'tailnet', props.tailnet, 'the tailnet name');
    this.props = props;
  }

  protected synthesizeAttributes(): Record<string, unknown> {
    return { tailnet: this.props.tailnet };
  }
}
