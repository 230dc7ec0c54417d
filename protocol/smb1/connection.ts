// One SMB1 connection (MS-CIFS 3.2.4.1 sending, 3.2.5.1 receiving): MID allocation, the table of
// requests in flight keyed by MID, at most MaxMpxCount of them at once, signing with sequence
// numbers, multi-message transaction answers, deadlines. It knows nothing about sessions or
// trees beyond the UID and TID each request names.
//
// Every response is checked against the request it answers: its MID is one we sent, its command,
// PID, UID and TID are the request's (except the UID that SESSION_SETUP and the TID that
// TREE_CONNECT assign), and once signing is on its signature is verified with the request's own
// sequence number + 1 (response-checks.ts). A response that fails any check ends the connection.
//
// Deadlines: a request gets `timeoutMs` for its answer. Past it, the request is cancelled
// (SMB_COM_NT_CANCEL, MS-CIFS 2.2.4.65 / 3.2.4.20) and fails alone; its MID stays reserved until
// its late answer comes (dropped, after the usual checks). An ECHO then decides whether the
// connection lives, as on SMB2: if the ECHO misses its deadline too, the connection ends.
// NEGOTIATE, SESSION_SETUP_ANDX and ECHO leave nothing to go on with: their timeout ends it at once.
//
// A long poll (Smb1Request.untilAborted: NT_TRANSACT_NOTIFY_CHANGE, which the server holds until
// something changes, MS-CIFS 3.2.4.39) has no deadline until its caller aborts; then NT_CANCEL goes
// out and its answer is awaited with the usual deadline, past which it fails as above. SMB1 has no
// interim answer to tell "the server has it" (SMB2's STATUS_PENDING), so the wait is open from the
// start. Each one holds a MaxMpxCount slot for as long as it waits: at most half of them may.
import { MalformedMessageError, SmbError, SmbStatusError } from '../errors.js';
import { isAuthStatus } from '../smb2/nt-status.js';
import type { Transport } from '../transport/transport.js';
import {
  OPLOCK_BREAK_MID,
  SMB1_HEADER_SIZE,
  SMB_FLAGS2_SMB_SECURITY_SIGNATURE,
  SMB_FLAGS_CANONICALIZED_PATHS,
  SMB_FLAGS_CASE_INSENSITIVE,
  SMB_FLAGS_REPLY,
  Smb1Command,
  smb1CommandName,
} from './constants.js';
import { encodeNtCancelRequest } from './commands/nt-cancel.js';
import { encodeEchoRequest } from './commands/simple.js';
import { decodeHeader, writeHeader, type Smb1Header } from './header.js';
import { checkAnswer, isWarning, statusOf } from './response-checks.js';
import { signSmb1, verifySmb1 } from './signing.js';

export { statusOf } from './response-checks.js';

export interface Smb1Response {
  header: Smb1Header;
  /** The NTSTATUS of the answer (a DOS error read through the MS-CIFS 2.2.2.4 table). */
  status: number;
  /** The whole message, header at offset 0 (offsets in blocks count from there). */
  msg: Buffer;
  /** For transactions: every message of the answer, in arrival order (msg is the first). */
  messages: Buffer[];
}

export interface Smb1Request {
  command: number;
  /** The blocks after the header, sent back to back without copying. */
  body: readonly Buffer[];
  uid?: number;
  tid?: number;
  /** The server assigns the UID (SESSION_SETUP_ANDX) or the TID (TREE_CONNECT_ANDX) in the answer. */
  assignsUid?: boolean;
  assignsTid?: boolean;
  /**
   * A transaction answer may come as several messages (MS-CIFS 3.2.5.1.2): called with each, it
   * returns true once the answer is complete. Without it, one message answers the request.
   */
  complete?: (msg: Buffer, header: Smb1Header) => boolean;
  /** Flags2 bits added to this request's (SMB_FLAGS2_SMB_SECURITY_SIGNATURE on SESSION_SETUP to ask for signing). */
  flags2?: number;
  /** null: no deadline. */
  timeoutMs?: number | null;
  /**
   * A long poll: no deadline while this signal has not aborted. On abort NT_CANCEL goes out with
   * the request's MID (MS-CIFS 2.2.4.65, 3.2.4.20) and its answer (STATUS_CANCELLED, or whatever
   * completed it first) must come within `timeoutMs`, or the request fails as timed out. Refused
   * (SmbError 'unsupported') when it would leave fewer than half the MaxMpxCount slots to others.
   */
  untilAborted?: AbortSignal;
  operation?: string;
  path?: string;
}

