// One SMB2 connection: MessageId allocation, credits, the table of requests in flight keyed by
// MessageId, interim (STATUS_PENDING) responses, compound splitting, signature checks, deadlines.
// It knows nothing about sessions beyond "which key verifies session S" (SessionSecurity).
//
// Deadlines: a request gets `timeoutMs` for each answer; interim STATUS_PENDING answers extend that
// only up to PENDING_LIMIT_FACTOR times it in all. A request past its deadline is cancelled (SMB2
// CANCEL, MS-SMB2 3.2.4.24) and fails alone; an ECHO then decides whether the connection lives.
// A long poll (Smb2Request.untilAborted: CHANGE_NOTIFY) has no deadline once it went async, until its
// caller aborts it: then it is cancelled and its final answer awaited with a deadline again.
import { MalformedMessageError, SmbError, SmbStatusError } from '../errors.js';
import { keepFromPool } from '../transport/buffer-pool.js';
import type { Transport } from '../transport/tcp-transport.js';
import { SMB2_FLAGS_ASYNC_COMMAND, SMB2_FLAGS_SERVER_TO_REDIR, Smb2Command, commandName } from './constants.js';
import { CreditWindow, creditChargeFor } from './credits.js';
import { decodeHeader, type Smb2Header } from './header.js';
import { NtStatus, isAuthStatus, ntStatusName } from './nt-status.js';
import { encodeEchoRequest } from './commands/echo.js';
import { OplockBreaks } from './oplock-breaks.js';
import { OrderedReceive } from './ordered-receive.js';
import { isSealed, openSealed, openSealedElsewhere } from './sealed-frames.js';
import { checkIds, checkSealing, checkSignature, splitChain } from './response-checks.js';
import { encodeCancel, encodeRequest } from './request-encoding.js';
import type { InFlight, Outgoing, SessionSecurity, Smb2Request, Smb2Response } from './connection-types.js';

export type { SessionEncryption, SessionSecurity, Smb2Request, Smb2Response } from './connection-types.js';

export interface ConnectionOptions {
  timeoutMs: number;
  log?: (level: number, message: string) => void;
  /**
   * MS-SMB2 3.2.4.2.1 / 3.2.5.2: after a multi-protocol (SMB1) NEGOTIATE answered with revision
   * 0x02FF, that NEGOTIATE was message 0 and the SMB2 NEGOTIATE is message 1.
   */
  firstMessageId?: bigint;
}

const UNSOLICITED_MESSAGE_ID = 0xffffffffffffffffn; // oplock/lease breaks (MS-SMB2 3.2.5.19)
const CREDIT_TARGET = 512;
/** Interim responses extend a request's wait up to this many times its timeout, no further. */
export const PENDING_LIMIT_FACTOR = 4;
/**
 * Cancelled requests whose late answers we still expect (and swallow). More than this means the
 * server answers nothing any more, which the ECHO would have shown: give the connection up.
 */
const MAX_ABANDONED = 1024;
/** Commands whose lost answer leaves nothing to go on with: the connection ends with them. */
const FATAL_ON_TIMEOUT: ReadonlySet<number> = new Set([Smb2Command.NEGOTIATE, Smb2Command.SESSION_SETUP, Smb2Command.ECHO]);

export class Smb2Connection {
  private nextMessageId: bigint;
  private readonly credits = new CreditWindow(1);
  private readonly inFlight = new Map<bigint, InFlight>();
  private readonly sessions = new Map<bigint, SessionSecurity>();
  /** MessageId → whether its final answer is still to come, for requests we gave up on. */
  private readonly abandoned = new Map<bigint, { charge: number }>();
  private probing = false;
  private readonly breaks = new OplockBreaks();
  /** Frames in arrival order while some are decrypted on the worker. */
  private readonly ordered = new OrderedReceive(
    (frame, plain, sealedBy) => {
      if (this.closeError) return;
      if (plain) this.dispatchPlain(plain, sealedBy);
      else this.dispatchChain(frame);
    },
    (e) => this.failWith(e),
  );
  private closeError: SmbError | undefined;
  /** False for SMB 2.0.2 (MS-SMB2 3.2.5.2: Connection.SupportsMultiCredit). */
  supportsMultiCredit = false;
  private readonly closeListeners: ((e: SmbError) => void)[] = [];

