import * as ipaddr from 'ipaddr.js';

/** An IPv4 network in CIDR notation, parsed once. */
export interface Ipv4Cidr {
  readonly cidr: string;
  readonly base: number;
  readonly prefix: number;
  /** Number of addresses in the block. */
  readonly size: number;
}

function toInt(ip: ipaddr.IPv4): number {
  return ip.toByteArray().reduce((acc, b) => acc * 256 + b, 0);
}

function fromInt(n: number): string {
  return [24, 16, 8, 0].map((s) => Math.floor(n / 2 ** s) % 256).join('.');
}

/** Parses `a.b.c.d/n` strictly: the address must be the network address of the block. */
export function parseCidr(cidr: string): Ipv4Cidr {
  const m = /^(\d{1,3}(?:\.\d{1,3}){3})\/(\d{1,2})$/.exec(cidr);
  if (!m || !ipaddr.IPv4.isValidFourPartDecimal(m[1]) || Number(m[2]) > 32) {
    throw new Error(`"${cidr}" is not an IPv4 CIDR block like 10.0.0.0/16`);
  }
  const prefix = Number(m[2]);
  const size = 2 ** (32 - prefix);
  const base = toInt(ipaddr.IPv4.parse(m[1]));
  if (base % size !== 0) {
    throw new Error(`"${cidr}" has host bits set; the network address is ${fromInt(base - (base % size))}/${prefix}`);
  }
  return { cidr, base, prefix, size };
}

export function isCidr(value: string): boolean {
  try {
    parseCidr(value);
    return true;
  } catch {
    return false;
  }
}

export function isIpv4(value: string): boolean {
  return ipaddr.IPv4.isValidFourPartDecimal(value);
}

export function cidrsOverlap(a: string, b: string): boolean {
  const x = parseCidr(a);
  const y = parseCidr(b);
  return x.base < y.base + y.size && y.base < x.base + x.size;
}

export function cidrContains(outer: string, inner: string): boolean {
  const o = parseCidr(outer);
  const i = parseCidr(inner);
  return i.base >= o.base && i.base + i.size <= o.base + o.size;
}

export function cidrContainsIp(cidr: string, ip: string): boolean {
  const c = parseCidr(cidr);
  const n = toInt(ipaddr.IPv4.parse(ip));
  return n >= c.base && n < c.base + c.size;
}

/**
 * The `index`-th block of prefix `newPrefix` inside `cidr` (Terraform's `cidrsubnet`, but computed
 * at synth time so the plan shows literal, reviewable ranges).
 */
export function subnet(cidr: string, newPrefix: number, index: number): string {
  const c = parseCidr(cidr);
  if (newPrefix < c.prefix || newPrefix > 32) {
    throw new Error(`cannot carve a /${newPrefix} out of ${cidr}`);
  }
  const count = 2 ** (newPrefix - c.prefix);
  if (index < 0 || index >= count) {
    throw new Error(`${cidr} holds only ${count} /${newPrefix} blocks; index ${index} is out of range`);
  }
  return `${fromInt(c.base + index * 2 ** (32 - newPrefix))}/${newPrefix}`;
}

/** The n-th address of a block (n = 10 gives the conventional cluster DNS address of a service CIDR). */
export function nthAddress(cidr: string, n: number): string {
  const c = parseCidr(cidr);
  if (n < 0 || n >= c.size) throw new Error(`${cidr} has no address #${n}`);
  return fromInt(c.base + n);
}

/**
 * The address with `ip`'s host part in another network (10.0.20.11 of 10.0.20.0/24 is 10.0.30.11 of
 * 10.0.30.0/24): predictable addressing of one host across its VLANs. Throws when it does not fit.
 */
export function sameHostAddress(fromCidr: string, ip: string, toCidr: string): string {
  const offset = toInt(ipaddr.IPv4.parse(ip)) - parseCidr(fromCidr).base;
  return nthAddress(toCidr, offset);
}

/** Whether `ip` lies in the range `start`..`stop` (both included). */
export function ipInRange(ip: string, start: string, stop: string): boolean {
  const n = toInt(ipaddr.IPv4.parse(ip));
  return n >= toInt(ipaddr.IPv4.parse(start)) && n <= toInt(ipaddr.IPv4.parse(stop));
}

/** Whether `start` comes no later than `stop`. */
export function rangeOrdered(start: string, stop: string): boolean {
  return toInt(ipaddr.IPv4.parse(start)) <= toInt(ipaddr.IPv4.parse(stop));
}

/** The address `n` after `ip`. */
export function offsetAddress(ip: string, n: number): string {
  return fromInt(toInt(ipaddr.IPv4.parse(ip)) + n);
}

/** Whether `ip`'s host part in `fromCidr` is an address of `toCidr` (see `sameHostAddress`). */
export function hostPartFits(fromCidr: string, ip: string, toCidr: string): boolean {
  try {
    sameHostAddress(fromCidr, ip, toCidr);
    return true;
  } catch {
    return false;
  }
}
