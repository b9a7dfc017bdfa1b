import { Construct } from 'constructs';
import { TerraformProvider } from '../../lib/core/facade/tf';
import { propError } from '../props';

/** Version range of canonical/maas these resource classes were written against. */
export const MAAS_PROVIDER_VERSION = '~> 2.6';

export interface MaasProviderProps {
  /** MAAS API URL, e.g. https://maas.lab.internal:5443/MAAS (TLS) or http://maas.lab.internal:5240/MAAS. */
  readonly apiUrl: string;
  /**
   * MAAS API version.
   * @default '2.0'
   */
  readonly apiVersion?: string;
}

/**
 * The `canonical/maas` provider. There are no prebuilt cdktf bindings, so this class and the resource
 * classes next to it are hand-written against the provider's schema. The API key is deliberately not
 * a prop: the provider reads MAAS_API_KEY from the environment, so it never lands in synthesized JSON.
 */
export class MaasProvider extends TerraformProvider {
  private readonly props: MaasProviderProps;

  constructor(scope: Construct, id: string, props: MaasProviderProps) {
    super(scope, id, {
      terraformResourceType: 'maas',
      terraformGeneratorMetadata: { providerName: 'maas', providerVersionConstraint: MAAS_PROVIDER_VERSION },
      terraformProviderSource: 'canonical/maas',
    });
    if (!/^https?:\/\/[^/]+\/MAAS\/?$/.test(props.apiUrl)) {
      throw propError(this, 'apiUrl', props.apiUrl, 'the MAAS API root, e.g. http://maas.example:5240/MAAS');
    }
    this.props = props;
  }

  protected synthesizeAttributes(): Record<string, unknown> {
    return { api_url: this.props.apiUrl, api_version: this.props.apiVersion ?? '2.0' };
  }
}
