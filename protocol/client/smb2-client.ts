// An SMB 2/3 connection behind SmbClient: connect (transport + NEGOTIATE), then log in to get a session.
import { SmbError } from '../errors.js';
import { connectTcp } from '../transport/tcp-transport.js';
import { Smb2Connection } from '../smb2/connection.js';
import { Dialect } from '../smb2/constants.js';
import { negotiate, type NegotiatedConnection } from '../smb2/negotiate-exchange.js';
import { setupSession } from '../smb2/session-setup-exchange.js';
import { encodeEchoRequest } from '../smb2/commands/echo.js';
import { Smb2Command } from '../smb2/constants.js';
import type { LoginOptions, SmbClient, SmbSession } from './api.js';
import { Smb2Session } from './smb2-session.js';
import type { ConnectOptions, Credentials } from './types.js';
import { loginWithFallback } from './guest-fallback.js';

const DEFAULT_PORT = 445;
const DEFAULT_TIMEOUT_MS = 30_000;
/** SMB 2.0.2 has no multi-credit requests, so no I/O larger than 64 KiB (MS-SMB2 3.2.4.1.5). */
const SINGLE_CREDIT_LIMIT = 65536;

export class Smb2Client implements SmbClient {
  private constructor(
    private readonly conn: Smb2Connection,
    private readonly neg: NegotiatedConnection,
    private readonly opts: ConnectOptions,
    private readonly activity: { at: number },
  ) {}

  /** `internal.firstMessageId`: set by the multi-protocol NEGOTIATE (protocol/smb1/connect-any.ts). */
  static async connect(opts: ConnectOptions, internal: { firstMessageId?: bigint } = {}): Promise<Smb2Client> {
    const timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    const port = opts.port ?? DEFAULT_PORT;
    // The transport delivers frames to the connection, which is built once the socket exists.
    const holder: { conn?: Smb2Connection } = {};
    const activity = { at: Date.now() };
    const transport = await (opts.transport ?? connectTcp)(
      { host: opts.address ?? opts.host, port, timeoutMs },
      {
        onFrame: (frame) => {
          activity.at = Date.now();
          holder.conn?.receive(frame);
        },
        onClose: (error) => holder.conn?.fail(error ?? new SmbError('transport', 'connection closed')),
      },
    );
    const conn = new Smb2Connection(transport, { timeoutMs, log: opts.log, ...internal });
    holder.conn = conn;
    try {
      const neg = await negotiate(conn, {
        minDialect: opts.minDialect ?? Dialect.SMB2_02,
        maxDialect: opts.maxDialect ?? Dialect.SMB3_11,
        requireSigning: opts.requireSigning ?? false,
        ...(opts.ciphers ? { ciphers: opts.ciphers } : {}),
        ...(opts.clientGuid ? { clientGuid: opts.clientGuid } : {}),
      });
      opts.log?.(2, `connected to ${opts.host}:${port}, dialect 0x${neg.dialect.toString(16)}, signing ${neg.signingAlgorithm}`);
      return new Smb2Client(conn, neg, opts, activity);
    } catch (e) {
      conn.fail(e instanceof SmbError ? e : new SmbError('transport', String(e)));
      throw e;
    }
  }

  get dialect(): number {
    return this.neg.dialect;
  }

  get host(): string {
    return this.opts.host;
  }

  get signingAlgorithm(): string {
    return this.neg.signingAlgorithm;
  }

  /** The negotiated cipher (3.x), or undefined when the server and we share none. */
  get cipher(): string | undefined {
    return this.neg.cipher;
  }

  get closed(): boolean {
    return this.conn.closed;
  }

  /** When the last frame arrived (any answer, interim or break): the server is there. */
  get lastReceivedAt(): number {
    return this.activity.at;
  }

  /** Called once if the connection ends (server gone, timeout, malformed packet, close()). */
  onClose(listener: (e: SmbError) => void): void {
    this.conn.onClose(listener);
  }

  login(creds: Credentials, opts: LoginOptions = {}): Promise<SmbSession> {
    return loginWithFallback(creds, (c) => this.loginAs(c, opts));
  }

  private async loginAs(creds: Credentials, opts: LoginOptions): Promise<SmbSession> {
    const s = await setupSession(this.conn, this.neg, creds, {
      requireSigning: this.opts.requireSigning ?? false,
      requireEncryption: this.opts.encrypt ?? false,
      host: this.opts.host,
      ...(opts.previousSessionId !== undefined ? { previousSessionId: opts.previousSessionId } : {}),
    });
    const cap = (limit: number) => (this.conn.supportsMultiCredit ? limit : Math.min(limit, SINGLE_CREDIT_LIMIT));
    return new Smb2Session(this.conn, s, this.neg, {
      host: this.opts.host,
      maxRead: cap(this.neg.maxReadSize),
      maxWrite: cap(this.neg.maxWriteSize),
      maxTransact: cap(this.neg.maxTransactSize),
    });
  }

  /** SMB2 ECHO (MS-SMB2 3.2.4.23): proves the server still answers. */
  async echo(timeoutMs?: number): Promise<void> {
    await this.conn.call({ command: Smb2Command.ECHO, body: [encodeEchoRequest()], operation: 'echo', timeoutMs });
  }

  async close(): Promise<void> {
    if (!this.conn.closed) this.conn.fail(new SmbError('cancelled', 'connection closed by the client', { operation: 'close' }));
  }
}
