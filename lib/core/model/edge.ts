import { z } from 'zod';
import { cidr, dnsLabel, ipv4 } from './primitives';

const vlanId = z.number().int().min(1).max(4094);
const port = z.number().int().min(1).max(65535);
const interfaceName = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/, 'a RouterOS interface name such as ether1');
/** An address with its prefix length, as an interface carries it. */
const prefixedAddress = z.string().regex(/^(\d{1,3}\.){3}\d{1,3}\/\d{1,2}$/, 'an address with its prefix length such as 203.0.113.10/29');

/**
 * The site's edge router as code (The Lab design: RouterOS v7 on x86 with an allow-list firewall on
 * the WAN, NAT masquerade, the public addresses distributed to the ingress, the operators' WireGuard
 * VPN terminated on the router): the Terraform stack `edge`, applied before the cluster's.
 */
export const edgeSchema = z.strictObject({
  kind: z.literal('routeros'),
  /** The router's REST API over TLS (`www-ssl`); the user and password come from ROS_USERNAME/ROS_PASSWORD. */
  apiUrl: z.url().regex(/^https:\/\/[a-z0-9.-]+(:\d+)?\/?$/, 'the REST API over TLS without a path, e.g. https://router.example'),
  /** The uplink: its interface, the public addresses the site was given on it, and the provider's next hop. */
  wan: z.strictObject({
    interface: interfaceName.default('ether1'),
    addresses: z.array(prefixedAddress).min(1),
    gateway: ipv4,
  }),
  /** The link to the core switch (L3 for the site's VLANs): the router's address on it and the core's. */
  lan: z.strictObject({ interface: interfaceName, address: prefixedAddress, coreGateway: ipv4 }),
  /** Sources on the internet that may manage the router besides the VPN: the WAN allow-list. */
  allowList: z.array(z.strictObject({ name: dnsLabel, cidr })).min(1),
  /**
   * The public ingress network (The Lab's VLAN 50), routed by the router itself so published traffic
   * never crosses the core: each public address's ports are forwarded to an ingress address on it.
   * @default none: nothing is published
   */
  publicIngress: z
    .strictObject({
      vlan: vlanId,
      cidr,
      forwards: z
        .array(
          z.strictObject({
            /** One of the WAN addresses. */
            publicAddress: ipv4,
            /** The ingress's load-balancer address on this network. */
            to: ipv4,
            ports: z.array(port).min(1).default([80, 443]),
            /**
             * The entry that holds `to` (Cilium LB-IPAM gives it that address): the Gateway (add-on
             * gateway) or the ingress controller. @default the environment's routing (access.routing)
             */
            via: z.enum(['gateway', 'ingress']).optional(),
          }),
        )
        .min(1),
    })
    .optional(),
  /** The operators' WireGuard VPN, the only way into the management plane. */
  vpn: z.strictObject({
    listenPort: port.default(51820),
    /** The tunnel network; the router takes its first address. */
    cidr,
    /** What operators reach through the tunnel (BMCs, MAAS, the API server's network). */
    reaches: z.array(cidr).min(1),
    peers: z
      .array(
        z.strictObject({
          name: dnsLabel,
          /** The device's WireGuard public key; its private key never leaves the device. */
          publicKey: z.string().regex(/^[A-Za-z0-9+/]{42}[AEIMQUYcgkosw048]=$/, 'a WireGuard public key (44 characters of base64)'),
          address: ipv4,
        }),
      )
      .min(1),
  }),
});

export type EdgeConfig = z.output<typeof edgeSchema>;

/**
 * The network MAAS PXE-boots and commissions hosts on (The Lab's VLAN 40): DHCP and TFTP from MAAS's
 * rack controller, isolated, so nothing routes to or from it.
 */
export const provisioningNetworkSchema = z.strictObject({ vlan: vlanId, cidr });
