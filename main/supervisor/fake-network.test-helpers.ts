// Fakes for unit tests: servers keyed by host:port that refuse, hang, reject passwords or answer,
// and clients whose ECHO can be made to hang. Timers come from vitest's fake clock.
import { SmbError, SmbStatusError, NtStatus, type ConnectOptions, type Credentials, type LoginOptions, type SmbTree } from '../../protocol/index.js';
import type { ClientLike, SessionLike } from './probe.js';
import type { SupervisedDrive } from './types.js';

export type ServerMode = 'ok' | 'refused' | 'unreachable' | 'hang';

export interface FakeServer {
  mode: ServerMode;
  password: string;
  shares: string[];
  /** ECHO never answers (the path is blackholed). */
  echoHangs: boolean;
  /** ECHO answers after this long (a congested link: its answer queued behind bulk data). */
  echoDelayMs?: number;
}

export class FakeClient implements ClientLike {
  readonly dialect = 0x0311;
  closed = false;
  /** Set by a test to say the client tells when it last received anything (see ClientLike). */
  lastReceivedAt: number | undefined;
  private readonly listeners: ((e: Error) => void)[] = [];

  constructor(
    private readonly net: FakeNet,
    readonly key: string,
  ) {}

  async login(creds: Credentials, opts: LoginOptions = {}): Promise<SessionLike> {
    this.net.logins++;
    this.net.loginLog.push({ key: this.key, previousSessionId: opts.previousSessionId });
    const server = this.net.server(this.key);
    if (creds.kind === 'user' && creds.password !== server.password) {
      throw new SmbStatusError(NtStatus.STATUS_LOGON_FAILURE, { code: 'auth', command: 'SESSION_SETUP', operation: 'session setup' });
    }
    return {
      sessionId: ++this.net.lastSessionId,
      connectTree: async (share: string) => {
        if (!server.shares.includes(share)) throw new SmbStatusError(NtStatus.STATUS_BAD_NETWORK_NAME, { command: 'TREE_CONNECT', operation: 'tree connect' });
        return { share, key: this.key } as unknown as SmbTree;
      },
    };
  }

  echo(timeoutMs = 30_000): Promise<void> {
    this.net.echoes++;
    const server = this.net.server(this.key);
    if (!server.echoHangs && server.echoDelayMs !== undefined) {
      return new Promise((resolve, reject) => {
        setTimeout(() => {
          if (server.echoDelayMs! <= timeoutMs) return resolve();
          const e = new SmbError('timeout', `no response to ECHO in ${timeoutMs} ms`, { operation: 'echo' });
          this.fail(e);
          reject(e);
        }, Math.min(server.echoDelayMs!, timeoutMs));
      });
    }
    if (!server.echoHangs) return Promise.resolve();
    return new Promise((_, reject) => {
      setTimeout(() => {
        const e = new SmbError('timeout', `no response to ECHO in ${timeoutMs} ms`, { operation: 'echo' });
        this.fail(e);
        reject(e);
      }, timeoutMs);
    });
  }

  onClose(listener: (e: Error) => void): void {
    this.listeners.push(listener);
  }

  /** The server (or the path) ends the connection. */
  fail(e: Error): void {
    if (this.closed) return;
    this.closed = true;
    this.net.open.delete(this);
    for (const l of this.listeners) l(e);
  }

  /** A FIN from the server while idle. */
  serverClosesIdle(): void {
    this.fail(new SmbError('transport', `connection to ${this.key} closed by the server`, { operation: 'receive' }));
  }

  async close(): Promise<void> {
    this.fail(new SmbError('cancelled', 'connection closed by the client', { operation: 'close' }));
  }
}

export class FakeNet {
  readonly servers = new Map<string, FakeServer>();
  readonly open = new Set<FakeClient>();
  connects = 0;
  logins = 0;
  /** Every logon: to which server, naming which previous session (MS-SMB2 3.2.4.2.3). */
  loginLog: { key: string; previousSessionId: bigint | undefined }[] = [];
  lastSessionId = 0x1000n;
  echoes = 0;
  inFlight = 0;
  maxInFlight = 0;
  connectLog: string[] = [];

  addServer(key: string, s: Partial<FakeServer> = {}): FakeServer {
    const server: FakeServer = { mode: 'ok', password: 'pw', shares: ['share'], echoHangs: false, ...s };
    this.servers.set(key, server);
    return server;
  }

  server(key: string): FakeServer {
    const s = this.servers.get(key);
    if (!s) throw new Error(`no fake server ${key}`);
    return s;
  }

  connect = async (opts: ConnectOptions): Promise<ClientLike> => {
    const key = `${opts.address ?? opts.host}:${opts.port}`;
    this.connects++;
    this.connectLog.push(key);
    this.inFlight++;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    try {
      const s = this.servers.get(key);
      const mode = s?.mode ?? 'refused';
      if (mode === 'refused') throw new SmbError('transport', `cannot reach ${key}: ECONNREFUSED`, { operation: 'connect' });
      if (mode === 'unreachable') throw new SmbError('transport', `cannot reach ${key}: EHOSTUNREACH`, { operation: 'connect' });
      if (mode === 'hang') {
        await new Promise((r) => setTimeout(r, opts.timeoutMs ?? 10_000));
        throw new SmbError('timeout', `cannot reach ${key}: no answer in ${opts.timeoutMs} ms`, { operation: 'connect' });
      }
      await new Promise((r) => setTimeout(r, 10));
      const c = new FakeClient(this, key);
      this.open.add(c);
      return c;
    } finally {
      this.inFlight--;
    }
  };

  probes = 0;

  /** A bare TCP connect: accepted unless the server is refused, unreachable or missing. */
  tcpProbe = async (address: string, port: number): Promise<void> => {
    this.probes++;
    const mode = this.servers.get(`${address}:${port}`)?.mode ?? 'refused';
    if (mode !== 'ok' && mode !== 'hang') throw new SmbError('transport', `cannot reach ${address}:${port}: ECONNREFUSED`, { operation: 'connect' });
  };

  /** IP literals resolve to themselves; 'nas.lan' to 10.0.0.1; anything else fails like DNS. */
  resolve = async (host: string): Promise<{ address: string; family: 4 | 6 }[]> => {
    if (/^[\d.]+$/.test(host)) return [{ address: host, family: 4 }];
    if (host === 'nas.lan') return [{ address: '10.0.0.1', family: 4 }];
    throw Object.assign(new Error(`${host} does not resolve (ENOTFOUND)`), { code: 'ENOTFOUND' });
  };
}

export function drive(id: string, target: string, extra: Partial<SupervisedDrive> = {}): SupervisedDrive {
  return { id, name: id, target, alternates: [], user: 'u', options: {}, persistent: false, ...extra };
}