  constructor(
    private readonly transport: Transport,
    private readonly opts: ConnectionOptions,
  ) {
    this.nextMessageId = opts.firstMessageId ?? 0n;
  }

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
    const [answer] = await this.transmitChain([req], false);
    return answer!;
  }

  /**
   * Sends related requests as one compound chain (MS-SMB2 3.2.4.1.4), e.g. CREATE + READ + CLOSE:
   * one round trip. Each later request works on the FileId the one before opened (pass the
   * all-ones FileId, RELATED_FILE_ID). Resolves with every response, whatever their status.
   */
  async sendCompound(reqs: readonly Smb2Request[]): Promise<Smb2Response[]> {
    const answers = await this.transmitChain(reqs, true);
    // Later answers must not count as unhandled while an earlier one is awaited.
    for (const a of answers) a.catch(() => undefined);
    return Promise.all(answers);
  }

  private async transmitChain(reqs: readonly Smb2Request[], related: boolean): Promise<Promise<Smb2Response>[]> {
    if (this.closeError) throw this.closeError;
    const charges = reqs.map((r) => (this.supportsMultiCredit ? creditChargeFor(r.payloadSize ?? 0) : 1));
    const total = charges.reduce((a, b) => a + b, 0);
    try {
      await this.credits.acquire(total);
    } catch (e) {
      // No credits and nothing in flight that could grant some: the server has stranded us.
      const error = e instanceof SmbError ? e : new SmbError('transport', String(e));
      this.fail(error);
      throw error;
    }
    if (this.closeError) throw this.closeError;
    const outgoing = reqs.map((req, i) => this.prepare(req, charges[i]!, related && i > 0, i < reqs.length - 1));
    const encryption = outgoing.find((o) => o.encrypt)?.security?.encryption;
    if (outgoing.some((o) => o.error)) {
      this.credits.settle(total, total);
      throw outgoing.find((o) => o.error)!.error;
    }
    const answers = outgoing.map((o) => new Promise<Smb2Response>((resolve, reject) => this.track(o, resolve, reject)));
    const plain = outgoing.flatMap((o) => o.parts);
    // A sealed chain travels in one transform (MS-SMB2 3.1.4.3); its members are not signed.
    this.transmit(encryption ? encryption.encrypt(plain) : plain);
    return answers;
  }

  /** One request of a chain: its header (MessageId, credits, flags, NextCommand), signature and padding. */
  private prepare(req: Smb2Request, charge: number, relatedToPrevious: boolean, followed: boolean): Outgoing {
    const messageId = this.nextMessageId;
    this.nextMessageId += BigInt(charge);
    const security = req.security ?? (req.sessionId ? this.sessions.get(req.sessionId) : undefined);
    const encrypt = req.encrypt === true || security?.encryption?.encryptAll === true;
    if (encrypt && !security?.encryption) {
      const error = new SmbError('security', 'encryption is required but this session has no encryption keys', { operation: req.operation, path: req.path });
      return { req, messageId, charge, security, sign: false, encrypt, parts: [], error };
    }
    // MS-SMB2 3.2.4.1.8: an encrypted message is not also signed; the AEAD tag protects it.
    const sign = !encrypt && security !== undefined && req.command !== Smb2Command.NEGOTIATE && (security.signRequests || security.mustSign(req.command));
    const parts = encodeRequest(req, {
      messageId,
      charge,
      creditCharge: this.supportsMultiCredit ? charge : 0,
      creditRequest: this.credits.requestFor(charge, CREDIT_TARGET),
      sign,
      relatedToPrevious,
      followed,
    });
    // The signature covers the padding up to the next header (3.1.4.1).
    if (sign) security!.sign(parts);
    req.onSent?.(parts);
    this.log(4, () => `-> ${commandName(req.command)} mid=${messageId} charge=${charge}${req.path ? ` ${req.path}` : ''}`);
    return { req, messageId, charge, security, sign, encrypt, parts };
  }

  private track(o: Outgoing, resolve: (r: Smb2Response) => void, reject: (e: SmbError) => void): void {
    const ms = this.timeoutFor(o.req);
    const signal = o.req.untilAborted;
    const onAbort = (): void => this.giveUpLongPoll(entry);
    const detach = (): void => signal?.removeEventListener('abort', onAbort);
    const entry: InFlight = {
      request: o.req,
      messageId: o.messageId,
      charge: o.charge,
      resolve: (r) => (detach(), resolve(r)),
      reject: (e) => (detach(), reject(e)),
      timer: undefined,
      asyncId: undefined,
      security: o.security,
      signed: o.sign,
      encrypted: o.encrypt,
      lastDeadline: ms === null ? undefined : Date.now() + ms * PENDING_LIMIT_FACTOR,
    };
    this.inFlight.set(o.messageId, entry);
    this.arm(entry);
    if (signal?.aborted) onAbort();
    else signal?.addEventListener('abort', onAbort, { once: true });
  }

  /**
   * The caller of a long poll gave up: CANCEL it (by AsyncId once it went async, else by MessageId,
   * which the server matches as well, MS-SMB2 3.3.5.16) and wait for its final answer with a deadline
   * again, so the caller never hangs on a server that ignores the CANCEL.
   */
  private giveUpLongPoll(entry: InFlight): void {
    if (entry.cancelRequested || this.inFlight.get(entry.messageId) !== entry || this.closeError) return;
    entry.cancelRequested = true;
    const ms = this.timeoutFor(entry.request);
    if (ms !== null) entry.lastDeadline = Date.now() + ms;
    this.cancel(entry);
    this.arm(entry);
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
      const sealed = openSealedElsewhere(frame, this.sessions);
      if (sealed || this.ordered.busy) return this.ordered.push(frame, sealed?.opened, sealed?.sessionId);
      this.dispatchChain(frame);
    } catch (e) {
      this.failWith(e);
    }
  }

  private failWith(e: unknown): void {
    this.fail(e instanceof SmbError ? e : new MalformedMessageError('SMB2 message', 'frame', String(e)));
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

  private timeoutFor(req: Smb2Request): number | null {
    return req.timeoutMs === undefined ? this.opts.timeoutMs : req.timeoutMs;
  }

  private transmit(parts: readonly Buffer[]): void {
    try {
      this.transport.send(parts);
    } catch (e) {
      this.fail(e instanceof SmbError ? e : new SmbError('transport', String(e)));
    }
  }

  /** (Re)starts the wait for an answer: `timeoutMs`, but never past the request's last deadline. */
  private arm(entry: InFlight): void {
    if (entry.timer) clearTimeout(entry.timer);
    const ms = this.timeoutFor(entry.request);
    if (ms === null || entry.lastDeadline === undefined) return;
    const wait = Math.max(0, Math.min(ms, entry.lastDeadline - Date.now()));
    entry.timer = setTimeout(() => this.timedOut(entry, ms), wait);
    entry.timer.unref?.();
  }

  private timedOut(entry: InFlight, ms: number): void {
    const cmd = commandName(entry.request.command);
    const pending = entry.asyncId !== undefined ? ' (the server kept answering STATUS_PENDING)' : '';
    const error = new SmbError('timeout', `no response to ${cmd} in ${ms} ms${pending}`, {
      command: cmd,
      operation: entry.request.operation,
      path: entry.request.path,
    });
    if (FATAL_ON_TIMEOUT.has(entry.request.command) || this.abandoned.size >= MAX_ABANDONED) {
      this.fail(error);
      return;
    }
    this.inFlight.delete(entry.messageId);
    this.abandoned.set(entry.messageId, { charge: entry.charge });
    // Its credits come back only if the late answer ever arrives (see dispatch).
    this.credits.settle(entry.charge, 0);
    this.cancel(entry);
    entry.reject(error);
    this.probe(error);
  }

  /** MS-SMB2 3.2.4.24: CANCEL carries the request's MessageId (or AsyncId), costs no credit, gets no answer. */
  private cancel(entry: InFlight): void {
    let parts = encodeCancel(entry.request, entry.messageId, entry.asyncId, entry.signed);
    if (entry.signed) entry.security!.sign(parts);
    if (entry.encrypted) parts = entry.security!.encryption!.encrypt(parts);
    this.log(4, () => `-> CANCEL mid=${entry.messageId}`);
    this.transmit(parts);
  }

  /** After a timeout: the connection lives on only if the server still answers an ECHO (3.2.4.23). */
  private probe(cause: SmbError): void {
    if (this.probing || this.closeError) return;
    // Without a credit nothing can be sent, the ECHO included: the server has to answer first.
    if (this.credits.available < 1 && this.credits.inFlight === 0) return this.fail(cause);
    this.probing = true;
    this.send({ command: Smb2Command.ECHO, body: [encodeEchoRequest()], operation: 'echo' }).then(
      () => (this.probing = false),
      () => (this.probing = false), // an ECHO that times out has already failed the connection
    );
  }

  private dispatchChain(frame: Buffer): void {
    if (!isSealed(frame)) return this.dispatchPlain(frame, undefined);
    const { plain, sessionId } = openSealed(frame, this.sessions);
    // The ciphertext is spent; its buffer can take the next frame, unless it now holds the
    // plaintext (a large frame opened in place, transform.ts), lent on to whoever writes it out.
    if (plain.buffer !== frame.buffer) this.transport.recycle(frame);
    this.dispatchPlain(plain, sessionId);
  }

  /** `sealedBy`: the session whose key decrypted the frame, or undefined for a plaintext frame. */
  private dispatchPlain(frame: Buffer, sealedBy: bigint | undefined): void {
    const messages = splitChain(frame);
    // A chain's answers are views of one pooled frame: the first READ payload written out must not
    // recycle the frame while a later one is still to be written (see transport/buffer-pool.ts).
    if (messages.length > 1) keepFromPool(frame);
    for (const msg of messages) this.dispatch(msg, sealedBy);
  }

  private dispatch(msg: Buffer, sealedBy: bigint | undefined): void {
    const header = decodeHeader(msg);
    if (!(header.flags & SMB2_FLAGS_SERVER_TO_REDIR)) {
      throw new MalformedMessageError('SMB2 header', 'Flags', 'a request arrived where a response was expected');
    }
    if (header.messageId === UNSOLICITED_MESSAGE_ID) return this.unsolicited(header, msg);
    const entry = this.inFlight.get(header.messageId);
    if (!entry) return this.late(header);
    if (header.command !== entry.request.command) {
      throw new MalformedMessageError('SMB2 header', 'Command', `expected ${commandName(entry.request.command)}, got ${commandName(header.command)}`);
    }
    checkIds(header, entry.request);
    checkSealing(header, entry.request, entry.encrypted, sealedBy);
    const interim = header.status === NtStatus.STATUS_PENDING && (header.flags & SMB2_FLAGS_ASYNC_COMMAND) !== 0;
    if (interim) {
      // MS-SMB2 3.2.5.1.5: the real response follows later with the same MessageId; interim
      // responses are never signed (3.2.5.1.3) but do grant credits.
      const cancelByMessageId = entry.cancelRequested === true && entry.asyncId === undefined;
      entry.asyncId = header.asyncId;
      this.credits.grant(header.credits);
      if (entry.request.untilAborted && !entry.cancelRequested) {
        // A long poll that went async may wait for ever (see Smb2Request.untilAborted).
        entry.lastDeadline = undefined;
        if (entry.timer) clearTimeout(entry.timer);
        entry.timer = undefined;
      } else this.arm(entry);
      // Cancelled before the server said it went async: say it again with the AsyncId, in case the
      // CANCEL by MessageId found nothing to cancel yet.
      if (cancelByMessageId) this.cancel(entry);
      this.log(5, () => `<- ${commandName(header.command)} mid=${header.messageId} STATUS_PENDING async=${header.asyncId}`);
      return;
    }
    if (sealedBy === undefined) checkSignature(header, msg, entry.request, entry.security);
    this.inFlight.delete(header.messageId);
    if (entry.timer) clearTimeout(entry.timer);
    this.credits.settle(entry.charge, header.credits);
    this.log(4, () => `<- ${commandName(header.command)} mid=${header.messageId} ${ntStatusName(header.status)} credits+${header.credits}`);
    entry.resolve({ header, msg });
  }

  /** MessageId 0xFFFFFFFFFFFFFFFF: an oplock or lease break (MS-SMB2 3.2.5.19), see OplockBreaks. */
  private unsolicited(header: Smb2Header, msg: Buffer): void {
    if (header.command !== Smb2Command.OPLOCK_BREAK) {
      throw new MalformedMessageError('SMB2 header', 'MessageId', `unsolicited ${commandName(header.command)}`);
    }
    this.credits.grant(header.credits);
    const delivered = this.breaks.deliver(msg);
    this.log(4, () => `<- unsolicited break${delivered ? '' : ' ignored (we hold no such oplock or lease)'}`);
  }

  /** Routes oplock breaks of `fileId` to `onBreak` until the returned function is called. */
  watchOplock(fileId: Buffer, onBreak: (newLevel: number) => void): () => void {
    return this.breaks.watch(fileId, onBreak);
  }

  /** An answer to nothing in flight: the late answer to a cancelled request, or a forgery. */
  private late(header: Smb2Header): void {
    const gone = this.abandoned.get(header.messageId);
    if (!gone) throw new MalformedMessageError('SMB2 header', 'MessageId', `unexpected response for message ${header.messageId}`);
    const interim = header.status === NtStatus.STATUS_PENDING && (header.flags & SMB2_FLAGS_ASYNC_COMMAND) !== 0;
    if (!interim) this.abandoned.delete(header.messageId);
    this.credits.grant(header.credits);
    this.log(4, () => `<- late ${commandName(header.command)} mid=${header.messageId} ${ntStatusName(header.status)} dropped (cancelled)`);
  }

  private log(level: number, message: () => string): void {
    if (this.opts.log) this.opts.log(level, message());
  }
}
