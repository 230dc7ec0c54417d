// READ and WRITE answers are checked against what was asked: a server never makes a stream
// reserve bytes it did not ask for, nor resend for ever.
import { describe, expect, it, vi } from 'vitest';
import { encodeCloseResponse } from '../smb2/commands/close.js';
import { encodeCreateResponse } from '../smb2/commands/create.js';
import { encodeReadResponse } from '../smb2/commands/read.js';
import { encodeWriteResponse } from '../smb2/commands/write.js';
import { Smb2Command } from '../smb2/constants.js';
import { decodeHeader } from '../smb2/header.js';
import { ScriptedTransport, SESSION, TREE, answer, grant, setup } from '../smb2/scripted-transport.test-helpers.js';
import { readAt } from './file-io.js';
import type { OpenFile } from './file-handle.js';
import type { TreeContext } from './tree-context.js';
import { openSmb2Handle } from './smb2-file-handle.js';
import { SmbWriteStream, MAX_ZERO_WRITES } from './write-stream.js';
import { BufferPool } from '../transport/buffer-pool.js';
import type { FileHandle } from './api.js';

const MiB = 1024 * 1024;

const FILE_ID = Buffer.alloc(16, 3);

async function tree(): Promise<{ t: TreeContext; transport: ScriptedTransport }> {
  const { transport, conn } = setup({ signRequests: false });
  await grant(transport, conn, 100);
  const t: TreeContext = { conn, sessionId: SESSION, treeId: TREE, share: 'share', maxRead: 1 << 20, maxWrite: 1 << 20, maxTransact: 1 << 16, dialect: 0x311, encrypt: false, sealed: false };
  return { t, transport };
}

const file: OpenFile = {
  fileId: FILE_ID,
  path: 'f.bin',
  stat: { name: 'f.bin', type: 'file', size: 10, allocationSize: 0, created: new Date(0), modified: new Date(0), accessed: new Date(0), changed: new Date(0), attributes: 0x20 },
  oplockLevel: 0,
  contexts: [],
};

function created(): Buffer {
  return encodeCreateResponse({
    oplockLevel: 0,
    flags: 0,
    createAction: 2,
    creationTime: 0n,
    lastAccessTime: 0n,
    lastWriteTime: 0n,
    changeTime: 0n,
    allocationSize: 0,
    endOfFile: 0,
    fileAttributes: 0x20,
    fileId: FILE_ID,
    contexts: [],
  });
}

describe('READ answers', () => {
  it('more data than the READ asked for is malformed', async () => {
    const { t, transport } = await tree();
    transport.onSend = (msg) => queueMicrotask(() => t.conn.receive(answer(msg, { flags: 1, body: encodeReadResponse({ data: Buffer.alloc(20, 1) }) })));
    await expect(readAt(t, file, 0, 10)).rejects.toMatchObject({ code: 'malformed', field: 'DataLength' });
  });

  it('exactly what was asked is data', async () => {
    const { t, transport } = await tree();
    transport.onSend = (msg) => queueMicrotask(() => t.conn.receive(answer(msg, { flags: 1, body: encodeReadResponse({ data: Buffer.alloc(10, 1) }) })));
    await expect(readAt(t, file, 0, 10)).resolves.toHaveLength(10);
  });
});

