// A two-namespace network lab for the fault suites: a server namespace (smbd) and a client
// namespace (the app's code, see fault-agent.ts) joined by one veth pair on 10.200.1.0/24. Only
// these namespaces ever carry the test traffic; the host's own network is never touched. Faults:
// link down/up, a silent blackhole (nft `policy drop` in the server namespace, for every address
// or one), a rate limit (tbf) so a copy lasts long enough to be interrupted, and a VPN-shaped
// interface in the client namespace. Every helper process is stopped by PID, and close() deletes
// the namespaces (which removes their links, addresses, nft tables and qdiscs with them).
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { runCommand } from '../harness/run-command.js';

export const SUBNET = '10.200.1';
export const CLIENT_IP = `${SUBNET}.1`;
/** The server's first address. */
export const SERVER_IP = `${SUBNET}.2`;
/** A second address on the same server interface (an alternate target, or where a name moves to). */
export const SERVER_IP2 = `${SUBNET}.3`;
/** Interface names inside the namespaces (each namespace has its own name space for links). */
export const CLIENT_LINK = 'skf-cli0';
export const SERVER_LINK = 'skf-srv0';
const NFT_TABLE = 'skfault';

/** Why the lab cannot run here, or undefined when it can (root, `ip netns`, nft, tc). */
export async function labUnavailableReason(): Promise<string | undefined> {
  if (process.getuid?.() !== 0) return 'fault tests need root (network namespaces)';
  for (const tool of ['ip', 'nft', 'tc']) {
    const r = await runCommand('sh', ['-c', `command -v ${tool}`], { timeoutMs: 5000 }).catch(() => undefined);
    if (r?.code !== 0) return `fault tests need \`${tool}\` (apt: iproute2, nftables)`;
  }
  const probe = `skf-probe-${process.pid}`;
  const add = await runCommand('ip', ['netns', 'add', probe], { timeoutMs: 5000 }).catch(() => undefined);
  await runCommand('ip', ['netns', 'del', probe], { timeoutMs: 5000 }).catch(() => undefined);
  if (add?.code !== 0) return `\`ip netns add\` does not work here: ${add?.stderr.trim() ?? 'failed to run'}`;
  return undefined;
}

/** Runs a command and throws with its output when it fails (every call has a deadline). */
export async function sh(file: string, args: readonly string[], timeoutMs = 10_000): Promise<string> {
  const r = await runCommand(file, args, { timeoutMs });
  if (r.code !== 0) throw new Error(`${file} ${args.join(' ')} failed (${r.code}): ${r.stderr.trim() || r.stdout.trim()}`);
  return r.stdout;
}

export class NetnsLab {
  private readonly helpers = new Set<ChildProcess>();
  private closed = false;

  private constructor(
    readonly clientNs: string,
    readonly serverNs: string,
  ) {}

  /** Creates both namespaces, the veth pair and its addresses; tag keeps parallel runs apart. */
  static async create(tag: string): Promise<NetnsLab> {
    const id = `${tag}-${process.pid}`;
    const lab = new NetnsLab(`skf-c-${id}`, `skf-s-${id}`);
    try {
      await sh('ip', ['netns', 'add', lab.clientNs]);
      await sh('ip', ['netns', 'add', lab.serverNs]);
      await sh('ip', ['link', 'add', CLIENT_LINK, 'netns', lab.clientNs, 'type', 'veth', 'peer', 'name', SERVER_LINK, 'netns', lab.serverNs]);
      await lab.inClient('ip', 'addr', 'add', `${CLIENT_IP}/24`, 'dev', CLIENT_LINK);
      await lab.inServer('ip', 'addr', 'add', `${SERVER_IP}/24`, 'dev', SERVER_LINK);
      await lab.inServer('ip', 'addr', 'add', `${SERVER_IP2}/24`, 'dev', SERVER_LINK);
      for (const [ns, link] of [
        [lab.clientNs, CLIENT_LINK],
        [lab.serverNs, SERVER_LINK],
      ] as const) {
        await lab.inNs(ns, 'ip', 'link', 'set', 'lo', 'up');
        await lab.inNs(ns, 'ip', 'link', 'set', link, 'up');
      }
      // An empty input chain: blackhole() adds drop rules to it, clearBlackholes() flushes them.
      await lab.inServer('nft', 'add', 'table', 'inet', NFT_TABLE);
      await lab.inServer('nft', 'add', 'chain', 'inet', NFT_TABLE, 'input', '{ type filter hook input priority 0; policy accept; }');
    } catch (e) {
      await lab.close();
      throw e;
    }
    return lab;
  }

  inNs(ns: string, file: string, ...args: string[]): Promise<string> {
    return sh('ip', ['netns', 'exec', ns, file, ...args]);
  }

  inClient(file: string, ...args: string[]): Promise<string> {
    return this.inNs(this.clientNs, file, ...args);
  }

  inServer(file: string, ...args: string[]): Promise<string> {
    return this.inNs(this.serverNs, file, ...args);
  }

  /** The server's cable: down, the client's end loses carrier and new connects fail (EHOSTUNREACH). */
  async serverLink(up: boolean): Promise<void> {
    await this.inServer('ip', 'link', 'set', SERVER_LINK, up ? 'up' : 'down');
  }