export interface Smb1ConnectionOptions {
  timeoutMs: number;
  log?: (level: number, message: string) => void;
}

interface InFlight {
  request: Smb1Request;
  mid: number;
  /** The request's signing sequence number, or undefined when it went unsigned. */
  seq: number | undefined;
  messages: Buffer[];
  resolve: (r: Smb1Response) => void;
  reject: (e: SmbError) => void;
  timer: NodeJS.Timeout | undefined;
  /** A long poll whose caller gave up: NT_CANCEL was sent, its answer is awaited with a deadline. */
  cancelRequested?: boolean;
}

interface Waiting {
  run: () => void;
  reject: (e: SmbError) => void;
}

/** Our process id in every header (MS-CIFS 2.2.3.1 PIDLow/PIDHigh): one per connection. */
const CLIENT_PID = 0x0000feff;
/** Messages one transaction answer may take before we call it endless. */
const MAX_ANSWER_MESSAGES = 4096;
/** Cancelled requests whose late answers we still expect. More means the server answers nothing. */
const MAX_ABANDONED = 1024;
/** Commands whose lost answer leaves nothing to go on with: the connection ends with them. */
const FATAL_ON_TIMEOUT: ReadonlySet<number> = new Set([Smb1Command.NEGOTIATE, Smb1Command.SESSION_SETUP_ANDX, Smb1Command.ECHO]);
const PROBE_DATA = Buffer.from('sharekeeper-probe');

export class Smb1Connection {
  private nextMid = 1;
  private readonly inFlight = new Map<number, InFlight>();
  /** MID → the request we gave up on, whose answer may still come. */
  private readonly abandoned = new Map<number, InFlight>();
  private probing = false;
  /** Long polls sent or waiting for a slot, not yet settled. */
  private longPolls = 0;
  private readonly waiting: Waiting[] = [];
  private closeError: SmbError | undefined;
  private readonly closeListeners: ((e: SmbError) => void)[] = [];
  /** Flags2 for every request (set after NEGOTIATE: Unicode, NT status, long names …). */
  flags2 = 0;
  /** Requests the server lets us keep outstanding (NEGOTIATE MaxMpxCount). */
  maxMpx = 1;
  private signing: { macKey: Buffer; next: number } | undefined;

  constructor(
    private readonly transport: Transport,
    private readonly opts: Smb1ConnectionOptions,
  ) {}

  get closed(): boolean {
    return this.closeError !== undefined;
  }

  get isSigning(): boolean {
    return this.signing !== undefined;
  }

  get pid(): number {
    return CLIENT_PID;
  }

  onClose(listener: (e: SmbError) => void): void {
    this.closeListeners.push(listener);
  }

  /**
   * Turns signing on (MS-CIFS 3.2.5.3): the request that established the session was number 0
   * and its answer 1, so the next request is number 2.
   */
  startSigning(macKey: Buffer, next = 2): void {
    this.signing = { macKey, next };
  }

  /** Checks the signature of a message answering request number `seq` (the final SESSION_SETUP). */
  verifyWith(macKey: Buffer, seq: number, msg: Buffer): boolean {
    return verifySmb1(macKey, seq + 1, msg);
  }

  /** Sends a request and resolves with its final answer, whatever its status. */
  send(req: Smb1Request): Promise<Smb1Response> {
    if (this.closeError) return Promise.reject(this.closeError);
    return req.untilAborted ? this.sendLongPoll(req) : this.enqueue(req);
  }