describe('WRITE answers', () => {
  /** A server that opens and closes fine and answers every WRITE with `count(length)`. */
  async function putThrough(count: (length: number) => number): Promise<{ error: unknown; writes: number }> {
    const { t, transport } = await tree();
    let writes = 0;
    transport.onSend = (msg) => {
      const h = decodeHeader(msg);
      let body: Buffer;
      if (h.command === Smb2Command.CREATE) body = created();
      else if (h.command === Smb2Command.CLOSE) body = encodeCloseResponse({ flags: 0, creationTime: 0n, lastAccessTime: 0n, lastWriteTime: 0n, changeTime: 0n, allocationSize: 0, endOfFile: 0, fileAttributes: 0 });
      else if (h.command === Smb2Command.WRITE) {
        writes++;
        body = encodeWriteResponse({ count: count(msg.readUInt32LE(64 + 4)), remaining: 0 });
      } else body = Buffer.from([4, 0, 0, 0]);
      queueMicrotask(() => t.conn.receive(answer(msg, { flags: 1, body })));
    };
    const ws = new SmbWriteStream((how) => openSmb2Handle(t, 'f.bin', how), t.maxWrite, { chunkSize: 4096 });
    const error = await new Promise((resolve) => {
      ws.once('error', resolve);
      ws.once('finish', () => resolve(undefined));
      ws.end(Buffer.alloc(10_000, 7));
    });
    return { error, writes };
  }

  it(`Count 0 more than ${MAX_ZERO_WRITES} times in a row ends the stream with an error`, async () => {
    const { error, writes } = await putThrough(() => 0);
    expect(error).toMatchObject({ code: 'malformed' });
    expect(writes).toBeLessThan(20);
  });

  it('a Count larger than the data sent is malformed', async () => {
    const { error } = await putThrough((n) => n + 1);
    expect(error).toMatchObject({ code: 'malformed', field: 'Count' });
  });

  it('without a chunk size, a stream sends 2 MiB WRITEs (write-stream.ts measured it), never more than the handle allows', async () => {
    const sent: number[] = [];
    const file = {
      path: 'f.bin',
      openStat: { name: 'f.bin', type: 'file', size: 0 },
      writeAt: async (_offset: number, data: readonly Buffer[]) => {
        const n = data.reduce((sum, b) => sum + b.length, 0);
        sent.push(n);
        return n;
      },
      close: async () => undefined,
    } as unknown as FileHandle;
    const big = new SmbWriteStream(async () => file, 8 * MiB);
    await new Promise<void>((done, fail) => big.on('error', fail).on('finish', done).end(Buffer.alloc(5 * MiB)));
    expect(sent).toEqual([2 * MiB, 2 * MiB, MiB]);
    sent.length = 0;
    const capped = new SmbWriteStream(async () => file, MiB);
    await new Promise<void>((done, fail) => capped.on('error', fail).on('finish', done).end(Buffer.alloc(3 * MiB)));
    expect(sent).toEqual([MiB, MiB, MiB]);
  });

  it('short writes are continued until everything is written', async () => {
    const { error, writes } = await putThrough((n) => Math.min(n, 1000));
    expect(error).toBeUndefined();
    expect(writes).toBeGreaterThanOrEqual(10);
  });

  it('a pooled buffer goes back to its pool only once the WRITE carrying it is acknowledged', async () => {
    const { t, transport } = await tree();
    const held: Buffer[] = [];
    transport.onSend = (msg) => {
      const h = decodeHeader(msg);
      if (h.command === Smb2Command.WRITE) return void held.push(msg);
      const body = h.command === Smb2Command.CREATE ? created() : encodeCloseResponse({ flags: 0, creationTime: 0n, lastAccessTime: 0n, lastWriteTime: 0n, changeTime: 0n, allocationSize: 0, endOfFile: 0, fileAttributes: 0 });
      queueMicrotask(() => t.conn.receive(answer(msg, { flags: 1, body })));
    };
    const pool = new BufferPool(4);
    const data = pool.take(128 * 1024, 'bytes');
    data.fill(9);
    const ws = new SmbWriteStream((how) => openSmb2Handle(t, 'f.bin', how), t.maxWrite, { chunkSize: 64 * 1024 });
    const finished = new Promise((resolve, reject) => ws.once('finish', resolve).once('error', reject));
    ws.end(data);
    await vi.waitFor(() => expect(held).toHaveLength(2));
    expect(pool.size).toBe(0); // both halves are still on their way
    t.conn.receive(answer(held[0]!, { flags: 1, body: encodeWriteResponse({ count: 64 * 1024, remaining: 0 }) }));
    await new Promise((r) => setImmediate(r));
    expect(pool.size).toBe(0); // half of the loan is still unacknowledged
    t.conn.receive(answer(held[1]!, { flags: 1, body: encodeWriteResponse({ count: 64 * 1024, remaining: 0 }) }));
    await finished;
    expect(pool.size).toBe(1);
  });

  it('a WRITE that timed out keeps its pooled buffer out of the pool (its bytes may still be queued on the socket)', async () => {
    const { transport, conn } = setup({ signRequests: false, timeoutMs: 50 });
    await grant(transport, conn, 100);
    const t: TreeContext = { conn, sessionId: SESSION, treeId: TREE, share: 'share', maxRead: 1 << 20, maxWrite: 1 << 20, maxTransact: 1 << 16, dialect: 0x311, encrypt: false, sealed: false };
    transport.onSend = (msg) => {
      const h = decodeHeader(msg);
      if (h.command === Smb2Command.WRITE || h.command === Smb2Command.CANCEL) return; // never answered: a congested link
      const body = h.command === Smb2Command.CREATE ? created() : h.command === Smb2Command.ECHO ? Buffer.from([4, 0, 0, 0]) : encodeCloseResponse({ flags: 0, creationTime: 0n, lastAccessTime: 0n, lastWriteTime: 0n, changeTime: 0n, allocationSize: 0, endOfFile: 0, fileAttributes: 0 });
      queueMicrotask(() => t.conn.receive(answer(msg, { flags: 1, body })));
    };
    const pool = new BufferPool(4);
    const data = pool.take(128 * 1024, 'bytes');
    data.fill(9);
    const ws = new SmbWriteStream((how) => openSmb2Handle(t, 'f.bin', how), t.maxWrite, { chunkSize: 128 * 1024 });
    const failed = new Promise<unknown>((resolve) => ws.once('error', resolve));
    ws.end(data);
    await expect(failed).resolves.toMatchObject({ code: 'timeout' });
    expect(conn.closed).toBe(false); // the connection lives on: the socket could still be sending the WRITE
    expect(pool.size).toBe(0);
    expect(pool.take(128 * 1024).buffer).not.toBe(data.buffer);
  });
});
