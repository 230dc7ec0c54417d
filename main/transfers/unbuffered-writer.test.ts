import { randomBytes } from 'node:crypto';
import { mkdtemp, open, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BufferPool } from '../../protocol/index.js';
import { DIRECT_ALIGN, openUnbufferedWriter, STAGE_BYTES, unbufferedSupported } from './unbuffered-writer.js';

/** Chunks of uneven sizes, as READ answers cut by a server would be. */
function unevenChunks(data: Buffer): Buffer[] {
  const out: Buffer[] = [];
  for (let at = 0, i = 0; at < data.length; i++) {
    const n = Math.min(data.length - at, [1_000_003, 65_537, 2 * 1024 * 1024, 17][i % 4]!);
    out.push(data.subarray(at, at + n));
    at += n;
  }
  return out;
}

describe.runIf(unbufferedSupported)('openUnbufferedWriter (Linux, O_DIRECT on the test folder)', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'sk-unbuf-'));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('writes a file of an unaligned size, over several stages, byte for byte', async () => {
    const path = join(dir, 'f');
    const fh = await open(path, 'w+');
    const data = randomBytes(2 * STAGE_BYTES + 3 * DIRECT_ALIGN + 123);
    const sink = await openUnbufferedWriter(path, fh, 0);
    expect(sink).toBeDefined();
    await pipeline(Readable.from(unevenChunks(data)), sink!);
    expect((await fh.stat()).size).toBe(data.length);
    await fh.close();
    expect((await readFile(path)).equals(data)).toBe(true);
  });

  it('continues after bytes already in the file from an aligned offset, and gives pooled buffers back', async () => {
    const path = join(dir, 'f');
    const head = randomBytes(2 * DIRECT_ALIGN);
    await writeFile(path, head);
    const fh = await open(path, 'r+');
    const pool = new BufferPool(8);
    const chunks = [pool.take(1024 * 1024), pool.take(1024 * 1024), pool.take(100_000)];
    for (const c of chunks) c.set(randomBytes(c.length));
    const sink = await openUnbufferedWriter(path, fh, head.length);
    expect(sink).toBeDefined();
    await pipeline(Readable.from(chunks), sink!);
    await fh.close();
    expect((await readFile(path)).equals(Buffer.concat([head, ...chunks]))).toBe(true);
    expect(pool.size).toBe(3);
  });

  it('declines an unaligned start and a name that is no longer the open file', async () => {
    const path = join(dir, 'f');
    const fh = await open(path, 'w+');
    expect(await openUnbufferedWriter(path, fh, 100)).toBeUndefined();
    // Someone puts another file under the name after we created ours: the second open must not write it.
    await rename(path, join(dir, 'moved'));
    await writeFile(path, 'planted');
    expect(await openUnbufferedWriter(path, fh, 0)).toBeUndefined();
    await fh.close();
    expect(await readFile(path, 'utf8')).toBe('planted');
  });

  it('writes nothing past what it was given when the copy fails part way', async () => {
    const path = join(dir, 'f');
    const fh = await open(path, 'w+');
    const data = randomBytes(STAGE_BYTES + 5000);
    const sink = await openUnbufferedWriter(path, fh, 0);
    async function* failing(): AsyncGenerator<Buffer> {
      yield data;
      throw new Error('connection lost');
    }
    await expect(pipeline(Readable.from(failing()), sink!)).rejects.toThrow('connection lost');
    // The pipeline rejects as soon as the source fails; a write already in flight ends before the
    // writer closes (its destroy waits for it), so the file is looked at after that.
    if (!sink!.closed) await new Promise((done) => sink!.once('close', done));
    // Only whole stages reached the file, in order: a later run continues from its size.
    const { size } = await fh.stat();
    await fh.close();
    expect(size % DIRECT_ALIGN).toBe(0);
    expect((await readFile(path)).equals(data.subarray(0, size))).toBe(true);
  });
});
