/**
 * Which peers may say who the client is, through X-Forwarded-For. CAMDASH_TRUSTED_PROXIES: a comma
 * list of addresses, and `loopback` for a proxy on the same machine (the default); `none` trusts no one.
 */
export type TrustedProxies = { loopback: boolean; addresses: ReadonlySet<string> };

// A trusted proxy passes on whatever it was sent; no key of the login limiter needs more than this.
const MAX_ADDRESS_LENGTH = 64;

export function parseTrustedProxies(setting: string | undefined): TrustedProxies {
  const entries = (setting ?? 'loopback').split(',').map((entry) => entry.trim()).filter(Boolean);
  const addresses = entries.filter((entry) => entry !== 'loopback' && entry !== 'none').map(normalized);
  return { loopback: entries.includes('loopback'), addresses: new Set(addresses) };
}

/**
 * The client a request comes from, for rate limiting: the connection's peer, unless the peer is a
 * trusted proxy. Then it is the nearest X-Forwarded-For hop that is not a trusted proxy itself: each
 * proxy appends the address it saw, and whatever stands left of that is the client's own word.
 * Undefined when the peer is not known.
 */
export function clientAddress(peer: string | undefined, forwardedFor: string | null, trusted: TrustedProxies): string | undefined {
  if (!peer) return undefined;
  const peerAddress = normalized(peer);
  if (!isTrusted(peerAddress, trusted)) return peerAddress;
  const hops = (forwardedFor ?? '').split(',').map((hop) => normalized(hop.trim())).filter(Boolean);
  for (let index = hops.length - 1; index >= 0; index -= 1) {
    if (!isTrusted(hops[index]!, trusted)) return hops[index];
  }
  return hops[0] ?? peerAddress;
}

function isTrusted(address: string, trusted: TrustedProxies): boolean {
  return (trusted.loopback && (address === '::1' || address.startsWith('127.'))) || trusted.addresses.has(address);
}

/** One spelling per address: an IPv4 client of a dual-stack server shows up as ::ffff:a.b.c.d. */
function normalized(address: string): string {
  return address.slice(0, MAX_ADDRESS_LENGTH).toLowerCase().replace(/^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/, '');
}
