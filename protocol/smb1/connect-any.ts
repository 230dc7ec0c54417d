// Which protocol a connection speaks, decided by the server's answer to one NEGOTIATE
// (MS-SMB2 3.2.4.2.1 multi-protocol negotiate, MS-CIFS 3.2.4.2.1):
//   we offer "NT LM 0.12" and, unless SMB1 is all the caller wants, "SMB 2.002" and "SMB 2.???";
//   an SMB2 answer with DialectRevision 0x02FF means "SMB 2.1 or later": the SMB2 NEGOTIATE follows
//     on the same connection as message 1 and picks the dialect (3.1.1 when both can);
//   an SMB2 answer with 0x0202 completes SMB 2.0.2;
//   an SMB1 answer is NT LM 0.12.
// SMB1 is offered only when the caller allows it (ConnectOptions.allowSmb1). Without that, the
// connection goes the SMB2 way as always; should it fail in NEGOTIATE, a second short connection
// asks in SMB1 alone, so that a server that speaks only SMB1 is named as such ('security').
import type { SmbClient } from '../client/api.js';
import type { ConnectOptions } from '../client/types.js';
import { MalformedMessageError, SmbError } from '../errors.js';
import { decodeNegotiateResponse as decodeSmb2Negotiate } from '../smb2/commands/negotiate.js';
import { Dialect, SMB2_HEADER_SIZE } from '../smb2/constants.js';
import { connectTcp } from '../transport/tcp-transport.js';
import type { Transport, TransportEvents, TransportFactory } from '../transport/transport.js';
import { DIALECT_NT_LM_012, DIALECT_SMB_2_002, DIALECT_SMB_2_WILDCARD, SMB1_PROTOCOL_ID, SMB2_PROTOCOL_ID, SMB_FLAGS2_EXTENDED_SECURITY } from './constants.js';
import { decodeNegotiateResponse, encodeNegotiateMessage, NO_DIALECT } from './commands/negotiate.js';
import { Smb1Connection } from './connection.js';
import { NEGOTIATE_FLAGS2, smb1Negotiated } from './negotiate-exchange.js';
import { Smb1Client } from './client/smb1-client.js';
import { smb1ForcingOf } from './forcing.js';

export const SMB1_ONLY_MESSAGE = 'this server speaks only SMB1 (CIFS); allow the legacy protocol for this drive';

/** How the SMB 2/3 client is started: on a transport of our choosing, at a given first MessageId. */
export type Smb2Starter = (opts: ConnectOptions, internal: { firstMessageId?: bigint }) => Promise<SmbClient>;

const DEFAULT_PORT = 445;
const DEFAULT_TIMEOUT_MS = 30_000;
/** The PID of the NEGOTIATE (the connection then uses its own; NEGOTIATE carries no session state). */
const NEGOTIATE_PID = 0x0000feff;
/** MS-SMB2 2.2.4: the wildcard revision "SMB 2.1 or later; negotiate again in SMB2". */
const SMB2_WILDCARD_REVISION = 0x02ff;

export async function connectAny(opts: ConnectOptions, smb2: Smb2Starter): Promise<SmbClient> {
  if (!opts.allowSmb1) return connectSmb2Only(opts, smb2);
  const offerSmb2 = opts.allowSmb1 !== 'only';
  const dialects = [DIALECT_NT_LM_012];
  if (offerSmb2 && (opts.minDialect ?? Dialect.SMB2_02) <= Dialect.SMB2_02) dialects.push(DIALECT_SMB_2_002);
  if (offerSmb2 && (opts.maxDialect ?? Dialect.SMB3_11) >= Dialect.SMB2_10) dialects.push(DIALECT_SMB_2_WILDCARD);
  const first = await firstAnswer(opts, dialects);
  const kind = first.frame.length >= 4 ? first.frame.readUInt32LE(0) : 0;
  if (kind === SMB1_PROTOCOL_ID) return smb1Client(opts, first);
  if (kind !== SMB2_PROTOCOL_ID || !offerSmb2) {
    first.transport.close();
    throw new SmbError('malformed', 'the answer to NEGOTIATE is neither SMB1 nor SMB2', { operation: 'negotiate' });
  }
  const revision = decodeSmb2Negotiate(first.frame).dialect;
  opts.log?.(3, `multi-protocol NEGOTIATE answered in SMB2 (revision 0x${revision.toString(16)})`);
  if (revision === SMB2_WILDCARD_REVISION) return smb2(onTransport(opts, first), { firstMessageId: 1n });
  if (revision === Dialect.SMB2_02 && dialects.includes(DIALECT_SMB_2_002)) return smb2(replaying(opts, first), {});
  first.transport.close();
  throw new SmbError('unsupported', `server answered the multi-protocol NEGOTIATE with revision 0x${revision.toString(16)}`, { operation: 'negotiate' });
}

