import { BlockList } from 'node:net';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isLoopback, refusedAddress } from '../../lib/webhooks/address.ts';
import { afterFailure, refusedUrl } from '../../lib/webhooks/endpoint.ts';

// An independent oracle: Node's own BlockList with the same ranges as the IANA special-purpose registries.
const oracle = new BlockList();
for (const [net, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.88.99.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const)
  oracle.addSubnet(net, prefix, 'ipv4');
for (const [net, prefix] of [
  ['::', 127],
  ['64:ff9b::', 96],
  ['64:ff9b:1::', 48],
  ['100::', 64],
  ['2001::', 23],
  ['2001:db8::', 32],
  ['2002::', 16],
  ['3fff::', 20],
  ['5f00::', 16],
  ['fc00::', 7],
  ['fe80::', 10],
  ['fec0::', 10],
  ['ff00::', 8],
] as const)
  oracle.addSubnet(net, prefix, 'ipv6');

const v4 = fc.tuple(fc.nat(255), fc.nat(255), fc.nat(255), fc.nat(255)).map((p) => p.join('.'));
// Addresses near the ranges' edges are more likely than uniform ones.
const edgyV4 = fc
  .tuple(
    fc.constantFrom(0, 10, 100, 127, 169, 172, 192, 198, 203, 224, 239, 240, 255, 8, 1),
    fc.nat(255),
    fc.nat(255),
    fc.nat(255),
  )
  .map((p) => p.join('.'));
const v6 = fc
  .tuple(
    fc.constantFrom(
      0,
      0x64,
      0x100,
      0x2001,
      0x2002,
      0x3fff,
      0x5f00,
      0xfc00,
      0xfd12,
      0xfe80,
      0xfec0,
      0xff02,
      0x2a00,
      0x2600,
    ),
    fc.array(fc.nat(0xffff), { minLength: 7, maxLength: 7 }),
  )
  .map(([first, rest]) => [first, ...rest].map((g) => g.toString(16)).join(':'));

describe('webhook addresses', () => {
  it('refuses exactly the special-purpose ranges, as Node’s BlockList sees them (IPv4, IPv6, IPv4-mapped)', () => {
    fc.assert(
      fc.property(fc.oneof(v4, edgyV4), (address) => {
        expect(refusedAddress(address) !== null, address).toBe(oracle.check(address, 'ipv4'));
        expect(refusedAddress(`::ffff:${address}`) !== null, address).toBe(oracle.check(address, 'ipv4'));
      }),
      { numRuns: 3000 },
    );
    fc.assert(
      fc.property(v6, (address) => {
        expect(refusedAddress(address) !== null, address).toBe(oracle.check(address, 'ipv6'));
      }),
      { numRuns: 3000 },
    );
  });

  it('judges a URL by its address however it is written: decimal, octal, hex, shortened, IPv6-mapped', () => {
    const notations = (n: number) => {
      const bytes = [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255];
      return [
        bytes.join('.'),
        String(n),
        `0x${n.toString(16)}`,
        bytes.map((b) => `0${b.toString(8)}`).join('.'),
        `${bytes[0]}.${(n & 0xffffff).toString()}`,
        bytes.map((b) => `0x${b.toString(16)}`).join('.'),
        `[::ffff:${bytes.join('.')}]`,
        `[::ffff:${(n >>> 16).toString(16)}:${(n & 0xffff).toString(16)}]`,
      ];
    };
    const address = fc.oneof(
      fc.nat(0xffffffff),
      fc.constantFrom(0x7f000001, 0xa9fea9fe, 0x0a000001, 0xac100001, 0xc0a80001, 0x64400001, 0),
    );
    fc.assert(
      fc.property(address, (n) => {
        const dotted = notations(n)[0]!;
        for (const host of notations(n))
          expect(refusedUrl(`https://${host}/hooks`) !== null, `${host} (${dotted})`).toBe(
            oracle.check(dotted, 'ipv4'),
          );
      }),
      { numRuns: 2000 },
    );
  });

  it('names why, and tells loopback apart', () => {
    expect(refusedAddress('169.254.169.254')).toBe('link-local (cloud metadata)');
    expect(refusedAddress('fd00:ec2::254')).toBe('unique local (private)');
    expect(refusedAddress('::ffff:7f00:1')).toBe('loopback');
    expect(refusedAddress('::127.0.0.1')).toBe('loopback');
    expect(refusedAddress('fe80::1%eth0')).toBe('not an IP address');
    expect(refusedAddress('93.184.215.14')).toBeNull();
    expect(refusedAddress('2606:2800:21f:cb07:6820:80da:af6b:8b2c')).toBeNull();
    expect(isLoopback('::1') && isLoopback('127.8.9.1') && !isLoopback('::') && !isLoopback('10.0.0.1')).toBe(true);
  });

  it('allows http and loopback only in local mode', () => {
    expect(refusedUrl('https://erp.example.com/hooks')).toBeNull();
    expect(refusedUrl('http://127.0.0.1:9000/hooks')).toBe('use https');
    expect(refusedUrl('http://127.0.0.1:9000/hooks', true)).toBeNull();
    expect(refusedUrl('http://localhost:9000/hooks', true)).toBeNull();
    expect(refusedUrl('http://10.0.0.2/hooks', true)).toBe('use https (http only to this machine)');
    expect(refusedUrl('https://10.0.0.2/hooks', true)).toBe('the address is private');
  });
});

describe('after a failed delivery', () => {
  const now = new Date('2027-01-15T10:00:00Z');
  const failure = { ok: false as const, status: 500, latencyMs: 12, error: 'the receiver answered 500' };

  it('retries seven times over about a day, with jitter, then gives up', () => {
    let total = 0;
    for (let attempt = 1; attempt <= 7; attempt += 1) {
      const next = afterFailure({}, failure, attempt, now);
      expect(next).toHaveProperty('retryAt');
      total += ((next as { retryAt: Date }).retryAt.getTime() - now.getTime()) / 3_600_000;
    }
    expect(total).toBeGreaterThan(22);
    expect(total).toBeLessThan(34);
    expect(afterFailure({}, failure, 8, now)).toEqual({ giveUp: expect.stringContaining('8 attempts') });
  });

  it('disables at once on 410, and after 72 hours of nothing but failures', () => {
    expect(afterFailure({}, { ...failure, status: 410 }, 1, now)).toEqual({ disable: expect.stringContaining('410') });
    const since = new Date(now.getTime() - 72 * 3_600_000).toISOString();
    expect(afterFailure({ failingSince: since }, failure, 1, now)).toHaveProperty('disable');
    const recent = new Date(now.getTime() - 71 * 3_600_000).toISOString();
    expect(afterFailure({ failingSince: recent }, failure, 1, now)).toHaveProperty('retryAt');
  });
});
