import { Construct } from 'constructs';
import { TerraformMetaArguments, TerraformResource, metaArguments } from '../../lib/core/facade/tf';
import { propError } from '../props';

export interface MaasInstanceProps extends TerraformMetaArguments {
  /** System id of the machine to allocate (`MaasMachine.id`). */
  readonly systemId: string;
  /** Ubuntu series to deploy, e.g. "noble". */
  readonly distroSeries: string;
  /** cloud-init user data run on first boot. */
  readonly userData: string;
  /**
   * Static address on the node network, bound to the PXE interface's subnet.
   */
  readonly staticIp?: { readonly interface: string; readonly subnetCidr: string; readonly address: string };
  /** Static addresses on further interfaces (tagged VLAN interfaces such as eno1.30). @default none */
  readonly extraStaticIps?: ReadonlyArray<{ readonly interface: string; readonly subnetCidr: string; readonly address: string }>;
  /**
   * Hardware-enablement kernel, e.g. "hwe-24.04".
   * @default the series' GA kernel
   */
  readonly hweKernel?: string;
}

/** `maas_instance`: allocates an enlisted machine and deploys an OS onto it with user data. */
export class MaasInstance extends TerraformResource {
  static readonly tfResourceType = 'maas_instance';
  private readonly props: MaasInstanceProps;

  constructor(scope: Construct, id: string, props: MaasInstanceProps) {
    super(scope, id, {
      terraformResourceType: MaasInstance.tfResourceType,
      terraformGeneratorMetadata: { providerName: 'maas' },
      ...metaArguments(props),
    });
    if (!/^[a-z]+$/.test(props.distroSeries)) throw propError(this, 'distroSeries', props.distroSeries, 'an Ubuntu series name such as noble');
    if (!props.userData.startsWith('#cloud-config'))
      throw propError(this, 'userData', props.userData.slice(0, 20), 'cloud-init user data starting with #cloud-config');
    this.props = props;
  }

  get fqdn(): string {
    return this.getStringAttribute('fqdn');
  }

  protected synthesizeAttributes(): Record<string, unknown> {
    const ips = [...(this.props.staticIp ? [this.props.staticIp] : []), ...(this.props.extraStaticIps ?? [])];
    return {
      allocate_params: [{ system_id: this.props.systemId }],
      deploy_params: [{ distro_series: this.props.distroSeries, hwe_kernel: this.props.hweKernel, user_data: this.props.userData }],
      network_interfaces: ips.length ? ips.map((ip) => ({ name: ip.interface, subnet_cidr: ip.subnetCidr, ip_address: ip.address })) : undefined,
    };
  }
}
