// The only ways the queue creates or opens local paths below a destination: never through a
// symbolic link. Someone who can write into the destination folder could otherwise plant a link
// under a name a download is about to use and have it write anywhere the person can.
// - new files are created exclusively (O_CREAT|O_EXCL: a link at the name fails, it is not followed);
// - existing files are opened with O_NOFOLLOW and checked to be regular files on the open handle;
// - folders we make are made one level at a time, and an existing one must be a real folder.
// What this does not cover: a folder *above* the one we open being swapped for a link between our
// check and our open (that needs openat(2), which Node does not offer). The destination the
// person typed is theirs; links in it are followed as they would be by cp.
import { closeSync, constants, fstatSync, lstatSync, openSync, type Stats } from 'node:fs';
import { lstat, mkdir, open, type FileHandle } from 'node:fs/promises';
import { Readable, Writable } from 'node:stream';
import { BufferPool, releaseBuffer } from '../../protocol/index.js';
import { TransferError } from './transfer-errors.js';

// O_NOFOLLOW does not exist on Windows (0 there); the lstat checks below still hold.
const NOFOLLOW = constants.O_NOFOLLOW ?? 0;

/** Creates a new file for reading and writing; fails (EEXIST) if anything, a link included, has the name. */
export function createExclusive(path: string): Promise<FileHandle> {
  return open(path, constants.O_RDWR | constants.O_CREAT | constants.O_EXCL | NOFOLLOW, 0o666);
}

/** Opens an existing regular file; a symbolic link or anything else at the name is refused. */
export async function openRegular(path: string, access: 'read' | 'write'): Promise<{ fh: FileHandle; stat: Stats }> {
  if (NOFOLLOW === 0) await refuseLink(path);
  const fh = await open(path, (access === 'read' ? constants.O_RDONLY : constants.O_RDWR) | NOFOLLOW).catch((e: NodeJS.ErrnoException) => {
    // ELOOP is what O_NOFOLLOW gives for a link at the name.
    if (e.code === 'ELOOP') throw linkError(path);
    throw e;
  });
  const stat = await fh.stat();
  if (!stat.isFile()) {
    await fh.close();
    throw new TransferError('not-a-file', `${path} is not a regular file`, path);
  }
  return { fh, stat };
}

/** Makes one folder below the destination; one already there must be a real folder, not a link to one. */
export async function mkdirOwn(path: string): Promise<void> {
  try {
    await mkdir(path);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    const st = await lstat(path);
    if (st.isSymbolicLink()) throw linkError(path);
    if (!st.isDirectory()) throw new TransferError('not-a-file', `${path} exists and is not a folder`, path);
  }
}

/**
 * The same rules for small files, as direct system calls on this thread: a few microseconds
 * each, where a promise-based call costs a trip through libuv's thread pool (a futex wake, an
 * eventfd write, an epoll round) and the objects around it, which for a folder of small files
 * was most of the CPU. Only for files up to SYNC_IO_BYTES, so a call blocks briefly.
 */
export const SYNC_IO_BYTES = 256 * 1024;

/** createExclusive for a small file: a new file descriptor, or EEXIST for anything at the name. */
export function createExclusiveSync(path: string): number {
  return openSync(path, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | NOFOLLOW, 0o666);
}

/** openRegular for reading: the descriptor and its stat; a link or a non-file is refused. */
export function openRegularSync(path: string): { fd: number; stat: Stats } {
  if (NOFOLLOW === 0 && lstatSync(path, { throwIfNoEntry: false })?.isSymbolicLink()) throw linkError(path);
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | NOFOLLOW);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ELOOP') throw linkError(path);
    throw e;
  }
  const stat = fstatSync(fd);
  if (!stat.isFile()) {
    closeSync(fd);
    throw new TransferError('not-a-file', `${path} is not a regular file`, path);
  }
  return { fd, stat };
}

