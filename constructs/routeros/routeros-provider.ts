import { Construct } from 'constructs';
import { TerraformProvider } from '../../lib/core/facade/tf';
import { propError } from '../props';

/**
 * Version range of terraform-routeros/routeros these classes were written against: its docs/ at v1.99.1
 * (2026-03-08), the newest release the repository snapshot holds.
 */
export const ROUTEROS_PROVIDER_VERSION = '~> 1.99';

export interface RouterOsProviderProps {
  /** The router's REST API over TLS (RouterOS v7 `www-ssl`), e.g. https://router.lab.internal. */
  readonly hostUrl: string;
}

/**
 * The `terraform-routeros/routeros` provider (MikroTik RouterOS v7). No prebuilt cdktf bindings exist, so
 * this class and the resource classes next to it are hand-written from the provider's schema. Only the
 * URL is a prop: the user, password and the CA the router's certificate is checked against come from
 * ROS_USERNAME, ROS_PASSWORD and ROS_CA_CERTIFICATE, so no credential lands in synthesized JSON, and
 * certificate checks are never turned off (`insecure` is not offered).
 */
export class RouterOsProvider extends TerraformProvider {
  private readonly props: RouterOsProviderProps;

  constructor(scope: Construct, id: string, props: RouterOsProviderProps) {
    super(scope, id, {
      terraformResourceType: 'routeros',
      terraformGeneratorMetadata: { providerName: 'routeros', providerVersionConstraint: ROUTEROS_PROVIDER_VERSION },
      terraformProviderSource: 'terraform-routeros/routeros',
    });
    if (!/^https:\/\/[a-z0-9.-]+(:\d+)?\/?$/.test(props.hostUrl))
      throw propError(
        this,
        'hostUrl',
        props.hostUrl,
        'the REST API over TLS, e.g. https://router.example (no path; plain http sends the password in clear)',
      );
    this.props = props;
  }

  protected synthesizeAttributes(): Record<string, unknown> {
    return { hosturl: this.props.hostUrl };
  }
}
