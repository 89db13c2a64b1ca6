// Which IP addresses a webhook may be delivered to: public unicast only. Loopback, private, link-local
// (the cloud metadata address 169.254.169.254 among them), shared, multicast, documentation and
// reserved ranges are refused, in IPv4 and IPv6 alike, and an IPv6 address that embeds an IPv4 one
// (mapped, NAT64, 6to4, Teredo) is judged by the IPv4 address or refused. Pure: addresses as text.

/** A range: the address's bits as a bigint, the prefix length, the family's width. */
interface Range {
  base: bigint;
  prefix: number;
  bits: 32 | 128;
  why: string;
}

function parseIPv4(text: string): bigint | null {
  const parts = text.split('.');
  if (parts.length !== 4 || !parts.every((p) => /^(0|[1-9]\d{0,2})$/.test(p) && Number(p) <= 255)) return null;
  return parts.reduce((acc, p) => (acc << 8n) | BigInt(p), 0n);
}

function parseIPv6(text: string): bigint | null {
  let body = text.startsWith('[') && text.endsWith(']') ? text.slice(1, -1) : text;
  if (body.includes('%')) return null; // a zone index names a local interface
  // A trailing dotted IPv4 (::ffff:1.2.3.4) becomes two groups.
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(body);
  if (dotted) {
    const v4 = parseIPv4(dotted[1]!);
    if (v4 === null) return null;
    body = `${body.slice(0, -dotted[1]!.length)}${(v4 >> 16n).toString(16)}:${(v4 & 0xffffn).toString(16)}`;
  }
  const halves = body.split('::');
  if (halves.length > 2) return null;
  const groups = (s: string) => (s === '' ? [] : s.split(':'));
  const head = groups(halves[0]!);
  const tail = halves.length === 2 ? groups(halves[1]!) : [];
  const missing = 8 - head.length - tail.length;
  if (halves.length === 2 ? missing < 1 : missing !== 0) return null;
  const all = [...head, ...Array<string>(halves.length === 2 ? missing : 0).fill('0'), ...tail];
  if (!all.every((g) => /^[0-9a-f]{1,4}$/i.test(g))) return null;
  return all.reduce((acc, g) => (acc << 16n) | BigInt(Number.parseInt(g, 16)), 0n);
}

function range(cidr: string, why: string): Range {
  const [address, prefix] = cidr.split('/');
  const v4 = parseIPv4(address!);
  const base = v4 ?? parseIPv6(address!);
  if (base === null) throw new Error(`Bad range ${cidr}`);
  return { base, prefix: Number(prefix), bits: v4 === null ? 128 : 32, why };
}

const REFUSED: readonly Range[] = [
  range('0.0.0.0/8', 'this network'),
  range('10.0.0.0/8', 'private'),
  range('100.64.0.0/10', 'shared address space (carrier NAT)'),
  range('127.0.0.0/8', 'loopback'),
  range('169.254.0.0/16', 'link-local (cloud metadata)'),
  range('172.16.0.0/12', 'private'),
  range('192.0.0.0/24', 'IETF protocol assignments'),
  range('192.0.2.0/24', 'documentation'),
  range('192.88.99.0/24', '6to4 relay'),
  range('192.168.0.0/16', 'private'),
  range('198.18.0.0/15', 'benchmarking'),
  range('198.51.100.0/24', 'documentation'),
  range('203.0.113.0/24', 'documentation'),
  range('224.0.0.0/4', 'multicast'),
  range('240.0.0.0/4', 'reserved'),
  range('::/127', 'unspecified or loopback'),
  range('64:ff9b::/96', 'NAT64'),
  range('64:ff9b:1::/48', 'NAT64'),
  range('100::/64', 'discard'),
  range('2001::/23', 'IETF protocol assignments (Teredo among them)'),
  range('2001:db8::/32', 'documentation'),
  range('2002::/16', '6to4'),
  range('3fff::/20', 'documentation'),
  range('5f00::/16', 'segment routing'),
  range('fc00::/7', 'unique local (private)'),
  range('fe80::/10', 'link-local'),
  range('fec0::/10', 'site-local'),
  range('ff00::/8', 'multicast'),
];

const inRange = (value: bigint, bits: 32 | 128, r: Range) =>
  r.bits === bits && value >> BigInt(bits - r.prefix) === r.base >> BigInt(bits - r.prefix);

/** Why an address may not receive webhooks, or null for a public unicast address; not an IP address at all is refused too. */
export function refusedAddress(address: string): string | null {
  const v4 = parseIPv4(address);
  if (v4 !== null) return REFUSED.find((r) => inRange(v4, 32, r))?.why ?? null;
  const v6 = parseIPv6(address);
  if (v6 === null) return 'not an IP address';
  // ::ffff:a.b.c.d (mapped) and ::a.b.c.d (compatible, deprecated): the IPv4 address decides.
  if (v6 >> 32n === 0xffffn || (v6 >> 32n === 0n && v6 > 1n)) {
    const inner = v6 & 0xffffffffn;
    return refusedAddress([24n, 16n, 8n, 0n].map((s) => String((inner >> s) & 0xffn)).join('.'));
  }
  return REFUSED.find((r) => inRange(v6, 128, r))?.why ?? null;
}

/** Whether the address is loopback (127/8, ::1, or mapped): what local mode alone may deliver to. */
export function isLoopback(address: string): boolean {
  const why = refusedAddress(address);
  return why === 'loopback' || (why === 'unspecified or loopback' && parseIPv6(address) === 1n);
}
