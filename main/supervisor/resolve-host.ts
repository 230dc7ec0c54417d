// Resolves a server name afresh for each attempt. After a network change (VPN up, new Wi-Fi) an OS
// cache may still hold the old answer, so the DNS servers are asked directly (c-ares through
// dns.promises.Resolver, which has no cache); dns.promises.lookup adds what only the OS knows
// (/etc/hosts, mDNS). An IP literal skips DNS.
import { promises as dns, getServers } from 'node:dns';
import { isIP } from 'node:net';

export interface ResolvedAddress {
  address: string;
  family: 4 | 6;
}

export type Resolve = (host: string, timeoutMs: number) => Promise<ResolvedAddress[]>;

export class ResolveError extends Error {
  readonly code: string;
  constructor(host: string, code: string) {
    super(`${host} does not resolve (${code})`);
    this.name = 'ResolveError';
    this.code = code;
  }
}

/** Runs `p` with a deadline; the timer is always cleared so nothing outlives the call. */
function withDeadline<T>(p: Promise<T>, ms: number, onTimeout: () => Error): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(onTimeout()), ms);
    timer.unref();
  });
  return Promise.race([p, deadline]).finally(() => clearTimeout(timer));
}

async function fromDnsServers(host: string, timeoutMs: number): Promise<ResolvedAddress[]> {
  const resolver = new dns.Resolver({ timeout: Math.max(100, Math.floor(timeoutMs / 2)), tries: 2 });
  const servers = getServers();
  if (servers.length > 0) resolver.setServers(servers);
  try {
    const [v4, v6] = await Promise.allSettled([resolver.resolve4(host), resolver.resolve6(host)]);
    const out: ResolvedAddress[] = [];
    if (v4.status === 'fulfilled') out.push(...v4.value.map((address) => ({ address, family: 4 as const })));
    if (v6.status === 'fulfilled') out.push(...v6.value.map((address) => ({ address, family: 6 as const })));
    return out;
  } finally {
    resolver.cancel();
  }
}

async function fromOs(host: string): Promise<{ list: ResolvedAddress[]; code?: string }> {
  try {
    const all = await dns.lookup(host, { all: true, verbatim: true });
    return { list: all.map((a) => ({ address: a.address, family: a.family === 6 ? 6 : 4 })) };
  } catch (e) {
    const code = (e as { code?: unknown }).code;
    return { list: [], code: typeof code === 'string' ? code : 'ENOTFOUND' };
  }
}

/** Fresh DNS answers first, then OS-only ones; fails with the OS's error code when neither knows. */
export const resolveHost: Resolve = async (host, timeoutMs) => {
  const family = isIP(host);
  if (family !== 0) return [{ address: host, family: family === 6 ? 6 : 4 }];
  const work = Promise.all([fromDnsServers(host, timeoutMs).catch(() => [] as ResolvedAddress[]), fromOs(host)]);
  const [fresh, os] = await withDeadline(work, timeoutMs, () => new ResolveError(host, 'ETIMEOUT'));
  const seen = new Set<string>();
  const out: ResolvedAddress[] = [];
  for (const a of [...fresh, ...os.list]) {
    if (seen.has(a.address)) continue;
    seen.add(a.address);
    out.push(a);
  }
  if (out.length === 0) throw new ResolveError(host, os.code ?? 'ENOTFOUND');
  return out;
};
