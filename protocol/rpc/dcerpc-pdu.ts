// Connection-oriented DCE/RPC PDUs a client needs to call one interface over a named pipe:
// bind / bind_ack / bind_nak (C706 12.6.4.3-12.6.4.5), request (12.6.4.9), response (12.6.4.10) and
// fault (12.6.4.7), with the Microsoft extensions of MS-RPCE 2.2.2. No authentication: SMB already
// authenticated the pipe, and srvsvc over \PIPE\srvsvc needs no RPC-level auth.
import { MalformedMessageError } from '../errors.js';
import type { ByteReader } from '../wire/byte-reader.js';
import { ByteWriter } from '../wire/byte-writer.js';
import {
  COMMON_HEADER_SIZE,
  PFC_FIRST_FRAG,
  PFC_LAST_FRAG,
  PTYPE,
  readCommonHeader,
  stubEnd,
  writeCommonHeader,
  type CommonHeader,
} from './dcerpc-header.js';
import { RpcBindError, RpcFaultError } from './rpc-errors.js';
import { NDR_SYNTAX, readSyntaxId, SYNTAX_ID_SIZE, writeSyntaxId, type SyntaxId } from './uuid.js';

// ---- bind (C706 12.6.4.3) -------------------------------------------------------------------------

export interface BindRequest {
  callId: number;
  maxXmitFrag: number;
  maxRecvFrag: number;
  abstractSyntax: SyntaxId;
  /** Defaults to NDR 2.0, the only transfer syntax this client marshals. */
  transferSyntax?: SyntaxId;
  contextId?: number;
  assocGroupId?: number;
}

/** max_xmit_frag, max_recv_frag, assoc_group_id, p_context_elem header (n_context_elem + 3 reserved). */
const BIND_FIXED = 2 + 2 + 4 + 4;
/** One p_cont_elem_t: p_cont_id, n_transfer_syn, reserved, abstract syntax, one transfer syntax. */
const CONT_ELEM_SIZE = 2 + 1 + 1 + SYNTAX_ID_SIZE + SYNTAX_ID_SIZE;

export function encodeBind(req: BindRequest): Buffer {
  const size = COMMON_HEADER_SIZE + BIND_FIXED + CONT_ELEM_SIZE;
  const w = new ByteWriter(size);
  writeCommonHeader(w, {
    ptype: PTYPE.bind,
    pfcFlags: PFC_FIRST_FRAG | PFC_LAST_FRAG,
    fragLength: size,
    authLength: 0,
    callId: req.callId,
  });
  w.u16(req.maxXmitFrag).u16(req.maxRecvFrag).u32(req.assocGroupId ?? 0);
  w.u8(1).u8(0).u16(0); // n_context_elem = 1, reserved, reserved2
  w.u16(req.contextId ?? 0).u8(1).u8(0); // p_cont_id, n_transfer_syn = 1, reserved
  writeSyntaxId(w, req.abstractSyntax);
  writeSyntaxId(w, req.transferSyntax ?? NDR_SYNTAX);
  return w.finish();
}

// ---- bind_ack / bind_nak (C706 12.6.4.4, 12.6.4.5) ------------------------------------------------

/** p_cont_def_result_t (C706 12.6.3.1; MS-RPCE 2.2.2.4 adds negotiate_ack). */
export const CONT_RESULT = { acceptance: 0, user_rejection: 1, provider_rejection: 2, negotiate_ack: 3 } as const;

export interface PresentationResult {
  result: number;
  reason: number;
  transferSyntax: SyntaxId;
}

export interface BindAck {
  callId: number;
  maxXmitFrag: number;
  maxRecvFrag: number;
  assocGroupId: number;
  /** port_spec, e.g. "\PIPE\srvsvc" (NUL removed). */
  secondaryAddress: string;
  results: PresentationResult[];
}

/**
 * Decodes the server's answer to a bind. A bind_nak, a fault, or a bind_ack whose first presentation
 * context (the one encodeBind proposes) is not accepted is thrown as an RpcBindError / RpcFaultError.
 */
