// Streams under every window and chunk shape, with consumers that read in different ways:
// a stall (no READ in flight, nothing pushed) must never happen.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { join } from 'node:path';
import { startSamba, type SambaServer } from '../harness/samba-server.js';
import { makeRandomFile } from '../harness/fixtures.js';
import { openShare, userCreds, type Opened } from './client-helpers.js';
import { SEALED_READ_CHUNK } from '../../protocol/client/read-stream.js';
import { SEALED_WRITE_CHUNK } from '../../protocol/client/write-stream.js';

const MiB = 1024 * 1024;
let server: SambaServer;
let o: Opened;
let want: string;

beforeAll(async () => {
  server = await startSamba();
  want = await makeRandomFile(join(server.shareDir('public'), 'forty.bin'), 40 * MiB + 12345);
  o = await openShare(server, 'public', { kind: 'anonymous' });
});
afterAll(async () => {
  await o?.close();
  await server?.stop();
});

const shapes = [
  { window: 1, chunkSize: 65536 },
  { window: 2, chunkSize: 8 * MiB },
  { window: 3, chunkSize: 4 * MiB },
  { window: 4, chunkSize: 2 * MiB },
  { window: 5, chunkSize: 1_000_000 },
  { window: 8, chunkSize: MiB },
];

/**
 * The sizes of the chunks a stream pushed, checking the bytes too. One pushed chunk is one READ
 * answer, and a flowing stream emits each as it was pushed (async iteration would join what is
 * buffered), so these are the READs' sizes (the last one shorter).
 */
async function pushedSizes(stream: NodeJS.ReadableStream): Promise<Set<number>> {
  const h = createHash('sha256');
  const seen = new Set<number>();
  await new Promise<void>((done, fail) => {
    stream
      .on('data', (c: Buffer) => {
        h.update(c);
        seen.add(c.length);
      })
      .once('end', done)
      .once('error', fail);
  });
  expect(h.digest('hex')).toBe(want);
  return seen;
}

describe('read stream shapes', () => {
  for (const shape of shapes) {
    it(`window ${shape.window} × ${shape.chunkSize} B: async iteration gets every byte`, async () => {
      const h = createHash('sha256');
      for await (const c of o.tree.createReadStream('forty.bin', shape)) h.update(c as Buffer);
      expect(h.digest('hex')).toBe(want);
    });

    it(`window ${shape.window} × ${shape.chunkSize} B: a slow piped consumer gets every byte`, async () => {
      const h = createHash('sha256');
      const slow = new Writable({
        highWaterMark: 16 * 1024,
        write(chunk: Buffer, _e, cb) {
          h.update(chunk);
          setImmediate(cb);
        },
      });
      await pipeline(o.tree.createReadStream('forty.bin', shape), slow);
      expect(h.digest('hex')).toBe(want);
    });
  }

  it('a sealed session reads in SEALED_READ_CHUNK pieces by default, a plain one in 2 MiB, both byte-exact', async () => {
    const sealed = await openShare(server, 'public', userCreds(server), { encrypt: true });
    try {
      expect(Math.max(...(await pushedSizes(sealed.tree.createReadStream('forty.bin'))))).toBe(SEALED_READ_CHUNK);
      // The caller's own chunk size still wins on a sealed tree.
      expect(Math.max(...(await pushedSizes(sealed.tree.createReadStream('forty.bin', { chunkSize: 4 * MiB }))))).toBe(4 * MiB);
      // A handle tells streams built on it (a resumed download's) the same size.
      const h = await sealed.tree.open('forty.bin', { access: 'read' });
      expect(h.readChunk).toBe(SEALED_READ_CHUNK);
      expect(h.writeChunk).toBe(SEALED_WRITE_CHUNK);
      await h.close();
    } finally {
      await sealed.close();
    }
    expect(Math.max(...(await pushedSizes(o.tree.createReadStream('forty.bin'))))).toBe(2 * MiB);
    const plain = await o.tree.open('forty.bin', { access: 'read' });
    expect(plain.readChunk).toBe(2 * MiB);
    expect(plain.writeChunk).toBe(2 * MiB);
    await plain.close();
  });

  it('write stream shapes round-trip byte-exact', async () => {
    const data = Buffer.alloc(9 * MiB + 7);
    for (let i = 0; i < data.length; i += 4096) data.writeUInt32LE(i, i);
    for (const shape of shapes) {
      const ws = o.tree.createWriteStream('shape.bin', shape);
      // Feed odd-sized pieces so batches split chunks.
      await pipeline(
        (async function* () {
          for (let i = 0; i < data.length; i += 777_777) yield data.subarray(i, Math.min(data.length, i + 777_777));
        })(),
        ws,
      );
      expect((await o.tree.readFile('shape.bin')).equals(data)).toBe(true);
    }
  });
});
