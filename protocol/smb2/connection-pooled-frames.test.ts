// A compound answer is one frame holding several answers (MS-SMB2 3.2.5.1.9). When that frame is a
// pooled buffer (transport/buffer-pool.ts), writing out one READ payload must not recycle it
// while another payload of the same frame is still held.
import { describe, expect, it } from 'vitest';
import { BufferPool, releaseBuffer } from '../transport/buffer-pool.js';
import { decodeReadResponse, encodeReadRequest, encodeReadResponse } from './commands/read.js';
import { SMB2_FLAGS_SERVER_TO_REDIR, Smb2Command } from './constants.js';
import type { Smb2Request } from './connection.js';
import { SESSION, TREE, answer, grant, setup } from './scripted-transport.test-helpers.js';

const PAYLOAD = 96 * 1024;

function readRequest(offset: number): Smb2Request {
  return {
    command: Smb2Command.READ,
    sessionId: SESSION,
    treeId: TREE,
    body: [encodeReadRequest({ fileId: Buffer.alloc(16, 3), offset, length: PAYLOAD })],
    payloadSize: PAYLOAD,
  };
}

/** `answers` chained by NextCommand, each padded to 8 bytes (MS-SMB2 3.3.4.1.3). */
function chain(answers: Buffer[]): Buffer {
  const padded = answers.map((a, i) => (i < answers.length - 1 ? Buffer.concat([a, Buffer.alloc((8 - (a.length % 8)) % 8)]) : a));
  padded.forEach((p, i) => {
    if (i < padded.length - 1) p.writeUInt32LE(p.length, 20);
  });
  return Buffer.concat(padded);
}

describe('pooled frames holding a compound answer', () => {
  it('a released READ payload does not give back the frame while the other payload in it is held', async () => {
    const { transport, conn } = setup({ signRequests: false });
    await grant(transport, conn, 100);
    transport.onSend = () => undefined;
    const first = conn.send(readRequest(0));
    const second = conn.send(readRequest(PAYLOAD));
    await new Promise((r) => setImmediate(r));
    const [req1, req2] = transport.sent.slice(-2);
    const wire = chain([
      answer(req1!, { flags: SMB2_FLAGS_SERVER_TO_REDIR, body: encodeReadResponse({ data: Buffer.alloc(PAYLOAD, 1) }) }),
      answer(req2!, { flags: SMB2_FLAGS_SERVER_TO_REDIR, body: encodeReadResponse({ data: Buffer.alloc(PAYLOAD, 2) }) }),
    ]);
    // The frame as the transport's decoder hands it on: a buffer lent by its pool.
    const pool = new BufferPool(4);
    const frame = pool.take(wire.length);
    wire.copy(frame);
    conn.receive(frame);
    const a = decodeReadResponse((await first).msg).data;
    const b = decodeReadResponse((await second).msg).data;
    releaseBuffer(a); // the first payload is on disk
    expect(pool.size).toBe(0);
    pool.take(wire.length).fill(0xee); // the next frame
    expect(b.every((x) => x === 2)).toBe(true);
    releaseBuffer(b);
    expect(pool.size).toBe(0); // never back: nobody can tell which holder is the last
  });

  it('a frame holding one answer still goes back once its payload is released', async () => {
    const { transport, conn } = setup({ signRequests: false });
    await grant(transport, conn, 100);
    transport.onSend = () => undefined;
    const first = conn.send(readRequest(0));
    await new Promise((r) => setImmediate(r));
    const wire = answer(transport.sent.at(-1)!, { flags: SMB2_FLAGS_SERVER_TO_REDIR, body: encodeReadResponse({ data: Buffer.alloc(PAYLOAD, 1) }) });
    const pool = new BufferPool(4);
    const frame = pool.take(wire.length);
    wire.copy(frame);
    conn.receive(frame);
    releaseBuffer(decodeReadResponse((await first).msg).data);
    expect(pool.size).toBe(1);
  });
});
