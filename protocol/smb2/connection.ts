// One SMB2 connection: MessageId allocation, credits, the table of requests in flight keyed by
// MessageId, interim (STATUS_PENDING) responses, compound splitting, signature checks, deadlines.
// It knows nothing about sessions beyond "which key verifies session S" (SessionSecurity).
import { MalformedMessageError, SmbError, SmbStatusError } from '../errors.js';
import type { Transport } from '../transport/tcp-transport.js';
import { SMB2_FLAGS_ASYNC_COMMAND, SMB2_FLAGS_SERVER_TO_REDIR, SMB2_FLAGS_SIGNED, SMB2_HEADER_SIZE, Smb2Command, commandName } from './constants.js';
import { CreditWindow, creditChargeFor } from './credits.js';
import { decodeHeader, writeHeader, type Smb2Header } from './header.js';
import { NtStatus, isAuthStatus, ntStatusName } from './nt-status.js';

export interface Smb2Response {
  header: Smb2Header;
  /** The whole message, header at offset 0 (offsets in bodies count from there). */
  msg: Buffer;
}

/** How a session seals messages (MS-SMB2 3.1.4.3): set when the session has encryption keys. */
export interface SessionEncryption {
  /** Every message of the session is encrypted (session flag, or the caller asked). */
  readonly encryptAll: boolean;
  /** Turns a plaintext message (header first) into transform header + ciphertext. */
  encrypt(parts: readonly Buffer[]): Buffer[];
  /** Decrypts and authenticates one transformed frame; throws SmbError('security') on a bad tag. */
  decrypt(frame: Buffer): Buffer;
}

/** How a session signs requests and checks responses (set once its keys exist). */
export interface SessionSecurity {
  /** Every request is signed and every response must be (the session requires signing). */
  readonly signRequests: boolean;
  /** The session has a key; signed responses are verified even when signing is optional. */
  readonly hasKey: boolean;
  /** Commands signed even when signing is optional (TREE_CONNECT on 3.1.1, MS-SMB2 3.2.4.1.1). */
  mustSign(command: number): boolean;
  sign(parts: readonly Buffer[]): void;
  verify(msg: Buffer): boolean;
  readonly encryption?: SessionEncryption;
}

export interface Smb2Request {
  command: number;
  /** Body after the header; several parts are sent back to back without copying. */
  body: readonly Buffer[];
  sessionId?: bigint;
  treeId?: number;
  /** max(bytes sent, bytes expected back) beyond the fixed structures; sets the credit charge. */
  payloadSize?: number;
  /** Overrides the session's signer (used before the session is registered). */
  security?: SessionSecurity;
  /** Seal this request (a tree that requires encryption); sessions that encrypt everything seal anyway. */
  encrypt?: boolean;
  /** null: no deadline (the server may legitimately take forever). */
  timeoutMs?: number | null;
  operation?: string;
  path?: string;
  /** Sees the exact bytes of the request (preauth integrity hashing, MS-SMB2 3.2.5.2). */
  onSent?: (parts: readonly Buffer[]) => void;
}

interface InFlight {
  request: Smb2Request;
  charge: number;
  resolve: (r: Smb2Response) => void;
  reject: (e: SmbError) => void;
  timer: NodeJS.Timeout | undefined;
  asyncId: bigint | undefined;
  encrypted: boolean;
}

export interface ConnectionOptions {
  timeoutMs: number;
  log?: (level: number, message: string) => void;
}

const TRANSFORM_PROTOCOL_ID = 0x424d53fd; // 0xFD 'S' 'M' 'B' (MS-SMB2 2.2.41)
const TRANSFORM_HEADER_SIZE = 52;
const UNSOLICITED_MESSAGE_ID = 0xffffffffffffffffn; // oplock/lease breaks (MS-SMB2 3.2.5.19)
const CREDIT_TARGET = 512;

export class Smb2Connection {
  private nextMessageId = 0n;
  private readonly credits = new CreditWindow(1);
  private readonly inFlight = new Map<bigint, InFlight>();
  private readonly sessions = new Map<bigint, SessionSecurity>();
  private closeError: SmbError | undefined;
  /** False for SMB 2.0.2 (MS-SMB2 3.2.5.2: Connection.SupportsMultiCredit). */
  supportsMultiCredit = false;
  private readonly closeListeners: ((e: SmbError) => void)[] = [];

  constructor(
    private readonly transport: Transport,
    private readonly opts: ConnectionOptions,
  ) {}

  get closed(): boolean {
    return this.closeError !== undefined;
  }

  get creditsAvailable(): number {
    return this.credits.available;
  }

  onClose(listener: (e: SmbError) => void): void {
    this.closeListeners.push(listener);
  }

  registerSession(sessionId: bigint, security: SessionSecurity): void {
    this.sessions.set(sessionId, security);
  }