async function refuseLink(path: string): Promise<void> {
  const st = await lstat(path).catch(() => undefined);
  if (st?.isSymbolicLink()) throw linkError(path);
}

function linkError(path: string): TransferError {
  return new TransferError('not-a-file', `${path} is a symbolic link; a copy does not write or read through it`, path);
}

const CHUNK = 1024 * 1024;

/**
 * The most one write(2) to a local file carries. The page cache sizes a file's new folios by the
 * write that creates them, so one 2 MiB write asks the kernel for 2 MiB blocks of free memory.
 * On a VM whose balloon takes free memory back (free page reporting hands whole blocks of 2 MiB
 * and more to the host), those blocks are the ones the host took, and every page of them is a
 * host fault. Measured here with dd, one 1 GiB file from the page cache to a new file: 2.1-5.0 s
 * in 2 MiB or 1 MiB writes, 0.8-2.8 s in 256 KiB writes, 0.35-0.39 s in 128 KiB writes (and in
 * 64 or 16 KiB). Without reporting the size makes no difference. cp writes 128 KiB at a time too.
 */
export const LOCAL_WRITE_BYTES = 128 * 1024;
/** What one read(2) of a local source takes by default: one 2 MiB WRITE's worth (protocol's write-stream.ts measured it). */
const LOCAL_READ_BYTES = 2 * 1024 * 1024;

/**
 * The read size for an upload whose WRITEs carry `writeChunk` bytes: one read per WRITE (1 MiB
 * on a sealed session keeps its peak RSS where it was: 77-79 MiB, against 88 with 2 MiB reads),
 * but never under 1 MiB: SMB1's ~124 KiB WRITE_ANDX would cost a thread-pool read each.
 */
export function uploadReadBytes(writeChunk: number | undefined): number {
  return Math.max(CHUNK, writeChunk ?? LOCAL_READ_BYTES);
}
/** Enough for the SMB write stream's window (4 WRITEs) plus the chunks buffered in the streams. */
const READER_POOLED_BUFFERS = 8;

/**
 * Writes to `fh` from `start` on, in order. It never closes the handle: the caller opened it
 * (without following links) and keeps it for the checks after the copy. (fs streams over a
 * FileHandle close it when destroyed, and FileHandle.close() waits for them: neither fits.)
 */
export function handleWriter(fh: FileHandle, start: number): Writable {
  let position = start;
  return new Writable({
    highWaterMark: CHUNK,
    write(chunk: Buffer, _enc, cb) {
      const writeAll = async (): Promise<void> => {
        for (let off = 0; off < chunk.length; ) {
          const { bytesWritten } = await fh.write(chunk, off, Math.min(LOCAL_WRITE_BYTES, chunk.length - off), position);
          off += bytesWritten;
          position += bytesWritten;
        }
        // On disk: a pooled READ buffer can take the next answer (see protocol's buffer-pool.ts).
        releaseBuffer(chunk);
      };
      writeAll().then(() => cb(), cb);
    },
  });
}

/** Reads `fh` from `start` to its end, without closing it (see handleWriter). */
export function handleReader(fh: FileHandle, start: number, chunkSize = LOCAL_READ_BYTES): Readable {
  let position = start;
  // Buffers come back when a sink that knows they are spent releases them (the SMB write stream,
  // once the WRITE is acknowledged); a consumer that does not release them leaves them to the GC.
  const pool = new BufferPool(READER_POOLED_BUFFERS);
  return new Readable({
    highWaterMark: chunkSize,
    read() {
      const buf = pool.take(chunkSize, 'bytes');
      fh.read(buf, 0, chunkSize, position).then(
        ({ bytesRead }) => {
          BufferPool.setLentBytes(buf, bytesRead);
          if (bytesRead === 0) return void this.push(null);
          position += bytesRead;
          this.push(buf.subarray(0, bytesRead));
        },
        (e: Error) => this.destroy(e),
      );
    },
  });
}
