import { mkdtemp, open, readFile } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { handleWriter, LOCAL_WRITE_BYTES, uploadReadBytes } from './local-fs.js';

describe('handleWriter', () => {
  it('writes each chunk in write(2)s of at most LOCAL_WRITE_BYTES, in order, from the start offset', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'sk-lfs-'));
    const fh = await open(join(dir, 'f'), 'w+');
    const sizes: number[] = [];
    const write = fh.write.bind(fh);
    // Records what reaches the file handle: the sizes the kernel is asked to write.
    (fh as unknown as { write: typeof write }).write = ((buf: Buffer, off: number, len: number, pos: number) => {
      sizes.push(len);
      return write(buf, off, len, pos);
    }) as typeof write;
    const data = randomBytes(2 * 1024 * 1024 + 12345);
    await fh.write(Buffer.from('head'), 0, 4, 0);
    sizes.length = 0;
    const chunks = [data.subarray(0, 2 * 1024 * 1024), data.subarray(2 * 1024 * 1024)];
    await pipeline(Readable.from(chunks), handleWriter(fh, 4));
    await fh.close();
    expect(Math.max(...sizes)).toBe(LOCAL_WRITE_BYTES);
    expect(sizes.reduce((a, b) => a + b, 0)).toBe(data.length);
    expect(sizes.length).toBe(Math.ceil((2 * 1024 * 1024) / LOCAL_WRITE_BYTES) + 1);
    const onDisk = await readFile(join(dir, 'f'));
    expect(onDisk.subarray(0, 4).toString()).toBe('head');
    expect(onDisk.subarray(4).equals(data)).toBe(true);
  });
});

describe('uploadReadBytes', () => {
  const MiB = 1024 * 1024;
  it('reads what one WRITE carries, 2 MiB when the sink is not an SMB stream, never under 1 MiB', () => {
    expect(uploadReadBytes(2 * MiB)).toBe(2 * MiB);
    expect(uploadReadBytes(MiB)).toBe(MiB);
    expect(uploadReadBytes(undefined)).toBe(2 * MiB);
    expect(uploadReadBytes(124 * 1024)).toBe(MiB);
  });
});