  unregisterSession(sessionId: bigint): void {
    this.sessions.delete(sessionId);
  }

  /** Sends a request and resolves with its final response, whatever its status. */
  async send(req: Smb2Request): Promise<Smb2Response> {
    if (this.closeError) throw this.closeError;
    const charge = this.supportsMultiCredit ? creditChargeFor(req.payloadSize ?? 0) : 1;
    await this.credits.acquire(charge);
    if (this.closeError) throw this.closeError;
    const messageId = this.nextMessageId;
    this.nextMessageId += BigInt(charge);
    const header = Buffer.allocUnsafe(SMB2_HEADER_SIZE);
    const security = req.security ?? (req.sessionId ? this.sessions.get(req.sessionId) : undefined);
    const encrypt = req.encrypt === true || security?.encryption?.encryptAll === true;
    if (encrypt && !security?.encryption) {
      this.credits.settle(charge, charge);
      throw new SmbError('security', 'encryption is required but this session has no encryption keys', { operation: req.operation, path: req.path });
    }
    // MS-SMB2 3.2.4.1.8: an encrypted message is not also signed; the AEAD tag protects it.
    const sign = !encrypt && security !== undefined && req.command !== Smb2Command.NEGOTIATE && (security.signRequests || security.mustSign(req.command));
    writeHeader(header, {
      creditCharge: this.supportsMultiCredit ? charge : 0,
      status: 0,
      command: req.command,
      credits: this.credits.requestFor(charge, CREDIT_TARGET),
      flags: sign ? SMB2_FLAGS_SIGNED : 0,
      nextCommand: 0,
      messageId,
      treeId: req.treeId ?? 0,
      sessionId: req.sessionId ?? 0n,
    });
    let parts = [header, ...req.body];
    if (sign) security!.sign(parts);
    req.onSent?.(parts);
    if (encrypt) parts = security!.encryption!.encrypt(parts);
    this.log(4, () => `-> ${commandName(req.command)} mid=${messageId} charge=${charge}${req.path ? ` ${req.path}` : ''}`);
    return new Promise<Smb2Response>((resolve, reject) => {
      const entry: InFlight = { request: req, charge, resolve, reject, timer: undefined, asyncId: undefined, encrypted: encrypt };
      this.inFlight.set(messageId, entry);
      this.arm(entry);
      try {
        this.transport.send(parts);
      } catch (e) {
        this.fail(e instanceof SmbError ? e : new SmbError('transport', String(e)));
      }
    });
  }

  /** Sends and throws an SmbStatusError unless the status is one the caller accepts. */
  async call(req: Smb2Request, accept: readonly number[] = [NtStatus.STATUS_SUCCESS]): Promise<Smb2Response> {
    const res = await this.send(req);
    const status = res.header.status;
    if (!accept.includes(status)) {
      throw new SmbStatusError(status, {
        command: commandName(req.command),
        operation: req.operation ?? commandName(req.command).toLowerCase(),
        path: req.path,
        code: req.command === Smb2Command.SESSION_SETUP && isAuthStatus(status) ? 'auth' : 'status',
      });
    }
    return res;
  }

  /** Feeds one transport frame (an SMB2 message or a compound chain). */
  receive(frame: Buffer): void {
    if (this.closeError) return;
    try {
      this.dispatchChain(frame);
    } catch (e) {
      this.fail(e instanceof SmbError ? e : new MalformedMessageError('SMB2 message', 'frame', String(e)));
    }
  }

  /** Ends the connection: every request in flight fails with `error`. */
  fail(error: SmbError): void {
    if (this.closeError) return;
    this.closeError = error;
    this.log(3, () => `connection closed: ${error.message}`);
    for (const [, entry] of this.inFlight) {
      if (entry.timer) clearTimeout(entry.timer);
      entry.reject(error);
    }
    this.inFlight.clear();
    this.credits.failAll(error);
    this.transport.close(error);
    for (const l of this.closeListeners) l(error);
  }

  private arm(entry: InFlight): void {
    if (entry.timer) clearTimeout(entry.timer);
    const ms = entry.request.timeoutMs === undefined ? this.opts.timeoutMs : entry.request.timeoutMs;
    if (ms === null) return;
    entry.timer = setTimeout(() => {
      // A request that gets no answer means the server or the path is gone; the MessageId
      // window is now out of step, so the whole connection is given up (MS-SMB2 3.2.6.1).
      this.fail(
        new SmbError('timeout', `no response to ${commandName(entry.request.command)} in ${ms} ms`, {
          command: commandName(entry.request.command),
          operation: entry.request.operation,
          path: entry.request.path,
        }),
      );
    }, ms);
    entry.timer.unref?.();
  }

