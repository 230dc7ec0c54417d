// A connected SMB 2/3 share (MS-SMB2 3.2.4.2.4 TREE_CONNECT) behind the SmbTree interface.
import { encodeTreeDisconnectRequest } from '../smb2/commands/tree-disconnect.js';
import { Smb2Command } from '../smb2/constants.js';
import { FILE_OPEN, FILE_READ_ATTRIBUTES, SYNCHRONIZE } from '../smb2/create-constants.js';
import { listDirectory, readDirectory } from './directory-listing.js';
import type { DurableHandle, FileHandle, OpenOptions, SmbTree } from './api.js';
import { COMPOUND_IO_LIMIT, readSmall, writeSmall } from './compound-io.js';
import { withFile } from './file-handle.js';
import { openSmb2Handle, reclaimSmb2Handle } from './smb2-file-handle.js';
import { makeDirectory, removeDirectory, removeFile, renameEntry, setFileTimes, truncateFile } from './file-operations.js';
import { defaultReadChunk, SmbReadStream } from './read-stream.js';
import { treeCall, type TreeContext } from './tree-context.js';
import { defaultWriteChunk, SmbWriteStream } from './write-stream.js';
import type { DirEntry, FileStat, ListDirectoryOptions, ReadStreamOptions, SetTimesOptions, SpaceInfo, WatchDirectoryOptions, WriteStreamOptions } from './types.js';
import { Smb2DirectoryWatch } from './smb2-directory-watch.js';
import { shareSpace, statOpenFile } from './info-queries.js';

export class Smb2Tree implements SmbTree {
  private disconnected = false;

  constructor(private readonly t: TreeContext) {}

  get share(): string {
    return this.t.share;
  }

  /** MS-SMB2 2.2.10 MaximalAccess of the TREE_CONNECT response (3.2.5.5: kept as TreeConnect.MaximalAccess). */
  get maximalAccess(): number | undefined {
    return this.t.maximalAccess;
  }

  open(path: string, opts?: OpenOptions): Promise<FileHandle> {
    return openSmb2Handle(this.t, path, opts);
  }

  reclaim(durable: DurableHandle): Promise<FileHandle> {
    return reclaimSmb2Handle(this.t, durable);
  }

  /** Every entry of a folder, in the server's order (`.` and `..` left out). */
  readdir(path: string, opts?: ListDirectoryOptions): Promise<DirEntry[]> {
    return readDirectory(this.t, path, opts);
  }

  /** A folder's entries in batches as the server sends them; stop early with `break`. */
  listDirectory(path: string, opts?: ListDirectoryOptions): AsyncIterable<DirEntry[]> {
    return listDirectory(this.t, path, opts);
  }

  /** Changes to a folder as the server reports them (CHANGE_NOTIFY), until returned or aborted. */
  watchDirectory(path: string, opts?: WatchDirectoryOptions): Smb2DirectoryWatch {
    return new Smb2DirectoryWatch(this.t, path, opts);
  }

  /** One CREATE + CLOSE: CREATE's response already carries times, sizes and attributes. */
  stat(path: string): Promise<FileStat> {
    const open = { desiredAccess: FILE_READ_ATTRIBUTES | SYNCHRONIZE, createDisposition: FILE_OPEN, createOptions: 0, operation: 'stat' };
    return withFile(this.t, path, open, async (f) => f.stat);
  }

  /** stat through QUERY_INFO on an open handle (MS-SMB2 3.2.4.14): what the server reports now. */
  queryInfo(path: string): Promise<FileStat> {
    const open = { desiredAccess: FILE_READ_ATTRIBUTES | SYNCHRONIZE, createDisposition: FILE_OPEN, createOptions: 0, operation: 'stat' };
    return withFile(this.t, path, open, (f) => statOpenFile(this.t, f));
  }

  /** The share's total and free space. */
  statfs(): Promise<SpaceInfo> {
    return shareSpace(this.t);
  }

  /** Small files in one round trip (CREATE + READ + CLOSE compounded); the rest of a larger one streams. */
  async readFile(path: string): Promise<Buffer> {
    const first = await readSmall(this.t, path);
    if (first.data.length >= first.stat.size) return first.data;
    const parts: Buffer[] = [first.data];
    for await (const chunk of this.createReadStream(path, { start: first.data.length })) parts.push(chunk as Buffer);
    return Buffer.concat(parts);
  }

  /** Small data in one round trip (CREATE + WRITE + CLOSE compounded); larger data streams. */
  async writeFile(path: string, data: Buffer, opts: WriteStreamOptions = {}): Promise<void> {
    let start = 0;
    if (opts.start === undefined && !opts.flush && data.length <= Math.min(COMPOUND_IO_LIMIT, this.t.maxWrite)) {
      start = await writeSmall(this.t, path, data, opts.overwrite !== false);
      if (start === data.length) return;
    }
    const ws = this.createWriteStream(path, start > 0 ? { ...opts, start } : opts);
    // end()'s callback also runs on failure, so wait for 'finish' or 'error' explicitly.
    await new Promise<void>((resolve, reject) => {
      ws.once('error', reject);
      ws.once('finish', resolve);
      ws.end(data.subarray(start));
    });
  }

  createReadStream(path: string, opts?: ReadStreamOptions): SmbReadStream {
    // A reader shares only reading: a file being written does not stream out half-written.
    const sized = { chunkSize: defaultReadChunk(this.t.sealed), ...opts };
    return new SmbReadStream(() => openSmb2Handle(this.t, path, { access: 'read', share: 'read' }), this.t.maxRead, sized);
  }

  createWriteStream(path: string, opts?: WriteStreamOptions): SmbWriteStream {
    const sized = { chunkSize: defaultWriteChunk(this.t.sealed), ...opts };
    return new SmbWriteStream((how) => openSmb2Handle(this.t, path, how), this.t.maxWrite, sized);
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
    return truncateFile(this.t, path, size);
  }

  setTimes(path: string, times: SetTimesOptions): Promise<void> {
    return setFileTimes(this.t, path, times);
  }

  async disconnect(): Promise<void> {
    if (this.disconnected || this.t.conn.closed) return;
    this.disconnected = true;
    await treeCall(this.t, { command: Smb2Command.TREE_DISCONNECT, body: [encodeTreeDisconnectRequest()], operation: 'tree disconnect' });
  }
}