  /** A silent blackhole: every packet into the server (or only those for `address`) is dropped. */
  async blackhole(address?: string): Promise<void> {
    const rule = address === undefined ? ['iifname', SERVER_LINK, 'drop'] : ['iifname', SERVER_LINK, 'ip', 'daddr', address, 'drop'];
    await this.inServer('nft', 'add', 'rule', 'inet', NFT_TABLE, 'input', ...rule);
  }

  async clearBlackholes(): Promise<void> {
    await this.inServer('nft', 'flush', 'chain', 'inet', NFT_TABLE, 'input');
  }

  /** Limits what the server sends (tbf on its end of the veth), so a copy takes a few seconds. */
  async limitServerRate(mbit: number | undefined): Promise<void> {
    await runCommand('ip', ['netns', 'exec', this.serverNs, 'tc', 'qdisc', 'del', 'dev', SERVER_LINK, 'root'], { timeoutMs: 5000 });
    if (mbit === undefined) return;
    await this.inServer('tc', 'qdisc', 'add', 'dev', SERVER_LINK, 'root', 'tbf', 'rate', `${mbit}mbit`, 'burst', '256kb', 'latency', '100ms');
  }

  /**
   * A VPN connecting: a tun device named `name` in the client namespace, held open by a small
   * python3 process (a tun has carrier, and so shows in os.networkInterfaces(), only while a
   * process holds it), with an address and up. Resolves once it is up, with the time just before
   * it was set up (from then on the watcher can see it) and a function that takes it down again
   * (the holder is stopped by PID). Without python3, a veth pair with the same
   * name stands in (only the name and the address matter to the network watcher).
   */
  async vpnUp(name: string, cidr: string): Promise<{ upAt: number; down: () => Promise<void> }> {
    const python = existsSync('/usr/bin/python3') ? '/usr/bin/python3' : await pythonPath();
    let stopHolder: () => Promise<void> = async () => undefined;
    if (python !== undefined) {
      const holder = spawn('ip', ['netns', 'exec', this.clientNs, python, '-c', TUN_HOLDER, name], { stdio: ['pipe', 'pipe', 'pipe'] });
      this.helpers.add(holder);
      stopHolder = () => this.stopHelper(holder);
      await holderReady(holder, name);
    } else {
      await this.inClient('ip', 'link', 'add', name, 'type', 'veth', 'peer', 'name', `${name}p`);
      await this.inClient('ip', 'link', 'set', `${name}p`, 'up');
    }
    await this.inClient('ip', 'addr', 'add', cidr, 'dev', name);
    const upAt = Date.now();
    await this.inClient('ip', 'link', 'set', name, 'up');
    const down = async (): Promise<void> => {
      await stopHolder();
      await runCommand('ip', ['netns', 'exec', this.clientNs, 'ip', 'link', 'del', name], { timeoutMs: 5000 });
    };
    return { upAt, down };
  }

  /** Stops helpers by PID and deletes both namespaces. Safe to call twice and after a failure. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const h of [...this.helpers]) await this.stopHelper(h);
    for (const ns of [this.clientNs, this.serverNs]) {
      await runCommand('ip', ['netns', 'del', ns], { timeoutMs: 10_000 }).catch(() => undefined);
    }
  }

  private async stopHelper(child: ChildProcess): Promise<void> {
    this.helpers.delete(child);
    await stopChild(child, 2000);
  }
}

/** SIGTERM by PID, SIGKILL after graceMs; resolves once the child has exited (bounded). */
export async function stopChild(child: ChildProcess, graceMs: number): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  const pid = child.pid;
  const signal = (s: NodeJS.Signals): void => {
    try {
      process.kill(pid, s);
    } catch {
      // already gone
    }
  };
  signal('SIGTERM');
  const timer = setTimeout(() => signal('SIGKILL'), graceMs);
  const bound = new Promise<void>((r) => setTimeout(r, graceMs + 3000).unref());
  await Promise.race([exited, bound]);
  clearTimeout(timer);
}

async function pythonPath(): Promise<string | undefined> {
  const r = await runCommand('sh', ['-c', 'command -v python3'], { timeoutMs: 5000 }).catch(() => undefined);
  const path = r?.code === 0 ? r.stdout.trim() : '';
  return path.length > 0 ? path : undefined;
}

/** Opens /dev/net/tun as argv[1] (TUNSETIFF, IFF_TUN | IFF_NO_PI), says "up", sleeps until stdin ends. */
const TUN_HOLDER = [
  'import fcntl, os, struct, sys',
  'fd = os.open("/dev/net/tun", os.O_RDWR)',
  'fcntl.ioctl(fd, 0x400454ca, struct.pack("16sH", sys.argv[1].encode(), 0x0001 | 0x1000))',
  'print("up", flush=True)',
  'sys.stdin.read()',
].join('\n');

function holderReady(holder: ChildProcess, name: string): Promise<void> {
  return new Promise((resolve, reject) => {
    let err = '';
    const timer = setTimeout(() => reject(new Error(`tun holder for ${name} did not start: ${err}`)), 5000);
    holder.stderr?.on('data', (b: Buffer) => (err += b.toString()));
    holder.stdout?.on('data', (b: Buffer) => {
      if (!b.toString().includes('up')) return;
      clearTimeout(timer);
      resolve();
    });
    holder.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`tun holder for ${name} exited (${code}): ${err}`));
    });
  });
}
