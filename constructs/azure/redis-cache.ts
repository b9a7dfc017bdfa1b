import { Construct } from 'constructs';
import { RedisCache as RedisCacheResource } from '@cdktf/provider-azurerm/lib/redis-cache';
import { Fn } from '../../lib/core/facade/tf';
import { PrivateLink } from './private-link';
import { propError } from '../props';

export interface RedisCacheProps {
  /** Cache name, 1–63 letters, digits and hyphens (global: `<name>.redis.cache.windows.net`). */
  readonly name: string;
  readonly location: string;
  readonly resourceGroupName: string;
  /** Standard: primary and replica with automatic failover; Premium adds zones and persistence. */
  readonly sku: 'Standard' | 'Premium';
  /** C0–C6 (Standard), P1–P5 (Premium). */
  readonly capacity: number;
  readonly privateEndpointSubnetId: string;
  readonly vnetId: string;
  /** @default {} */
  readonly tags?: Record<string, string>;
}

const NAME = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;
/** The TLS port; the plain one stays closed. */
export const REDIS_TLS_PORT = 6380;

/**
 * Azure Cache for Redis on a private endpoint: TLS 1.2 only (the non-TLS port closed), public network
 * access off, a replica with automatic failover (Standard or Premium, never Basic).
 */
export class RedisCache extends Construct {
  readonly cache: RedisCacheResource;

  constructor(scope: Construct, id: string, props: RedisCacheProps) {
    super(scope, id);
    if (!NAME.test(props.name)) throw propError(this, 'name', props.name, '1 to 63 lower-case letters, digits and hyphens');
    const [min, max] = props.sku === 'Premium' ? [1, 5] : [0, 6];
    if (props.capacity < min || props.capacity > max) throw propError(this, 'capacity', props.capacity, `${min} to ${max} for the ${props.sku} SKU`);
    const tags = props.tags ?? {};
    this.cache = new RedisCacheResource(this, 'cache', {
      name: props.name,
      location: props.location,
      resourceGroupName: props.resourceGroupName,
      skuName: props.sku,
      family: props.sku === 'Premium' ? 'P' : 'C',
      capacity: props.capacity,
      redisVersion: '6',
      minimumTlsVersion: '1.2',
      nonSslPortEnabled: false,
      publicNetworkAccessEnabled: false,
      redisConfiguration: {},
      tags,
    });
    new PrivateLink(this, 'private-link', {
      name: props.name,
      resourceId: this.cache.id,
      subresource: 'redisCache',
      dnsZone: 'privatelink.redis.cache.windows.net',
      location: props.location,
      resourceGroupName: props.resourceGroupName,
      subnetId: props.privateEndpointSubnetId,
      vnetId: props.vnetId,
      tags,
    });
  }

  /** `rediss://:<key>@<host>:6380/0`: TLS, authenticated with the primary access key. */
  connectionUrl(): string {
    return Fn.format(`rediss://:%s@%s:${REDIS_TLS_PORT}/0`, [Fn.urlencode(this.cache.primaryAccessKey), this.cache.hostname]);
  }
}
