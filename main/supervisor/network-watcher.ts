// Notices network changes by polling os.networkInterfaces() and diffing: Node has no portable
// "network changed" event. A change of an interface shaped like a VPN (tun*, utun*, ppp*, wg*,
// ipsec*, tap*) is flagged, since that is when servers behind the VPN appear or vanish.
import { networkInterfaces, type NetworkInterfaceInfo } from 'node:os';
import { systemClock, Ticker, type Clock } from './timers.js';

/** Interface name → sorted "family address/cidr" list. */
export type InterfaceSnapshot = ReadonlyMap<string, readonly string[]>;

export interface NetworkChange {
  added: string[];
  removed: string[];
  /** Same name, different addresses. */
  changed: string[];
  /** A VPN-shaped interface appeared, vanished or changed. */
  vpn: boolean;
}

const VPN_NAME = /^(tun|utun|ppp|wg|ipsec|tap)/i;

export function isVpnInterface(name: string): boolean {
  return VPN_NAME.test(name);
}

export function snapshotInterfaces(raw: NodeJS.Dict<NetworkInterfaceInfo[]>): InterfaceSnapshot {
  const out = new Map<string, readonly string[]>();
  for (const [name, infos] of Object.entries(raw)) {
    if (!infos || infos.length === 0) continue;
    out.set(name, infos.map((i) => `${i.family} ${i.cidr ?? i.address}`).sort());
  }
  return out;
}

/** What changed between two snapshots, or undefined when nothing did. */
export function diffInterfaces(before: InterfaceSnapshot, after: InterfaceSnapshot): NetworkChange | undefined {
  const added = [...after.keys()].filter((n) => !before.has(n)).sort();
  const removed = [...before.keys()].filter((n) => !after.has(n)).sort();
  const changed = [...after.keys()]
    .filter((n) => before.has(n) && (before.get(n) ?? []).join('|') !== (after.get(n) ?? []).join('|'))
    .sort();
  if (added.length + removed.length + changed.length === 0) return undefined;
  const vpn = [...added, ...removed, ...changed].some(isVpnInterface);
  return { added, removed, changed, vpn };
}

export interface NetworkWatcherOptions {
  clock?: Clock;
  /** Poll period, ms (default 500: os.networkInterfaces() costs ~0.06 ms, and a VPN coming up should move drives within 2 s). */
  periodMs?: number;
  /** Source of interfaces (default os.networkInterfaces). */
  read?: () => NodeJS.Dict<NetworkInterfaceInfo[]>;
}

export class NetworkWatcher {
  private readonly ticker: Ticker;
  private readonly read: () => NodeJS.Dict<NetworkInterfaceInfo[]>;
  private last: InterfaceSnapshot | undefined;

  constructor(
    private readonly onChange: (change: NetworkChange) => void,
    opts: NetworkWatcherOptions = {},
  ) {
    this.read = opts.read ?? networkInterfaces;
    this.ticker = new Ticker(opts.clock ?? systemClock, opts.periodMs ?? 500, () => this.poll());
  }

  start(): void {
    this.last = snapshotInterfaces(this.read());
    this.ticker.start();
  }

  stop(): void {
    this.ticker.stop();
  }

  /** One poll; public so a caller with its own event (e.g. Electron) can force a check. */
  poll(): void {
    const now = snapshotInterfaces(this.read());
    const change = this.last === undefined ? undefined : diffInterfaces(this.last, now);
    this.last = now;
    if (change) this.onChange(change);
  }
}
