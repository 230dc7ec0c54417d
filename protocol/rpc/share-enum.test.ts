import { describe, expect, it } from 'vitest';
import { SmbError } from '../errors.js';
import { encodeBind, encodeRequest } from './dcerpc-pdu.js';
import { RpcBindError, RpcFaultError } from './rpc-errors.js';
import { rpcBind, rpcCall } from './rpc-pipe.js';
import { faultPdu, FakePipe, fragmentResponse, hex, shareEnumResponseStub, SRVSVC_BIND_ACK } from './rpc-test-helpers.js';
import { listSharesOverPipe } from './share-enum.js';
import { encodeNetShareEnumAllRequest, SRVSVC_SYNTAX } from './srvsvc.js';

const SHARES = [
  { name: 'public', type: 0, comment: 'Public files' },
  { name: 'IPC$', type: 0x80000003, comment: 'IPC Service (Samba 4.19)' },
  { name: 'Müller-Fotos', type: 0, comment: 'Ünïcødé ☃ 日本語 📷' },
];
const EXPECTED = [
  { name: 'public', type: 0, special: false, comment: 'Public files' },
  { name: 'IPC$', type: 0x80000003, special: true, comment: 'IPC Service (Samba 4.19)' },
  { name: 'Müller-Fotos', type: 0, special: false, comment: 'Ünïcødé ☃ 日本語 📷' },
];

function answer(callId: number, fragStub: number, result = 0): Buffer {
  return Buffer.concat(fragmentResponse(callId, shareEnumResponseStub(SHARES, result), fragStub));
}

describe('listSharesOverPipe', () => {
  it('binds, calls NetrShareEnum and decodes one fragment read in one go', async () => {
    const pipe = new FakePipe([SRVSVC_BIND_ACK, answer(2, 4256)], 4280);
    await expect(listSharesOverPipe(pipe, 'srv')).resolves.toEqual(EXPECTED);
    expect(pipe.sent).toEqual([
      encodeBind({ callId: 1, maxXmitFrag: 4280, maxRecvFrag: 4280, abstractSyntax: SRVSVC_SYNTAX }),
      ...encodeRequest({ callId: 2, contextId: 0, opnum: 15, stub: encodeNetShareEnumAllRequest('\\\\srv') }),
    ]);
  });

  it('reassembles many fragments delivered in BUFFER_OVERFLOW chunks that cut PDUs anywhere', async () => {
    for (const [fragStub, chunk] of [
      [24, 7],
      [40, 64],
      [16, 1],
      [104, 33],
    ] as const) {
      const pipe = new FakePipe([SRVSVC_BIND_ACK, answer(2, fragStub)], chunk);
      await expect(listSharesOverPipe(pipe, 'srv'), `frag ${fragStub} chunk ${chunk}`).resolves.toEqual(EXPECTED);
    }
  });

  it('turns a failing WERROR into a status SmbError naming it', async () => {
    const pipe = new FakePipe([SRVSVC_BIND_ACK, answer(2, 4256, 5)], 4280);
    const err = await listSharesOverPipe(pipe, 'srv').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SmbError);
    expect(err).toMatchObject({ code: 'status', message: 'NetShareEnumAll failed: WERR_ACCESS_DENIED' });
  });

  it('surfaces a fault, a bind_nak and a wrong call id as typed errors', async () => {
    const fault = new FakePipe([SRVSVC_BIND_ACK, faultPdu(2, 0x1c010003)], 4280);
    await expect(listSharesOverPipe(fault, 'srv')).rejects.toBeInstanceOf(RpcFaultError);
    const nak = hex('05 00 0d 03 10 00 00 00 12 00 00 00 01 00 00 00 05 00');
    await expect(listSharesOverPipe(new FakePipe([nak], 4280), 'srv')).rejects.toBeInstanceOf(RpcBindError);
    const wrongCall = new FakePipe([SRVSVC_BIND_ACK, answer(3, 4256)], 4280);
    await expect(listSharesOverPipe(wrongCall, 'srv')).rejects.toMatchObject({ code: 'malformed' });
  });

  it('fails cleanly when the pipe runs dry in the middle of a PDU', async () => {
    const pipe = new FakePipe([SRVSVC_BIND_ACK, answer(2, 4256).subarray(0, 50)], 20);
    await expect(listSharesOverPipe(pipe, 'srv')).rejects.toMatchObject({ code: 'malformed' });
  });
});

describe('rpcCall request fragmentation', () => {
  it('writes all but the last fragment and transceives the last when the server accepts small fragments', async () => {
    const smallAck = Buffer.from(SRVSVC_BIND_ACK);
    smallAck.writeUInt16LE(64, 18); // server max_recv_frag 64: 40 bytes of stub per request fragment
    const pipe = new FakePipe([smallAck, answer(2, 4256)], 4280, true);
    const b = await rpcBind(pipe, SRVSVC_SYNTAX);
    expect(b.maxXmitFrag).toBe(64);
    const stub = encodeNetShareEnumAllRequest('\\\\srv');
    await rpcCall(b, 15, stub, 'NetShareEnumAll');
    expect(pipe.written.map((f) => f.length)).toEqual([64]);
    expect(Buffer.concat([...pipe.written, pipe.sent[1] as Buffer].map((f) => f.subarray(24)))).toEqual(stub);
  });

  it('refuses a multi-fragment request on a pipe that cannot write', async () => {
    const smallAck = Buffer.from(SRVSVC_BIND_ACK);
    smallAck.writeUInt16LE(64, 18);
    const b = await rpcBind(new FakePipe([smallAck], 4280), SRVSVC_SYNTAX);
    await expect(rpcCall(b, 15, Buffer.alloc(100), 'x')).rejects.toMatchObject({ code: 'unsupported' });
  });
});
