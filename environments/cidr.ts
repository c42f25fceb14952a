// Minimal IPv4 CIDR arithmetic, enough to prove that the VPC's ranges never overlap
// (GCP rejects a Private Service Access range that overlaps a subnet or connector range).

export interface Ipv4Range {
  cidr: string;
  first: number;
  last: number;
}

export function parseCidr(cidr: string): Ipv4Range {
  const match = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(cidr);
  if (!match) throw new Error(`"${cidr}" is not an IPv4 CIDR`);
  const octets = match.slice(1, 5).map(Number);
  const prefix = Number(match[5]);
  if (octets.some((octet) => octet > 255) || prefix > 32) throw new Error(`"${cidr}" is not an IPv4 CIDR`);
  const address = octets.reduce((value, octet) => value * 256 + octet, 0);
  const size = 2 ** (32 - prefix);
  if (address % size !== 0) throw new Error(`"${cidr}" has host bits set; the network address is required`);
  return { cidr, first: address, last: address + size - 1 };
}

/** Every pair of ranges that share at least one address. */
export function overlappingPairs(cidrs: readonly string[]): Array<[string, string]> {
  const ranges = cidrs.map(parseCidr);
  const pairs: Array<[string, string]> = [];
  ranges.forEach((a, i) =>
    ranges.slice(i + 1).forEach((b) => {
      if (a.first <= b.last && b.first <= a.last) pairs.push([a.cidr, b.cidr]);
    }),
  );
  return pairs;
}