  private dispatchChain(frame: Buffer): void {
    if (frame.length >= 4 && frame.readUInt32LE(0) === TRANSFORM_PROTOCOL_ID) {
      const plain = this.decrypt(frame);
      this.transport.recycle(frame); // the ciphertext is spent; its buffer can take the next frame
      this.dispatchPlain(plain, true);
      return;
    }
    this.dispatchPlain(frame, false);
  }

  /** MS-SMB2 3.2.5.1.1: find the session named in the transform header and decrypt with its key. */
  private decrypt(frame: Buffer): Buffer {
    if (frame.length < TRANSFORM_HEADER_SIZE) throw new MalformedMessageError('SMB2 TRANSFORM_HEADER', 'size', `${frame.length} bytes`);
    const sessionId = frame.readBigUInt64LE(44);
    const encryption = this.sessions.get(sessionId)?.encryption;
    if (!encryption) throw new SmbError('security', `encrypted message for session ${sessionId}, which has no keys`, { operation: 'receive' });
    return encryption.decrypt(frame);
  }

  private dispatchPlain(frame: Buffer, encrypted: boolean): void {
    let offset = 0;
    for (;;) {
      const rest = frame.subarray(offset);
      const next = rest.length >= SMB2_HEADER_SIZE ? rest.readUInt32LE(20) : 0;
      if (next !== 0 && (next % 8 !== 0 || next < SMB2_HEADER_SIZE || next > rest.length)) {
        throw new MalformedMessageError('SMB2 header', 'NextCommand', `bad offset ${next}`);
      }
      this.dispatch(next === 0 ? rest : rest.subarray(0, next), encrypted);
      if (next === 0) return;
      offset += next;
    }
  }

  private dispatch(msg: Buffer, encrypted: boolean): void {
    const header = decodeHeader(msg);
    if (!(header.flags & SMB2_FLAGS_SERVER_TO_REDIR)) {
      throw new MalformedMessageError('SMB2 header', 'Flags', 'a request arrived where a response was expected');
    }
    if (header.messageId === UNSOLICITED_MESSAGE_ID) {
      this.credits.grant(header.credits);
      this.log(4, () => `<- unsolicited ${commandName(header.command)} ignored`);
      return;
    }
    const entry = this.inFlight.get(header.messageId);
    if (!entry) {
      throw new MalformedMessageError('SMB2 header', 'MessageId', `unexpected response for message ${header.messageId}`);
    }
    if (header.command !== entry.request.command) {
      throw new MalformedMessageError('SMB2 header', 'Command', `expected ${commandName(entry.request.command)}, got ${commandName(header.command)}`);
    }
    if (entry.encrypted && !encrypted) {
      // MS-SMB2 3.2.5.1.2: a response to a sealed request must be sealed, or anyone could forge it.
      throw new SmbError('security', `unencrypted ${commandName(header.command)} response to an encrypted request`, {
        command: commandName(header.command),
        operation: entry.request.operation,
      });
    }
    const interim = header.status === NtStatus.STATUS_PENDING && (header.flags & SMB2_FLAGS_ASYNC_COMMAND) !== 0;
    if (interim) {
      // MS-SMB2 3.2.5.1.5: the real response follows later with the same MessageId; interim
      // responses are never signed (3.2.5.1.3) but do grant credits.
      entry.asyncId = header.asyncId;
      this.credits.grant(header.credits);
      this.arm(entry);
      this.log(5, () => `<- ${commandName(header.command)} mid=${header.messageId} STATUS_PENDING async=${header.asyncId}`);
      return;
    }
    if (!encrypted) this.checkSignature(header, msg, entry);
    this.inFlight.delete(header.messageId);
    if (entry.timer) clearTimeout(entry.timer);
    this.credits.settle(entry.charge, header.credits);
    this.log(4, () => `<- ${commandName(header.command)} mid=${header.messageId} ${ntStatusName(header.status)} credits+${header.credits}`);
    entry.resolve({ header, msg });
  }

  /** MS-SMB2 3.2.5.1.3: a session that signs must get signed, valid responses. */
  private checkSignature(header: Smb2Header, msg: Buffer, entry: InFlight): void {
    const security = header.sessionId ? this.sessions.get(header.sessionId) : undefined;
    if (!security?.hasKey) return;
    const signed = (header.flags & SMB2_FLAGS_SIGNED) !== 0;
    const required = security.signRequests || security.mustSign(header.command);
    if (!signed && !required) return;
    if (!signed || !security.verify(msg)) {
      throw new SmbError('security', `${signed ? 'bad' : 'missing'} signature on ${commandName(header.command)} response`, {
        command: commandName(header.command),
        operation: entry.request.operation,
        path: entry.request.path,
      });
    }
  }

  private log(level: number, message: () => string): void {
    if (this.opts.log) this.opts.log(level, message());
  }
}