interface FirstAnswer {
  transport: Transport;
  frame: Buffer;
  /** Where later frames and the close go; set by whoever takes the connection over. */
  route: { events?: TransportEvents; early: Buffer[] };
}

/** Opens the transport, sends the NEGOTIATE, resolves with the first frame of the answer. */
async function firstAnswer(opts: ConnectOptions, dialects: readonly string[]): Promise<FirstAnswer> {
  const timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const port = opts.port ?? DEFAULT_PORT;
  const route: FirstAnswer['route'] = { early: [] };
  let waiter: { resolve: (f: Buffer) => void; reject: (e: SmbError) => void } | undefined;
  const transport = await (opts.transport ?? connectTcp)(
    { host: opts.address ?? opts.host, port, timeoutMs },
    {
      onFrame: (frame) => {
        if (route.events) return route.events.onFrame(frame);
        if (waiter) {
          const w = waiter;
          waiter = undefined;
          return w.resolve(frame);
        }
        route.early.push(frame);
      },
      onClose: (error) => {
        const e = error ?? new SmbError('transport', 'connection closed', { operation: 'negotiate' });
        if (route.events) return route.events.onClose(error);
        waiter?.reject(e);
        waiter = undefined;
      },
    },
  );
  const frame = new Promise<Buffer>((resolve, reject) => {
    waiter = { resolve, reject };
  });
  const timer = setTimeout(() => {
    waiter?.reject(new SmbError('timeout', `no answer to NEGOTIATE in ${timeoutMs} ms`, { operation: 'negotiate' }));
    waiter = undefined;
    transport.close();
  }, timeoutMs);
  timer.unref?.();
  try {
    // MS-CIFS 2.2.3.1: with SMB_FLAGS2_EXTENDED_SECURITY clear the server answers with a challenge.
    const flags2 = smb1ForcingOf(opts).nonExtendedSecurity ? NEGOTIATE_FLAGS2 & ~SMB_FLAGS2_EXTENDED_SECURITY : NEGOTIATE_FLAGS2;
    transport.send([encodeNegotiateMessage(dialects, flags2, NEGOTIATE_PID)]);
    return { transport, frame: await frame, route };
  } catch (e) {
    transport.close();
    throw e instanceof SmbError ? e : new SmbError('transport', String(e), { operation: 'negotiate' });
  } finally {
    clearTimeout(timer);
  }
}

function smb1Client(opts: ConnectOptions, first: FirstAnswer): SmbClient {
  const conn = new Smb1Connection(first.transport, { timeoutMs: opts.timeoutMs ?? DEFAULT_TIMEOUT_MS, ...(opts.log ? { log: opts.log } : {}) });
  try {
    const neg = decodeNegotiateResponse(first.frame);
    if (neg.dialectIndex === NO_DIALECT) throw new SmbError('unsupported', 'the server accepts none of the dialects offered', { operation: 'negotiate' });
    if (neg.dialectIndex !== 0) throw new SmbError('unsupported', `server chose dialect #${neg.dialectIndex}, which is not NT LM 0.12`, { operation: 'negotiate' });
    const forcing = smb1ForcingOf(opts);
    const n = smb1Negotiated(neg);
    if (forcing.nonExtendedSecurity && n.extendedSecurity) {
      throw new SmbError('unsupported', 'the server answered with extended security although NEGOTIATE did not ask for it', { operation: 'negotiate' });
    }
    if (forcing.openAndX) n.openAndX = true;
    conn.flags2 = n.flags2;
    conn.maxMpx = n.maxMpxCount;
    first.route.events = { onFrame: (f) => conn.receive(f), onClose: (e) => conn.fail(e ?? new SmbError('transport', 'connection closed')) };
    for (const f of first.route.early.splice(0)) conn.receive(f);
    opts.log?.(2, `connected to ${opts.host}, dialect NT LM 0.12 (SMB1), capabilities 0x${n.capabilities.toString(16)}`);
    return new Smb1Client(conn, n, opts);
  } catch (e) {
    conn.fail(e instanceof SmbError ? e : new SmbError('malformed', String(e)));
    throw e;
  }
}

