import { afterEach, describe, expect, it, vi } from 'vitest';
import type { NetworkInterfaceInfo } from 'node:os';
import { diffInterfaces, isVpnInterface, NetworkWatcher, snapshotInterfaces, type NetworkChange } from './network-watcher.js';

const iface = (address: string, family: 'IPv4' | 'IPv6' = 'IPv4'): NetworkInterfaceInfo =>
  ({ address, family, cidr: `${address}/24`, netmask: '255.255.255.0', mac: '00:00:00:00:00:00', internal: false }) as NetworkInterfaceInfo;

afterEach(() => {
  vi.useRealTimers();
});

describe('network diff', () => {
  const base = snapshotInterfaces({ lo: [iface('127.0.0.1')], eth0: [iface('192.168.1.5')] });

  it('no change is undefined', () => {
    expect(diffInterfaces(base, snapshotInterfaces({ eth0: [iface('192.168.1.5')], lo: [iface('127.0.0.1')] }))).toBeUndefined();
  });

  it('an address change on the LAN is not a VPN change', () => {
    expect(diffInterfaces(base, snapshotInterfaces({ lo: [iface('127.0.0.1')], eth0: [iface('192.168.1.9')] }))).toEqual({
      added: [],
      removed: [],
      changed: ['eth0'],
      vpn: false,
    });
  });

  it('a VPN interface appearing or vanishing is flagged', () => {
    const up = snapshotInterfaces({ lo: [iface('127.0.0.1')], eth0: [iface('192.168.1.5')], wg0: [iface('10.8.0.2')] });
    expect(diffInterfaces(base, up)).toMatchObject({ added: ['wg0'], vpn: true });
    expect(diffInterfaces(up, base)).toMatchObject({ removed: ['wg0'], vpn: true });
  });

  it.each(['tun0', 'utun3', 'ppp0', 'wg0', 'ipsec0', 'tap1'])('%s is VPN-shaped', (n) => expect(isVpnInterface(n)).toBe(true));
  it.each(['eth0', 'wlan0', 'en0', 'lo', 'docker0'])('%s is not', (n) => expect(isVpnInterface(n)).toBe(false));

  it('the watcher polls every second and reports each change once', async () => {
    vi.useFakeTimers();
    let current: NodeJS.Dict<NetworkInterfaceInfo[]> = { eth0: [iface('192.168.1.5')] };
    const seen: NetworkChange[] = [];
    const w = new NetworkWatcher((c) => seen.push(c), { read: () => current });
    w.start();
    await vi.advanceTimersByTimeAsync(3000);
    expect(seen).toHaveLength(0);
    current = { eth0: [iface('192.168.1.5')], tun0: [iface('10.9.0.1')] };
    await vi.advanceTimersByTimeAsync(1000);
    await vi.advanceTimersByTimeAsync(3000);
    expect(seen).toEqual([{ added: ['tun0'], removed: [], changed: [], vpn: true }]);
    w.stop();
    expect(vi.getTimerCount()).toBe(0);
  });
});
