// Build big, sparse and many-file fixtures straight into a share's directory on disk, so a test
// measures our client reading them, not a setup step going through SMB. Everything streams: memory
// stays constant whatever the size.
import { createHash, randomFillSync } from 'node:crypto';
import { closeSync, mkdirSync, openSync } from 'node:fs';
import { chmod, open, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';

export interface FixtureFileOptions {
  /** Permission bits applied with chmod (not subject to the umask). Default: open()'s 0666 & ~umask. */
  mode?: number;
}

const CHUNK = 1 << 20;

/** Writes `bytes` random bytes to `path` (replacing it) and returns their SHA-256 as lowercase hex. */
export async function makeRandomFile(path: string, bytes: number, opts: FixtureFileOptions = {}): Promise<string> {
  if (!Number.isSafeInteger(bytes) || bytes < 0) throw new RangeError(`bad size ${bytes}`);
  const hash = createHash('sha256');
  const buf = Buffer.allocUnsafe(Math.min(CHUNK, Math.max(bytes, 1)));
  const fh = await open(path, 'w');
  try {
    for (let done = 0; done < bytes; ) {
      const n = Math.min(buf.length, bytes - done);
      const chunk = buf.subarray(0, n);
      randomFillSync(chunk);
      hash.update(chunk);
      // Awaited before the buffer is refilled: one buffer, reused.
      await writeAll(fh, chunk, done);
      done += n;
    }
  } finally {
    await fh.close();
  }
  if (opts.mode !== undefined) await chmod(path, opts.mode);
  return hash.digest('hex');
}

async function writeAll(fh: FileHandle, chunk: Buffer, position: number): Promise<void> {
  for (let off = 0; off < chunk.length; ) {
    const { bytesWritten } = await fh.write(chunk, off, chunk.length - off, position + off);
    off += bytesWritten;
  }
}

export interface SparseMark {
  offset: number;
  data: Buffer | string;
}

/**
 * Creates a sparse file of `size` bytes: holes everywhere except the marks. Nothing is read back
 * (a 5 GiB file is made in milliseconds); call sha256File when the digest matters.
 */
export async function makeSparseFile(
  path: string,
  size: number,
  marks: readonly SparseMark[] = [],
  opts: FixtureFileOptions = {},
): Promise<void> {
  if (!Number.isSafeInteger(size) || size < 0) throw new RangeError(`bad size ${size}`);
  const fh = await open(path, 'w');
  try {
    await fh.truncate(size);
    for (const m of marks) {
      const data = typeof m.data === 'string' ? Buffer.from(m.data, 'utf8') : m.data;
      if (!Number.isSafeInteger(m.offset) || m.offset < 0 || m.offset + data.length > size) {
        throw new RangeError(`mark at ${m.offset} (+${data.length}) is outside a ${size}-byte file`);
      }
      await writeAll(fh, data, m.offset);
    }
  } finally {
    await fh.close();
  }
  if (opts.mode !== undefined) await chmod(path, opts.mode);
}

export interface ManyFilesOptions extends FixtureFileOptions {
  /** File name prefix. Default 'f'. */
  prefix?: string;
  /** File name suffix. Default '.txt'. */
  suffix?: string;
}

/**
 * Creates `n` empty files in `dir` (created if missing), named prefix + zero-padded index + suffix,
 * and returns the names in order. Synchronous open/close: 20,000 files take well under a second.
 */
export async function makeManyFiles(dir: string, n: number, opts: ManyFilesOptions = {}): Promise<string[]> {
  if (!Number.isSafeInteger(n) || n < 0) throw new RangeError(`bad count ${n}`);
  mkdirSync(dir, { recursive: true });
  const width = Math.max(6, String(n).length);
  const names: string[] = [];
  for (let i = 0; i < n; i++) {
    const name = `${opts.prefix ?? 'f'}${String(i).padStart(width, '0')}${opts.suffix ?? '.txt'}`;
    closeSync(openSync(join(dir, name), 'w', opts.mode ?? 0o666));
    names.push(name);
  }
  if (opts.mode !== undefined) {
    // open()'s mode is filtered by the umask; chmod gives exactly what was asked.
    for (const name of names) await chmod(join(dir, name), opts.mode);
  }
  return names;
}

/** SHA-256 of a file's contents as lowercase hex, read in chunks. */
export async function sha256File(path: string): Promise<string> {
  const hash = createHash('sha256');
  const fh = await open(path, 'r');
  try {
    const buf = Buffer.allocUnsafe(CHUNK);
    for (let pos = 0; ; ) {
      const { bytesRead } = await fh.read(buf, 0, buf.length, pos);
      if (bytesRead === 0) break;
      hash.update(buf.subarray(0, bytesRead));
      pos += bytesRead;
    }
  } finally {
    await fh.close();
  }
  return hash.digest('hex');
}