export function decodeBindAck(buf: Buffer): BindAck {
  const S = 'rpc bind_ack';
  const { header, reader: r } = readCommonHeader(buf, S);
  if (header.ptype === PTYPE.bind_nak) throw new RpcBindError('bind_nak', r.u16('provider_reject_reason'));
  if (header.ptype === PTYPE.fault) throw decodeFault(header, r, 'bind');
  if (header.ptype !== PTYPE.bind_ack) throw new MalformedMessageError(S, 'PTYPE', `expected bind_ack, got ${header.ptype}`);
  const maxXmitFrag = r.u16('max_xmit_frag');
  const maxRecvFrag = r.u16('max_recv_frag');
  const assocGroupId = r.u32('assoc_group_id');
  const addrLength = r.u16('sec_addr.length');
  const secondaryAddress = r.bytes(addrLength, 'sec_addr.port_spec').toString('latin1').replace(/\0+$/, '');
  r.skip((4 - (r.offset % 4)) % 4, 'sec_addr padding'); // p_result_list is 4-byte aligned in the PDU
  const n = r.u8('p_result_list.n_results');
  r.skip(3, 'p_result_list.reserved');
  if (n === 0) throw new MalformedMessageError(S, 'p_result_list.n_results', 'no results');
  const results: PresentationResult[] = [];
  for (let i = 0; i < n; i++) {
    const result = r.u16(`p_results[${i}].result`);
    const reason = r.u16(`p_results[${i}].reason`);
    results.push({ result, reason, transferSyntax: readSyntaxId(r, `p_results[${i}].transfer_syntax`) });
  }
  const first = results[0];
  if (first !== undefined && first.result !== CONT_RESULT.acceptance) {
    throw new RpcBindError('context_rejected', first.reason, first.result);
  }
  return { callId: header.callId, maxXmitFrag, maxRecvFrag, assocGroupId, secondaryAddress, results };
}

// ---- request (C706 12.6.4.9) ----------------------------------------------------------------------

export const REQUEST_HEADER_SIZE = COMMON_HEADER_SIZE + 8; // + alloc_hint, p_cont_id, opnum
export const RESPONSE_HEADER_SIZE = COMMON_HEADER_SIZE + 8; // + alloc_hint, p_cont_id, cancel_count, reserved

export interface RequestOptions {
  callId: number;
  contextId: number;
  opnum: number;
  stub: Buffer;
  /** Largest fragment the server accepts (its bind_ack max_recv_frag, capped by ours). Default 4280. */
  maxXmitFrag?: number;
  /** alloc_hint of the first fragment; defaults to the stub length. Later fragments send what remains. */
  allocHint?: number;
}

/**
 * Encodes a call as one or more request fragments. Each fragment's stub is cut at a multiple of 8 bytes so a
 * receiver that handles fragments one by one never sees an NDR primitive split across two of them.
 */
export function encodeRequest(o: RequestOptions): Buffer[] {
  const maxFrag = o.maxXmitFrag ?? 4280;
  const room = Math.floor((maxFrag - REQUEST_HEADER_SIZE) / 8) * 8;
  if (room <= 0) throw new RangeError(`max_xmit_frag ${maxFrag} leaves no room for stub data`);
  const fragments: Buffer[] = [];
  let at = 0;
  do {
    const chunk = o.stub.subarray(at, at + room);
    const first = at === 0;
    const last = at + chunk.length >= o.stub.length;
    const size = REQUEST_HEADER_SIZE + chunk.length;
    const w = new ByteWriter(size);
    writeCommonHeader(w, {
      ptype: PTYPE.request,
      pfcFlags: (first ? PFC_FIRST_FRAG : 0) | (last ? PFC_LAST_FRAG : 0),
      fragLength: size,
      authLength: 0,
      callId: o.callId,
    });
    w.u32(first && o.allocHint !== undefined ? o.allocHint : o.stub.length - at);
    w.u16(o.contextId).u16(o.opnum).bytes(chunk);
    fragments.push(w.finish());
    at += chunk.length;
  } while (at < o.stub.length);
  return fragments;
}

