// Drives one DCE/RPC conversation over an SMB named pipe that the caller already opened: bind, then
// calls. Pure: the pipe is an interface, so tests feed bytes directly. Named pipes carry PDUs as a byte
// stream: one SMB read may return part of a PDU (STATUS_BUFFER_OVERFLOW, `more`) or several PDUs.
import { MalformedMessageError, SmbError } from '../errors.js';
import { peekFragLength } from './dcerpc-header.js';
import {
  decodeBindAck,
  DEFAULT_MAX_STUB_BYTES,
  encodeBind,
  encodeRequest,
  REQUEST_HEADER_SIZE,
  ResponseAssembler,
  type BindAck,
} from './dcerpc-pdu.js';
import { NDR_SYNTAX, sameSyntax, type SyntaxId } from './uuid.js';

/**
 * What the SMB layer provides once \PIPE\<name> is open. `transceive` is SMB2 IOCTL FSCTL_PIPE_TRANSCEIVE
 * (MS-SMB2 2.2.31, MS-FSCC 2.3.49); `read` is SMB2 READ. `more` means the server answered
 * STATUS_BUFFER_OVERFLOW: the message continues and must be read with `read`. `write` (SMB2 WRITE) is only
 * needed for requests that do not fit in one fragment: every fragment but the last is written, the last is
 * transceived.
 */
export interface RpcPipe {
  transceive(request: Buffer, maxResponse: number): Promise<{ data: Buffer; more: boolean }>;
  read(maxResponse: number): Promise<{ data: Buffer; more: boolean }>;
  write?(data: Buffer): Promise<void>;
}

/** Our fragment size for both directions; what Windows clients propose for named pipes. */
export const DEFAULT_MAX_FRAG = 4280;
/**
 * Bytes one call may read from the pipe, so a server streaming endless (e.g. empty) fragments cannot hold
 * us forever. Above the assembler's stub cap plus headers. Reads per PDU are bounded already: a PDU is at
 * most 65535 bytes and an empty read is an error.
 */
const MAX_BYTES_PER_CALL = DEFAULT_MAX_STUB_BYTES * 2;

/** Splits the pipe's byte stream into PDUs, reading more when a PDU is incomplete. */
class PduStream {
  private buf: Buffer = Buffer.alloc(0);
  private total = 0;

  constructor(
    private readonly pipe: RpcPipe,
    private readonly maxRead: number,
  ) {}

  push(data: Buffer): void {
    this.total += data.length;
    if (this.total > MAX_BYTES_PER_CALL) {
      throw new MalformedMessageError('rpc pipe', 'stream', `answer longer than ${MAX_BYTES_PER_CALL} bytes`);
    }
    this.buf = this.buf.length === 0 ? data : Buffer.concat([this.buf, data]);
  }

  async next(): Promise<Buffer> {
    for (;;) {
      const len = peekFragLength(this.buf);
      if (len !== undefined && this.buf.length >= len) {
        const pdu = this.buf.subarray(0, len);
        this.buf = this.buf.subarray(len);
        return pdu;
      }
      const { data } = await this.pipe.read(this.maxRead);
      if (data.length === 0) throw new MalformedMessageError('rpc pipe', 'stream', 'pipe read returned no data mid-PDU');
      this.push(data);
    }
  }
}

export interface RpcBinding {
  pipe: RpcPipe;
  contextId: number;
  /** Largest fragment we may send: min(ours, the server's max_recv_frag). */
  maxXmitFrag: number;
  maxRecvFrag: number;
  ack: BindAck;
  nextCallId: number;
}

/** Binds one presentation context (abstract syntax + NDR 2.0) on the pipe (C706 12.6.4.3/12.6.4.4). */
export async function rpcBind(pipe: RpcPipe, abstractSyntax: SyntaxId, maxFrag = DEFAULT_MAX_FRAG): Promise<RpcBinding> {
  const callId = 1;
  const bind = encodeBind({ callId, maxXmitFrag: maxFrag, maxRecvFrag: maxFrag, abstractSyntax });
  const first = await pipe.transceive(bind, maxFrag);
  const stream = new PduStream(pipe, maxFrag);
  stream.push(first.data);
  const ack = decodeBindAck(await stream.next());
  if (ack.callId !== callId) throw new MalformedMessageError('rpc bind_ack', 'call_id', `expected ${callId}, got ${ack.callId}`);
  const accepted = ack.results[0];
  if (accepted === undefined || !sameSyntax(accepted.transferSyntax, NDR_SYNTAX)) {
    throw new SmbError('unsupported', 'RPC server accepted a transfer syntax other than NDR 2.0', { operation: 'bind' });
  }
  if (ack.maxRecvFrag < REQUEST_HEADER_SIZE + 8) {
    throw new MalformedMessageError('rpc bind_ack', 'max_recv_frag', `${ack.maxRecvFrag} too small for any request`);
  }
  return {
    pipe,
    contextId: 0,
    maxXmitFrag: Math.min(maxFrag, ack.maxRecvFrag),
    maxRecvFrag: maxFrag,
    ack,
    nextCallId: callId + 1,
  };
}

/**
 * One call: sends the request stub (fragmented to the negotiated size), reads and joins every response
 * fragment, returns the response stub. A fault PDU becomes an RpcFaultError.
 */
export async function rpcCall(b: RpcBinding, opnum: number, stub: Buffer, operation: string): Promise<Buffer> {
  const callId = b.nextCallId++;
  const fragments = encodeRequest({ callId, contextId: b.contextId, opnum, stub, maxXmitFrag: b.maxXmitFrag });
  const last = fragments.pop();
  if (last === undefined) throw new Error('encodeRequest returned no fragments');
  if (fragments.length > 0) {
    if (b.pipe.write === undefined) {
      throw new SmbError('unsupported', `${operation}: request needs ${fragments.length + 1} fragments but the pipe cannot write`, { operation });
    }
    for (const f of fragments) await b.pipe.write(f);
  }
  const first = await b.pipe.transceive(last, b.maxRecvFrag);
  const stream = new PduStream(b.pipe, b.maxRecvFrag);
  stream.push(first.data);
  const assembler = new ResponseAssembler(callId, { contextId: b.contextId, operation });
  for (;;) {
    const whole = assembler.push(await stream.next());
    if (whole !== undefined) return whole;
  }
}