  /** Sent now if a MaxMpxCount slot is free, else when one is. */
  private enqueue(req: Smb1Request): Promise<Smb1Response> {
    return new Promise<Smb1Response>((resolve, reject) => {
      const run = (): void => this.transmit(req, resolve, reject);
      if (this.inFlight.size < Math.max(1, this.maxMpx)) run();
      else this.waiting.push({ run, reject });
    });
  }

  /** Long polls in flight or waiting, bounded so that every other request still finds a slot. */
  private async sendLongPoll(req: Smb1Request): Promise<Smb1Response> {
    const allowed = Math.floor(Math.max(1, this.maxMpx) / 2);
    if (this.longPolls >= allowed) {
      const command = smb1CommandName(req.command);
      throw new SmbError('unsupported', `the server takes ${this.maxMpx} requests at once; ${this.longPolls} waiting ${command} may hold at most half`, {
        command,
        operation: req.operation,
        path: req.path,
      });
    }
    this.longPolls++;
    try {
      return await this.enqueue(req);
    } finally {
      this.longPolls--;
    }
  }

  /**
   * The caller of a long poll gave up: NT_CANCEL it and give its answer the usual deadline, so
   * the caller never hangs on a server that ignores the cancel (timedOut then abandons it).
   */
  private giveUpLongPoll(entry: InFlight): void {
    if (entry.cancelRequested || this.closeError || this.inFlight.get(entry.mid) !== entry) return;
    entry.cancelRequested = true;
    this.cancel(entry);
    const ms = entry.request.timeoutMs ?? this.opts.timeoutMs;
    entry.timer = setTimeout(() => this.timedOut(entry, ms), ms);
    entry.timer.unref?.();
  }

  /** Sends and throws an SmbStatusError unless the status is one the caller accepts. */
  async call(req: Smb1Request, accept: readonly number[] = [0]): Promise<Smb1Response> {
    const res = await this.send(req);
    if (!accept.includes(res.status)) {
      const command = smb1CommandName(req.command);
      throw new SmbStatusError(res.status, {
        command,
        operation: req.operation ?? command.toLowerCase(),
        path: req.path,
        code: req.command === Smb1Command.SESSION_SETUP_ANDX && isAuthStatus(res.status) ? 'auth' : 'status',
      });
    }
    return res;
  }

  /** Feeds one transport frame (one SMB1 message). */
  receive(frame: Buffer): void {
    if (this.closeError) return;
    try {
      this.dispatch(frame);
    } catch (e) {
      this.fail(e instanceof SmbError ? e : new MalformedMessageError('SMB1 message', 'frame', String(e)));
    }
  }

  /** Ends the connection: every request in flight or waiting fails with `error`. */
  fail(error: SmbError): void {
    if (this.closeError) return;
    this.closeError = error;
    this.log(3, () => `connection closed: ${error.message}`);
    for (const [, entry] of this.inFlight) {
      if (entry.timer) clearTimeout(entry.timer);
      entry.reject(error);
    }
    this.inFlight.clear();
    this.abandoned.clear();
    for (const w of this.waiting.splice(0)) w.reject(error);
    this.transport.close(error);
    for (const l of this.closeListeners) l(error);
  }

  private allocateMid(): number {
    for (let i = 0; i < 0xffff; i++) {
      const mid = this.nextMid;
      this.nextMid = this.nextMid >= 0xfffe ? 1 : this.nextMid + 1;
      if (mid !== OPLOCK_BREAK_MID && !this.inFlight.has(mid) && !this.abandoned.has(mid)) return mid;
    }
    throw new SmbError('transport', 'no free SMB1 MID');
  }

