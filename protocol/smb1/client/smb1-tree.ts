// A connected SMB1 share (MS-CIFS 3.2.4.4 TREE_CONNECT_ANDX) behind the SmbTree interface. Streams
// are the dialect-independent ones, built on Smb1FileHandle.
import type { DurableHandle, FileHandle, OpenOptions, SmbTree } from '../../client/api.js';
import { SmbReadStream } from '../../client/read-stream.js';
import { SmbWriteStream } from '../../client/write-stream.js';
import type {
  DirEntry,
  DirectoryChanges,
  FileStat,
  ListDirectoryOptions,
  SetTimesOptions,
  SpaceInfo,
  WatchDirectoryOptions,
  WriteStreamOptions,
  ReadStreamOptions,
} from '../../client/types.js';
import { SmbError } from '../../errors.js';
import { Smb1Command } from '../constants.js';
import { ioLimits } from '../negotiate-exchange.js';
import { decodeEmptyResponse, encodeTreeDisconnectRequest } from '../commands/simple.js';
import {
  makeDirectory,
  openForWriteAttributes,
  openForWriteData,
  openSmb1File,
  removeDirectory,
  removeFile,
  renameEntry,
  setSize,
  setTimes,
  shareSpace,
  statPath,
  withOpen,
} from './file-ops.js';
import { listSmb1Directory, readSmb1Directory } from './listing.js';
import { Smb1DirectoryWatch } from './smb1-directory-watch.js';
import { Smb1FileHandle } from './smb1-file-handle.js';
import { treeCall, type Smb1TreeContext } from './tree-context.js';

/** WRITE_ANDX requests in flight per upload (measured on Samba 4.17 loopback, see npm run bench). */
const WRITE_WINDOW = 32;
/**
 * READ_ANDX bytes kept in flight: unsigned, 4 reads of 4 MiB (interleaved runs on Samba NT1, 1 GiB
 * get: 6.7 s with 4, 8.5 s with 2, on a loaded box); signed (124 KiB each), 32 of them, within
 * MaxMpxCount, instead of 4 (496 KiB). The last of them meets its 30 s deadline down to ~4.5 Mbit/s.
 */
const READ_BYTES_IN_FLIGHT = 16 * 1024 * 1024;

export class Smb1Tree implements SmbTree {
  private disconnected = false;
  /**
   * NT_TRANSACT_NOTIFY_CHANGE (MS-CIFS 3.2.4.39) watches a folder opened with NT_CREATE_ANDX, so a
   * server without CAP_NT_SMBS (opened with OPEN_ANDX) has none: then absent, as SmbTree says.
   */
  readonly watchDirectory: ((path: string, opts?: WatchDirectoryOptions) => AsyncIterableIterator<DirectoryChanges>) | undefined;

  constructor(private readonly t: Smb1TreeContext) {
    this.watchDirectory = t.neg.openAndX ? undefined : (path, opts) => new Smb1DirectoryWatch(this.t, path, opts);
  }

  get share(): string {
    return this.t.share;
  }

  async open(path: string, opts?: OpenOptions): Promise<FileHandle> {
    return new Smb1FileHandle(this.t, await openSmb1File(this.t, path, opts));
  }

  /** SMB1 has no durable opens (they are an SMB2 feature, MS-SMB2 3.2.4.4). */
  reclaim(durable: DurableHandle): Promise<FileHandle> {
    return Promise.reject(new SmbError('unsupported', 'SMB1 has no durable handles to reclaim', { operation: 'reclaim', path: durable.path }));
  }

  readdir(path: string, opts?: ListDirectoryOptions): Promise<DirEntry[]> {
    return readSmb1Directory(this.t, path, opts);
  }

  listDirectory(path: string, opts?: ListDirectoryOptions): AsyncIterable<DirEntry[]> {
    return listSmb1Directory(this.t, path, opts);
  }

  /** TRANS2_QUERY_PATH_INFORMATION: one round trip, no handle. */
  stat(path: string): Promise<FileStat> {
    return statPath(this.t, path);
  }

  queryInfo(path: string): Promise<FileStat> {
    return statPath(this.t, path);
  }

  statfs(): Promise<SpaceInfo> {
    return shareSpace(this.t);
  }

  async readFile(path: string): Promise<Buffer> {
    const parts: Buffer[] = [];
    for await (const chunk of this.createReadStream(path)) parts.push(chunk as Buffer);
    return Buffer.concat(parts);
  }

  async writeFile(path: string, data: Buffer, opts?: WriteStreamOptions): Promise<void> {
    const ws = this.createWriteStream(path, opts);
    await new Promise<void>((resolve, reject) => {
      ws.once('error', reject);
      ws.once('finish', resolve);
      ws.end(data);
    });
  }

  createReadStream(path: string, opts?: ReadStreamOptions): SmbReadStream {
    // One READ_ANDX per chunk, as large as the server lets us (the streams' 2 MiB default is SMB2's).
    const maxRead = ioLimits(this.t.neg, this.t.conn.isSigning).maxRead;
    const window = Math.max(2, Math.min(WRITE_WINDOW, this.t.neg.maxMpxCount - 2, Math.floor(READ_BYTES_IN_FLIGHT / maxRead)));
    return new SmbReadStream(() => this.open(path, { access: 'read', share: 'read' }), maxRead, { chunkSize: maxRead, window, ...opts });
  }

  createWriteStream(path: string, opts?: WriteStreamOptions): SmbWriteStream {
    // WRITE_ANDX carries at most 124 KiB (see LARGE_WRITE_MAX), so more of them are kept in flight
    // than the SMB2 default of 3 × 4 MiB: about as many bytes, within MaxMpxCount.
    const window = opts?.window ?? Math.max(1, Math.min(WRITE_WINDOW, this.t.neg.maxMpxCount - 2));
    return new SmbWriteStream((how) => this.open(path, how), ioLimits(this.t.neg, this.t.conn.isSigning).maxWrite, { ...opts, window });
  }

  mkdir(path: string): Promise<void> {
    return makeDirectory(this.t, path);
  }

  rmdir(path: string): Promise<void> {
    return removeDirectory(this.t, path);
  }

  unlink(path: string): Promise<void> {
    return removeFile(this.t, path);
  }

  rename(from: string, to: string, opts: { replace?: boolean } = {}): Promise<void> {
    return renameEntry(this.t, from, to, opts.replace ?? false);
  }

  truncate(path: string, size: number): Promise<void> {
    return withOpen(this.t, path, openForWriteData('truncate'), (f) => setSize(this.t, f, size));
  }

  setTimes(path: string, times: SetTimesOptions): Promise<void> {
    return withOpen(this.t, path, openForWriteAttributes('set times'), (f) => setTimes(this.t, f, times));
  }

  async disconnect(): Promise<void> {
    if (this.disconnected || this.t.conn.closed) return;
    this.disconnected = true;
    const res = await treeCall(this.t, { command: Smb1Command.TREE_DISCONNECT, body: [encodeTreeDisconnectRequest()], operation: 'tree disconnect' });
    decodeEmptyResponse(res.msg, 'SMB_COM_TREE_DISCONNECT Response');
  }
}
