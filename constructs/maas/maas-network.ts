import { Construct } from 'constructs';
import { TerraformMetaArguments, TerraformResource, metaArguments } from '../../lib/core/facade/tf';
import { isCidr } from '../../lib/core/util/cidr';
import { propError } from '../props';

/*
 * canonical/maas network resources, hand-written like the machine and instance classes, from the
 * provider's docs/resources (vlan.md, subnet.md, network_interface_vlan.md) at v2.4.0, the newest
 * release the repository snapshot holds; their schemas are unchanged in the ~> 2.6 line Parity pins.
 */

export interface MaasVlanProps extends TerraformMetaArguments {
  /** The fabric (name or ID) the VLAN is on. */
  readonly fabric: string;
  /** 802.1Q VLAN ID. */
  readonly vid: number;
  /** @default MAAS's name */
  readonly name?: string;
  /** Whether MAAS serves DHCP on it. @default false: the Lab's hosts take static addresses */
  readonly dhcpOn?: boolean;
}

/** `maas_vlan`: a VLAN of a fabric. */
export class MaasVlan extends TerraformResource {
  static readonly tfResourceType = 'maas_vlan';
  private readonly props: MaasVlanProps;

  constructor(scope: Construct, id: string, props: MaasVlanProps) {
    super(scope, id, {
      terraformResourceType: MaasVlan.tfResourceType,
      terraformGeneratorMetadata: { providerName: 'maas' },
      ...metaArguments(props),
    });
    if (!Number.isInteger(props.vid) || props.vid < 1 || props.vid > 4094)
      throw propError(this, 'vid', props.vid, 'an 802.1Q VLAN ID from 1 to 4094');
    if (!props.fabric) throw propError(this, 'fabric', props.fabric, 'a MAAS fabric name or ID');
    this.props = props;
  }

  /** MAAS's database ID of the VLAN (what interfaces name). */
  get id(): string {
    return this.getStringAttribute('id');
  }

  protected synthesizeAttributes(): Record<string, unknown> {
    return { fabric: this.props.fabric, vid: this.props.vid, name: this.props.name, dhcp_on: this.props.dhcpOn ?? false };
  }
}

export interface MaasSubnetProps extends TerraformMetaArguments {
  readonly cidr: string;
  /** The fabric of its VLAN (required with `vlan`). */
  readonly fabric: string;
  /** The VLAN's traffic segregation ID (or MAAS ID). */
  readonly vlan: string;
  /** @default the CIDR */
  readonly name?: string;
  /** @default none: a storage network routes nowhere */
  readonly gatewayIp?: string;
}

/** `maas_subnet`: an IP subnet on a VLAN, from which MAAS assigns the hosts' static addresses. */
export class MaasSubnet extends TerraformResource {
  static readonly tfResourceType = 'maas_subnet';
  private readonly props: MaasSubnetProps;

  constructor(scope: Construct, id: string, props: MaasSubnetProps) {
    super(scope, id, {
      terraformResourceType: MaasSubnet.tfResourceType,
      terraformGeneratorMetadata: { providerName: 'maas' },
      ...metaArguments(props),
    });
    if (!isCidr(props.cidr)) throw propError(this, 'cidr', props.cidr, 'an IPv4 CIDR block such as 10.0.30.0/24');
    this.props = props;
  }

  protected synthesizeAttributes(): Record<string, unknown> {
    return {
      cidr: this.props.cidr,
      fabric: this.props.fabric,
      vlan: this.props.vlan,
      name: this.props.name ?? this.props.cidr,
      gateway_ip: this.props.gatewayIp,
    };
  }
}

export interface MaasNetworkInterfaceVlanProps extends TerraformMetaArguments {
  /** The machine (system ID, hostname or FQDN). */
  readonly machine: string;
  /** Its physical interface the VLAN rides on, e.g. eno1. */
  readonly parent: string;
  readonly fabric: string;
  /** MAAS's database ID of the VLAN (`MaasVlan.id`). */
  readonly vlan: string;
}

/** `maas_network_interface_vlan`: a tagged interface (`<parent>.<vid>`) on a machine, configured before it is deployed. */
export class MaasNetworkInterfaceVlan extends TerraformResource {
  static readonly tfResourceType = 'maas_network_interface_vlan';
  private readonly props: MaasNetworkInterfaceVlanProps;

  constructor(scope: Construct, id: string, props: MaasNetworkInterfaceVlanProps) {
    super(scope, id, {
      terraformResourceType: MaasNetworkInterfaceVlan.tfResourceType,
      terraformGeneratorMetadata: { providerName: 'maas' },
      ...metaArguments(props),
    });
    if (!/^[a-z][a-z0-9.-]{0,14}$/.test(props.parent)) throw propError(this, 'parent', props.parent, 'a Linux interface name like eno1');
    this.props = props;
  }

  protected synthesizeAttributes(): Record<string, unknown> {
    return { machine: this.props.machine, parent: this.props.parent, fabric: this.props.fabric, vlan: this.props.vlan };
  }
}
