// An SMB1 (NT LM 0.12) connection behind SmbClient: made by the multi-protocol NEGOTIATE in
// ../connect-any.ts when the server answers in SMB1; log in to get a session.
import type { SmbClient, SmbSession } from '../../client/api.js';
import type { ConnectOptions, Credentials } from '../../client/types.js';
import { SmbError } from '../../errors.js';
import { DIALECT_NT1, Smb1Command } from '../constants.js';
import type { Smb1Connection } from '../connection.js';
import { decodeEchoResponse, encodeEchoRequest } from '../commands/simple.js';
import type { Smb1Negotiated } from '../negotiate-exchange.js';
import { setupSmb1Session } from '../session-setup-exchange.js';
import { Smb1Session } from './smb1-session.js';
import { loginWithFallback } from '../../client/guest-fallback.js';

const ECHO_DATA = Buffer.from('sharekeeper-echo');

export class Smb1Client implements SmbClient {
  constructor(
    private readonly conn: Smb1Connection,
    private readonly neg: Smb1Negotiated,
    private readonly opts: ConnectOptions,
  ) {}

  /** Not an MS-SMB2 dialect revision: SMB1 is DIALECT_NT1 (dialectName gives "NT1"). */
  get dialect(): number {
    return DIALECT_NT1;
  }

  get host(): string {
    return this.opts.host;
  }

  get signingAlgorithm(): string {
    return 'MD5';
  }

  /** SMB1 has no encryption. */
  get cipher(): string | undefined {
    return undefined;
  }

  get closed(): boolean {
    return this.conn.closed;
  }

  /** What NEGOTIATE settled (capabilities, limits, security mode). */
  get negotiated(): Smb1Negotiated {
    return this.neg;
  }

  onClose(listener: (e: SmbError) => void): void {
    this.conn.onClose(listener);
  }

  login(creds: Credentials): Promise<SmbSession> {
    return loginWithFallback(creds, (c) => this.loginAs(c));
  }

  private async loginAs(creds: Credentials): Promise<SmbSession> {
    if (this.opts.encrypt) throw new SmbError('security', 'encryption is required, and SMB1 cannot encrypt', { operation: 'session setup' });
    const s = await setupSmb1Session(this.conn, this.neg, creds, {
      requireSigning: this.opts.requireSigning ?? false,
      allowLegacyAuth: this.opts.allowLegacyAuth ?? false,
      host: this.opts.host,
      ...(this.opts.log ? { log: this.opts.log } : {}),
    });
    return new Smb1Session(this.conn, s, this.neg, this.opts.host, this.opts.log);
  }

  /** SMB_COM_ECHO (MS-CIFS 2.2.4.39): proves the server still answers. */
  async echo(timeoutMs?: number): Promise<void> {
    // TID 0xFFFF: an ECHO needs no tree (MS-CIFS 3.2.4.9).
    const res = await this.conn.call({ command: Smb1Command.ECHO, body: [encodeEchoRequest(ECHO_DATA)], tid: 0xffff, operation: 'echo', ...(timeoutMs === undefined ? {} : { timeoutMs }) });
    decodeEchoResponse(res.msg, ECHO_DATA);
  }

  async close(): Promise<void> {
    if (!this.conn.closed) this.conn.fail(new SmbError('cancelled', 'connection closed by the client', { operation: 'close' }));
  }
}