  private transmit(req: Smb1Request, resolve: (r: Smb1Response) => void, reject: (e: SmbError) => void): void {
    if (this.closeError) return reject(this.closeError);
    const mid = this.allocateMid();
    const sign = this.signing !== undefined && req.command !== Smb1Command.NEGOTIATE;
    const parts = [this.header(req.command, mid, req, (req.flags2 ?? 0) | (sign ? SMB_FLAGS2_SMB_SECURITY_SIGNATURE : 0)), ...req.body];
    let seq: number | undefined;
    if (sign) {
      seq = this.signing!.next;
      this.signing!.next += 2;
      signSmb1(this.signing!.macKey, seq, parts);
    }
    const signal = req.untilAborted;
    const onAbort = (): void => this.giveUpLongPoll(entry);
    const detach = (): void => signal?.removeEventListener('abort', onAbort);
    const entry: InFlight = { request: req, mid, seq, messages: [], resolve: (r) => (detach(), resolve(r)), reject: (e) => (detach(), reject(e)), timer: undefined };
    this.inFlight.set(mid, entry);
    const ms = signal ? null : req.timeoutMs === undefined ? this.opts.timeoutMs : req.timeoutMs;
    if (ms !== null) {
      entry.timer = setTimeout(() => this.timedOut(entry, ms), ms);
      entry.timer.unref?.();
    }
    this.log(4, () => `-> ${smb1CommandName(req.command)} mid=${mid}${seq !== undefined ? ` seq=${seq}` : ''}${req.path ? ` ${req.path}` : ''}`);
    try {
      this.transport.send(parts);
    } catch (e) {
      this.fail(e instanceof SmbError ? e : new SmbError('transport', String(e)));
    }
    if (signal?.aborted) onAbort();
    else signal?.addEventListener('abort', onAbort, { once: true });
  }

  /** A request header on our PID with the request's UID and TID. */
  private header(command: number, mid: number, ids: { uid?: number; tid?: number }, flags2: number): Buffer {
    const header = Buffer.alloc(SMB1_HEADER_SIZE);
    const flags = SMB_FLAGS_CASE_INSENSITIVE | SMB_FLAGS_CANONICALIZED_PATHS;
    writeHeader(header, { command, status: 0, flags, flags2: this.flags2 | flags2, pid: CLIENT_PID, tid: ids.tid ?? 0, uid: ids.uid ?? 0, mid });
    return header;
  }

  private timedOut(entry: InFlight, ms: number): void {
    if (this.closeError || this.inFlight.get(entry.mid) !== entry) return;
    const cmd = smb1CommandName(entry.request.command);
    const error = new SmbError('timeout', `no response to ${cmd} in ${ms} ms`, { command: cmd, operation: entry.request.operation, path: entry.request.path });
    if (FATAL_ON_TIMEOUT.has(entry.request.command) || this.abandoned.size >= MAX_ABANDONED) {
      this.fail(error);
      return;
    }
    this.inFlight.delete(entry.mid);
    this.abandoned.set(entry.mid, entry);
    this.cancel(entry);
    entry.reject(error);
    // The server has been told to stop: the slot goes to the next request waiting for one.
    this.next();
    this.probe();
  }

  /**
   * NT_CANCEL with the request's MID, PID, UID and TID. It has no answer, so when signing it takes
   * one sequence number, not two (MS-CIFS 3.2.4.1.1).
   */
  private cancel(entry: InFlight): void {
    const sign = this.signing !== undefined;
    const parts = [this.header(Smb1Command.NT_CANCEL, entry.mid, entry.request, sign ? SMB_FLAGS2_SMB_SECURITY_SIGNATURE : 0), encodeNtCancelRequest()];
    if (sign) {
      signSmb1(this.signing!.macKey, this.signing!.next, parts);
      this.signing!.next += 1;
    }
    this.log(4, () => `-> NT_CANCEL mid=${entry.mid}`);
    try {
      this.transport.send(parts);
    } catch (e) {
      this.fail(e instanceof SmbError ? e : new SmbError('transport', String(e)));
    }
  }