/** ConnectOptions whose transport is the connection already open (the SMB2 client takes it over). */
function onTransport(opts: ConnectOptions, first: FirstAnswer, intercept?: (parts: readonly Buffer[]) => boolean): ConnectOptions {
  const factory: TransportFactory = async (_o, events) => {
    first.route.events = events;
    for (const f of first.route.early.splice(0)) events.onFrame(f);
    if (!intercept) return first.transport;
    const t = first.transport;
    return {
      send: (parts) => (intercept(parts) ? undefined : t.send(parts)),
      recycle: (f) => t.recycle(f),
      close: (e) => t.close(e),
      get closed() {
        return t.closed;
      },
      get remoteAddress() {
        return t.remoteAddress;
      },
    };
  };
  return { ...opts, transport: factory };
}

/**
 * MS-SMB2 3.2.5.2: a 0x0202 answer to the multi-protocol NEGOTIATE already is the SMB 2.0.2
 * NEGOTIATE response. The SMB2 client still sends its own NEGOTIATE (MessageId 0); that one is not
 * sent on, and the answer we hold is handed back for it (with its MessageId), so the server sees
 * message 1 next, as it expects.
 */
function replaying(opts: ConnectOptions, first: FirstAnswer): ConnectOptions {
  let done = false;
  return onTransport(opts, first, (parts) => {
    if (done) return false;
    done = true;
    const request = Buffer.concat(parts);
    const answer = Buffer.from(first.frame);
    if (request.length >= SMB2_HEADER_SIZE) request.copy(answer, 24, 24, 32); // MessageId
    queueMicrotask(() => first.route.events?.onFrame(answer));
    return true;
  });
}

async function connectSmb2Only(opts: ConnectOptions, smb2: Smb2Starter): Promise<SmbClient> {
  try {
    return await smb2(opts, {});
  } catch (e) {
    throw await explainSmb2Failure(opts, e);
  }
}

/**
 * What a failed SMB2-only connect should report: an SMB1-only server hangs up on an SMB2
 * NEGOTIATE (Samba), answers it in SMB1, or refuses it (impacket: STATUS_NOT_SUPPORTED); then the
 * error says to allow the legacy protocol. Anything else (unreachable, a timeout, a hostile
 * answer) is the answer as it is.
 */
export async function explainSmb2Failure(opts: ConnectOptions, e: unknown): Promise<unknown> {
  if (!(e instanceof SmbError) || e.operation === 'connect') return e;
  const hungUp = e.code === 'transport';
  const answeredInSmb1 = e instanceof MalformedMessageError && e.field === 'ProtocolId';
  const refused = e.code === 'unsupported' && e.operation === 'negotiate';
  if (!hungUp && !answeredInSmb1 && !refused) return e;
  if (await speaksOnlySmb1(opts)) return new SmbError('security', SMB1_ONLY_MESSAGE, { operation: 'negotiate', cause: e });
  return e;
}

/** A short second connection: does the server answer an NT LM 0.12-only NEGOTIATE in SMB1? */
async function speaksOnlySmb1(opts: ConnectOptions): Promise<boolean> {
  try {
    const first = await firstAnswer({ ...opts, timeoutMs: Math.min(opts.timeoutMs ?? DEFAULT_TIMEOUT_MS, 10_000) }, [DIALECT_NT_LM_012]);
    first.transport.close();
    if (first.frame.length < 4 || first.frame.readUInt32LE(0) !== SMB1_PROTOCOL_ID) return false;
    return decodeNegotiateResponse(first.frame).dialectIndex === 0;
  } catch {
    return false;
  }
}
