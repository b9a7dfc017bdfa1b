import { Construct } from 'constructs';
import { TerraformMetaArguments, TerraformResource, metaArguments } from '../../lib/core/facade/tf';
import { propError } from '../props';

export interface MaasMachineProps extends TerraformMetaArguments {
  readonly hostname: string;
  /** MAC of the interface the machine PXE-boots from. */
  readonly pxeMacAddress: string;
  /** How MAAS powers the machine: "ipmi", "redfish", ... */
  readonly powerType: string;
  /**
   * Power driver parameters as a JSON string (`jsonencode` in HCL). Passwords inside must be
   * references to sensitive variables, never literals.
   */
  readonly powerParameters: string;
  /**
   * @default 'amd64/generic'
   */
  readonly architecture?: string;
  /** MAAS zone. @default MAAS's default zone */
  readonly zone?: string;
  /** MAAS resource pool. @default MAAS's default pool */
  readonly pool?: string;
}

/** `maas_machine`: enlists a physical host (BMC + PXE MAC) so MAAS can commission it. */
export class MaasMachine extends TerraformResource {
  static readonly tfResourceType = 'maas_machine';
  private readonly props: MaasMachineProps;

  constructor(scope: Construct, id: string, props: MaasMachineProps) {
    super(scope, id, {
      terraformResourceType: MaasMachine.tfResourceType,
      terraformGeneratorMetadata: { providerName: 'maas' },
      ...metaArguments(props),
    });
    if (!/^([0-9a-f]{2}:){5}[0-9a-f]{2}$/.test(props.pxeMacAddress)) {
      throw propError(this, 'pxeMacAddress', props.pxeMacAddress, 'a lower-case MAC address');
    }
    if (!['ipmi', 'redfish', 'amt', 'manual', 'virsh', 'lxd'].includes(props.powerType)) {
      throw propError(this, 'powerType', props.powerType, 'a MAAS power driver: ipmi, redfish, amt, manual, virsh or lxd');
    }
    this.props = props;
  }

  /** MAAS system id. */
  get id(): string {
    return this.getStringAttribute('id');
  }

  protected synthesizeAttributes(): Record<string, unknown> {
    return {
      hostname: this.props.hostname,
      pxe_mac_address: this.props.pxeMacAddress,
      power_type: this.props.powerType,
      power_parameters: this.props.powerParameters,
      architecture: this.props.architecture ?? 'amd64/generic',
      zone: this.props.zone,
      pool: this.props.pool,
    };
  }
}
