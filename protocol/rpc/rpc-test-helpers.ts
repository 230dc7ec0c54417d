// Test-only helpers for the rpc/ unit tests (imported by *.test.ts files only). PDUs and stubs here are
// assembled field by field from C706 / MS-SRVS layouts, independently of the encoders under test.
import type { RpcPipe } from './rpc-pipe.js';
import { hex } from '../wire/hex-notation.js';
export { hex };


export function u32le(v: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(v >>> 0);
  return b;
}

/** Hand-marshalled [string] wchar_t* pointee: max_count, offset 0, actual_count, UTF-16 + NUL, pad to 4. */
export function ndrWideString(s: string): Buffer {
  const units = s.length + 1;
  const chars = Buffer.concat([Buffer.from(s, 'utf16le'), Buffer.alloc(2)]);
  const pad = Buffer.alloc((4 - (chars.length % 4)) % 4);
  return Buffer.concat([u32le(units), u32le(0), u32le(units), chars, pad]);
}

export interface FakeShare {
  name: string;
  type: number;
  comment: string;
}

/** A NetrShareEnum level-1 response stub in NDR order (MS-SRVS 3.1.4.8), built without NdrWriter. */
export function shareEnumResponseStub(shares: FakeShare[], result = 0): Buffer {
  let ref = 0x00020000;
  const next = (): Buffer => u32le((ref += 4));
  const parts: Buffer[] = [u32le(1), u32le(1), next()]; // Level, switch, Level1 referent
  parts.push(u32le(shares.length), shares.length > 0 ? next() : u32le(0)); // EntriesRead, Buffer referent
  if (shares.length > 0) {
    parts.push(u32le(shares.length)); // conformant array max_count
    for (const s of shares) parts.push(next(), u32le(s.type), next()); // netname ptr, type, remark ptr
    for (const s of shares) parts.push(ndrWideString(s.name), ndrWideString(s.comment));
  }
  parts.push(u32le(shares.length), next(), u32le(0), u32le(result)); // TotalEntries, ResumeHandle ptr + value, WERROR
  return Buffer.concat(parts);
}

/** A response (ptype 2) or fault (ptype 3) PDU by hand (C706 12.6.4.10 / 12.6.4.7). */
export function responsePdu(o: { callId: number; flags: number; stub: Buffer; allocHint?: number; contextId?: number }): Buffer {
  const h = Buffer.alloc(24);
  h.set([5, 0, 2, o.flags, 0x10, 0, 0, 0]);
  h.writeUInt16LE(24 + o.stub.length, 8);
  h.writeUInt32LE(o.callId, 12);
  h.writeUInt32LE(o.allocHint ?? o.stub.length, 16);
  h.writeUInt16LE(o.contextId ?? 0, 20);
  return Buffer.concat([h, o.stub]);
}

export function faultPdu(callId: number, status: number): Buffer {
  const b = Buffer.alloc(32);
  b.set([5, 0, 3, 0x03, 0x10, 0, 0, 0]);
  b.writeUInt16LE(32, 8);
  b.writeUInt32LE(callId, 12);
  b.writeUInt32LE(status, 24);
  return b;
}

/** Splits a stub into response fragments of at most `size` stub bytes each. */
export function fragmentResponse(callId: number, stub: Buffer, size: number): Buffer[] {
  const out: Buffer[] = [];
  for (let at = 0; at === 0 || at < stub.length; at += size) {
    const chunk = stub.subarray(at, at + size);
    const flags = (at === 0 ? 1 : 0) | (at + size >= stub.length ? 2 : 0);
    out.push(responsePdu({ callId, flags, stub: chunk, allocHint: stub.length - at }));
  }
  return out;
}

/** The bind_ack Samba sends for srvsvc (C706 12.6.4.4), assembled by hand. */
export const SRVSVC_BIND_ACK = hex(`
  05 00 0c 03 10 00 00 00 44 00 00 00 01 00 00 00   // header: bind_ack, first|last, frag 68, call 1
  b8 10 b8 10                                       // max_xmit_frag 4280, max_recv_frag 4280
  f0 53 00 00                                       // assoc_group_id 0x53f0
  0d 00                                             // sec_addr.length 13
  5c 50 49 50 45 5c 73 72 76 73 76 63 00            // "\\PIPE\\srvsvc" NUL
  00                                                // pad to 4 (offset 39 -> 40)
  01 00 00 00                                       // n_results 1, reserved
  00 00 00 00                                       // result acceptance, reason 0
  04 5d 88 8a eb 1c c9 11 9f e8 08 00 2b 10 48 60   // NDR 8a885d04-1ceb-11c9-9fe8-08002b104860
  02 00 00 00                                       // version 2.0
`);

/**
 * An in-memory pipe: answers the bind with `bindAck` and the call with `callAnswer` (a byte stream of
 * PDUs), handing out at most `chunk` bytes per transceive/read and flagging `more` like
 * STATUS_BUFFER_OVERFLOW while bytes remain.
 */
export class FakePipe implements RpcPipe {
  readonly sent: Buffer[] = [];
  readonly written: Buffer[] = [];
  private pending: Buffer = Buffer.alloc(0);
  private calls = 0;

  constructor(
    private readonly answers: Buffer[],
    private readonly chunk: number,
    readonly canWrite = false,
  ) {
    if (canWrite) this.write = async (d: Buffer): Promise<void> => void this.written.push(d);
  }

  write?: (data: Buffer) => Promise<void>;

  private serve(max: number): { data: Buffer; more: boolean } {
    const n = Math.min(max, this.chunk, this.pending.length);
    const data = this.pending.subarray(0, n);
    this.pending = this.pending.subarray(n);
    return { data, more: this.pending.length > 0 };
  }

  async transceive(request: Buffer, maxResponse: number): Promise<{ data: Buffer; more: boolean }> {
    this.sent.push(request);
    this.pending = this.answers[this.calls++] ?? Buffer.alloc(0);
    return this.serve(maxResponse);
  }

  async read(maxResponse: number): Promise<{ data: Buffer; more: boolean }> {
    return this.serve(maxResponse);
  }
}