// ---- response / fault (C706 12.6.4.10, 12.6.4.7) --------------------------------------------------

export type ResponseFragment =
  | { kind: 'response'; header: CommonHeader; allocHint: number; contextId: number; cancelCount: number; stub: Buffer }
  | { kind: 'fault'; header: CommonHeader; allocHint: number; contextId: number; status: number };

function decodeFault(header: CommonHeader, r: ByteReader, operation: string): RpcFaultError {
  r.skip(8, 'fault.alloc_hint/p_cont_id/cancel_count/reserved');
  return new RpcFaultError(r.u32('fault.status'), { operation });
}

/** Decodes one response or fault fragment. The stub is a view into `buf`, with any auth verifier removed. */
export function decodeResponseFragment(buf: Buffer): ResponseFragment {
  const S = 'rpc response';
  const { header, reader: r } = readCommonHeader(buf, S);
  if (header.ptype !== PTYPE.response && header.ptype !== PTYPE.fault) {
    throw new MalformedMessageError(S, 'PTYPE', `expected response or fault, got ${header.ptype}`);
  }
  const allocHint = r.u32('alloc_hint');
  const contextId = r.u16('p_cont_id');
  const cancelCount = r.u8('cancel_count');
  r.skip(1, 'reserved');
  if (header.ptype === PTYPE.fault) {
    return { kind: 'fault', header, allocHint, contextId, status: r.u32('fault.status') };
  }
  const end = stubEnd(buf, header, r.offset, S);
  const stub = r.slice(r.offset, end - r.offset, 'stub');
  return { kind: 'response', header, allocHint, contextId, cancelCount, stub };
}

/** Upper bound on a reassembled response stub unless the caller says otherwise (defends memory). */
export const DEFAULT_MAX_STUB_BYTES = 16 * 1024 * 1024;

/**
 * Joins the response fragments of one call (C706 12.6.3.1 fragmentation rules): the first carries
 * PFC_FIRST_FRAG, the last PFC_LAST_FRAG, all carry our call_id and context. A fault fragment ends the call
 * with an RpcFaultError.
 */
export class ResponseAssembler {
  private readonly parts: Buffer[] = [];
  private total = 0;
  private done = false;

  constructor(
    private readonly callId: number,
    private readonly opts: { contextId?: number; operation?: string; maxStubBytes?: number } = {},
  ) {}

  get complete(): boolean {
    return this.done;
  }

  /** Adds one fragment; returns the whole stub once the last fragment has arrived. */
  push(fragment: Buffer): Buffer | undefined {
    const S = 'rpc response';
    if (this.done) throw new MalformedMessageError(S, 'pfc_flags', 'fragment after the last fragment');
    const f = decodeResponseFragment(fragment);
    if (f.header.callId !== this.callId) {
      throw new MalformedMessageError(S, 'call_id', `expected ${this.callId}, got ${f.header.callId}`);
    }
    if (f.kind === 'fault') {
      this.done = true;
      throw new RpcFaultError(f.status, { operation: this.opts.operation });
    }
    if (this.opts.contextId !== undefined && f.contextId !== this.opts.contextId) {
      throw new MalformedMessageError(S, 'p_cont_id', `expected ${this.opts.contextId}, got ${f.contextId}`);
    }
    const first = (f.header.pfcFlags & PFC_FIRST_FRAG) !== 0;
    if (first !== (this.parts.length === 0)) {
      throw new MalformedMessageError(S, 'pfc_flags', first ? 'PFC_FIRST_FRAG in the middle of a call' : 'first fragment lacks PFC_FIRST_FRAG');
    }
    this.total += f.stub.length;
    const max = this.opts.maxStubBytes ?? DEFAULT_MAX_STUB_BYTES;
    if (this.total > max) throw new MalformedMessageError(S, 'stub', `response larger than ${max} bytes`);
    this.parts.push(f.stub);
    if ((f.header.pfcFlags & PFC_LAST_FRAG) === 0) return undefined;
    this.done = true;
    return Buffer.concat(this.parts, this.total);
  }
}
