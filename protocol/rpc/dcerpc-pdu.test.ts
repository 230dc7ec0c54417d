import { describe, expect, it } from 'vitest';
import { MalformedMessageError, SmbError } from '../errors.js';
import { PFC_FIRST_FRAG, PFC_LAST_FRAG, peekFragLength } from './dcerpc-header.js';
import { decodeBindAck, decodeResponseFragment, encodeBind, encodeRequest, ResponseAssembler } from './dcerpc-pdu.js';
import { RpcBindError, RpcFaultError, RpcFaultStatus } from './rpc-errors.js';
import { faultPdu, fragmentResponse, hex, responsePdu, SRVSVC_BIND_ACK } from './rpc-test-helpers.js';
import { SRVSVC_SYNTAX } from './srvsvc.js';
import { NDR_SYNTAX, uuidFromBytes, uuidToBytes } from './uuid.js';

describe('UUID wire form', () => {
  it('stores the first three fields little-endian and the rest as written', () => {
    expect(uuidToBytes('4b324fc8-1670-01d3-1278-5a47bf6ee188')).toEqual(hex('c84f324b 7016 d301 1278 5a47bf6ee188'));
    expect(uuidFromBytes(hex('045d888a eb1c c911 9fe8 08002b104860'))).toBe(NDR_SYNTAX.uuid);
  });
});

describe('bind (C706 12.6.4.3)', () => {
  it('encodes srvsvc v3.0 over NDR 2.0 byte for byte', () => {
    const golden = hex(`
      05 00                                             // rpc_vers 5, rpc_vers_minor 0
      0b                                                // PTYPE bind
      03                                                // PFC_FIRST_FRAG | PFC_LAST_FRAG
      10 00 00 00                                       // drep: little-endian, ASCII, IEEE
      48 00                                             // frag_length 72
      00 00                                             // auth_length 0
      01 00 00 00                                       // call_id 1
      b8 10 b8 10                                       // max_xmit_frag 4280, max_recv_frag 4280
      00 00 00 00                                       // assoc_group_id 0 (new group)
      01 00 00 00                                       // n_context_elem 1, reserved, reserved2
      00 00 01 00                                       // p_cont_id 0, n_transfer_syn 1, reserved
      c8 4f 32 4b 70 16 d3 01 12 78 5a 47 bf 6e e1 88   // srvsvc 4b324fc8-1670-01d3-1278-5a47bf6ee188
      03 00 00 00                                       // version 3.0
      04 5d 88 8a eb 1c c9 11 9f e8 08 00 2b 10 48 60   // NDR 8a885d04-1ceb-11c9-9fe8-08002b104860
      02 00 00 00                                       // version 2.0
    `);
    expect(encodeBind({ callId: 1, maxXmitFrag: 4280, maxRecvFrag: 4280, abstractSyntax: SRVSVC_SYNTAX })).toEqual(golden);
  });
});

describe('bind_ack / bind_nak (C706 12.6.4.4, 12.6.4.5)', () => {
  it('decodes the secondary address, sizes and the accepted transfer syntax', () => {
    expect(decodeBindAck(SRVSVC_BIND_ACK)).toEqual({
      callId: 1,
      maxXmitFrag: 4280,
      maxRecvFrag: 4280,
      assocGroupId: 0x53f0,
      secondaryAddress: '\\PIPE\\srvsvc',
      results: [{ result: 0, reason: 0, transferSyntax: NDR_SYNTAX }],
    });
  });

  it('throws RpcBindError when the presentation context is rejected', () => {
    const ack = Buffer.from(SRVSVC_BIND_ACK);
    ack.writeUInt16LE(2, 44); // provider_rejection
    ack.writeUInt16LE(1, 46); // abstract_syntax_not_supported
    const err = catchError(() => decodeBindAck(ack));
    expect(err).toBeInstanceOf(RpcBindError);
    expect(err).toMatchObject({ code: 'unsupported', failure: 'context_rejected', reasonName: 'abstract_syntax_not_supported' });
  });

  it('throws RpcBindError for a bind_nak', () => {
    const nak = hex(`
      05 00 0d 03 10 00 00 00 15 00 00 00 01 00 00 00   // header: bind_nak, frag 21, call 1
      04 00                                             // provider_reject_reason 4
      01 05 00                                          // one supported version: 5.0
    `);
    expect(catchError(() => decodeBindAck(nak))).toMatchObject({ failure: 'bind_nak', reasonName: 'protocol_version_not_supported' });
  });

  it('rejects a truncated ack with MalformedMessageError', () => {
    expect(() => decodeBindAck(SRVSVC_BIND_ACK.subarray(0, 50))).toThrow(MalformedMessageError);
  });
});