  /** After a timeout: the connection lives on only if the server still answers an ECHO (MS-CIFS 2.2.4.39). */
  private probe(): void {
    if (this.probing || this.closeError) return;
    this.probing = true;
    // TID 0xFFFF: an ECHO needs no tree. Its own timeout is fatal (FATAL_ON_TIMEOUT).
    this.send({ command: Smb1Command.ECHO, body: [encodeEchoRequest(PROBE_DATA)], tid: 0xffff, operation: 'echo' }).then(
      () => (this.probing = false),
      () => (this.probing = false),
    );
  }

  /** An answer to a request we cancelled: checked like any other, then dropped. */
  private late(header: Smb1Header, msg: Buffer, entry: InFlight): void {
    checkAnswer(header, entry.request, CLIENT_PID);
    if (entry.seq !== undefined && !verifySmb1(this.signing!.macKey, entry.seq + 1, msg)) {
      throw new SmbError('security', `bad signature on ${smb1CommandName(header.command)} response`, { command: smb1CommandName(header.command) });
    }
    entry.messages.push(msg);
    const status = statusOf(header);
    const done = entry.request.complete === undefined || (status !== 0 && !isWarning(status)) || entry.request.complete(msg, header);
    if (!done && entry.messages.length < MAX_ANSWER_MESSAGES) return;
    this.abandoned.delete(entry.mid);
    this.log(4, () => `<- late ${smb1CommandName(header.command)} mid=${header.mid} status=0x${status.toString(16).padStart(8, '0')} dropped (cancelled)`);
  }

  private dispatch(msg: Buffer): void {
    const header = decodeHeader(msg);
    if (!(header.flags & SMB_FLAGS_REPLY)) {
      // MS-CIFS 2.2.4.32.1: an oplock break arrives as a LOCKING_ANDX request with MID 0xFFFF.
      // We never ask for an oplock, so there is nothing to give back.
      if (header.command === Smb1Command.LOCKING_ANDX && header.mid === OPLOCK_BREAK_MID) {
        this.log(4, () => '<- unsolicited oplock break ignored (we hold no oplock)');
        return;
      }
      throw new MalformedMessageError('SMB1 header', 'Flags', 'a request arrived where a response was expected');
    }
    const entry = this.inFlight.get(header.mid);
    if (!entry) {
      const gone = this.abandoned.get(header.mid);
      if (gone) return this.late(header, msg, gone);
      throw new MalformedMessageError('SMB1 header', 'MID', `unexpected response for MID ${header.mid}`);
    }
    checkAnswer(header, entry.request, CLIENT_PID);
    if (entry.seq !== undefined && !verifySmb1(this.signing!.macKey, entry.seq + 1, msg)) {
      throw new SmbError('security', `bad signature on ${smb1CommandName(header.command)} response`, {
        command: smb1CommandName(header.command),
        operation: entry.request.operation,
      });
    }
    entry.messages.push(msg);
    const status = statusOf(header);
    const done = entry.request.complete === undefined || (status !== 0 && !isWarning(status)) || entry.request.complete(msg, header);
    if (!done) {
      if (entry.messages.length >= MAX_ANSWER_MESSAGES) {
        throw new MalformedMessageError(smb1CommandName(header.command), 'answer', `more than ${MAX_ANSWER_MESSAGES} messages`);
      }
      return;
    }
    this.inFlight.delete(header.mid);
    if (entry.timer) clearTimeout(entry.timer);
    this.log(4, () => `<- ${smb1CommandName(header.command)} mid=${header.mid} status=0x${status.toString(16).padStart(8, '0')}`);
    entry.resolve({ header, status, msg: entry.messages[0]!, messages: entry.messages });
    this.next();
  }

  private next(): void {
    while (this.waiting.length > 0 && this.inFlight.size < Math.max(1, this.maxMpx)) this.waiting.shift()!.run();
  }

  private log(level: number, message: () => string): void {
    if (this.opts.log) this.opts.log(level, message());
  }
}