describe('request (C706 12.6.4.9)', () => {
  it('fits a small stub in one fragment with the header fields in place', () => {
    const [only, ...rest] = encodeRequest({ callId: 2, contextId: 0, opnum: 15, stub: Buffer.from('abcdefgh') });
    expect(rest).toHaveLength(0);
    expect(only).toEqual(
      hex(`
        05 00 00 03 10 00 00 00   // vers 5.0, PTYPE request, first|last, drep
        20 00 00 00               // frag_length 32, auth_length 0
        02 00 00 00               // call_id 2
        08 00 00 00               // alloc_hint 8
        00 00 0f 00               // p_cont_id 0, opnum 15
        61 62 63 64 65 66 67 68   // stub
      `),
    );
  });

  it('splits a large stub into fragments no bigger than max_xmit_frag, cut on 8-byte boundaries', () => {
    const stub = Buffer.from(Array.from({ length: 10_000 }, (_, i) => i & 0xff));
    const frags = encodeRequest({ callId: 7, contextId: 1, opnum: 15, stub, maxXmitFrag: 4280 });
    expect(frags.map((f) => f.length)).toEqual([4280, 4280, 24 + 10_000 - 2 * 4256]);
    expect(frags.map((f) => f[3])).toEqual([PFC_FIRST_FRAG, 0, PFC_LAST_FRAG]);
    expect(frags.map((f) => f.readUInt32LE(16))).toEqual([10_000, 10_000 - 4256, 10_000 - 2 * 4256]); // alloc_hint
    expect(frags.map((f) => f.readUInt16LE(8))).toEqual(frags.map((f) => f.length));
    expect(Buffer.concat(frags.map((f) => f.subarray(24)))).toEqual(stub);
  });

  it('sends an empty stub as one first|last fragment', () => {
    const frags = encodeRequest({ callId: 1, contextId: 0, opnum: 0, stub: Buffer.alloc(0) });
    expect(frags).toHaveLength(1);
    expect(frags[0]?.[3]).toBe(PFC_FIRST_FRAG | PFC_LAST_FRAG);
  });
});

describe('response fragments and reassembly (C706 12.6.4.10)', () => {
  const stub = Buffer.from('0123456789abcdefghijklmnopqrstuvwxyz');

  it('joins fragments in order and returns the stub on the last one', () => {
    const frags = fragmentResponse(9, stub, 16);
    expect(frags).toHaveLength(3);
    const a = new ResponseAssembler(9, { contextId: 0 });
    expect(a.push(frags[0] as Buffer)).toBeUndefined();
    expect(a.push(frags[1] as Buffer)).toBeUndefined();
    expect(a.push(frags[2] as Buffer)).toEqual(stub);
    expect(a.complete).toBe(true);
    expect(() => a.push(frags[2] as Buffer)).toThrow(MalformedMessageError);
  });

  it('insists on FIRST_FRAG first and no FIRST_FRAG later, and on our call_id', () => {
    const frags = fragmentResponse(9, stub, 16);
    expect(() => new ResponseAssembler(9).push(frags[1] as Buffer)).toThrow(/PFC_FIRST_FRAG/);
    const a = new ResponseAssembler(9);
    a.push(frags[0] as Buffer);
    expect(() => a.push(frags[0] as Buffer)).toThrow(/PFC_FIRST_FRAG/);
    expect(() => new ResponseAssembler(8).push(frags[0] as Buffer)).toThrow(/call_id/);
  });

  it('surfaces a fault PDU as RpcFaultError with the status', () => {
    const err = catchError(() => new ResponseAssembler(3, { operation: 'NetShareEnumAll' }).push(faultPdu(3, RpcFaultStatus.nca_s_op_rng_error)));
    expect(err).toBeInstanceOf(RpcFaultError);
    expect(err).toBeInstanceOf(SmbError);
    expect(err).toMatchObject({ code: 'status', status: 0x1c010002, statusName: 'nca_s_op_rng_error' });
    expect((err as Error).message).toContain('NetShareEnumAll');
  });

  it('caps the reassembled size', () => {
    const frags = fragmentResponse(1, Buffer.alloc(100), 40);
    const a = new ResponseAssembler(1, { maxStubBytes: 60 });
    a.push(frags[0] as Buffer);
    expect(() => a.push(frags[1] as Buffer)).toThrow(/larger than 60/);
  });

  it('drops an auth verifier and its padding from the stub (MS-RPCE 2.2.2.11)', () => {
    const pdu = Buffer.concat([
      responsePdu({ callId: 1, flags: 3, stub: Buffer.from('STUB') }),
      hex('00 00 00 00'), // auth padding (4 bytes)
      hex('0a 02 04 00 00 00 00 00'), // sec_trailer: NTLM, connect, auth_pad_length 4, reserved, context 0
      hex('aa bb cc dd'), // 4-byte token
    ]);
    pdu.writeUInt16LE(pdu.length, 8);
    pdu.writeUInt16LE(4, 10); // auth_length
    const f = decodeResponseFragment(pdu);
    expect(f.kind === 'response' && f.stub.toString()).toBe('STUB');
  });

  it('reports the frag_length of a PDU at the start of a stream once 10 bytes are in', () => {
    const pdu = responsePdu({ callId: 1, flags: 3, stub: stub });
    expect(peekFragLength(pdu.subarray(0, 9))).toBeUndefined();
    expect(peekFragLength(pdu.subarray(0, 10))).toBe(pdu.length);
    expect(() => peekFragLength(hex('04 00 02 03 10 00 00 00 18 00'))).toThrow(MalformedMessageError);
  });

  it('refuses big-endian data representation as unsupported', () => {
    const pdu = responsePdu({ callId: 1, flags: 3, stub });
    pdu[4] = 0x00;
    expect(catchError(() => decodeResponseFragment(pdu))).toMatchObject({ code: 'unsupported' });
  });
});

function catchError(f: () => unknown): unknown {
  try {
    f();
  } catch (e) {
    return e;
  }
  throw new Error('expected an error');
}
