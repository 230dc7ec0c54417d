// An open SMB 2/3 file (MS-SMB2 3.2.4.3 CREATE … 3.2.4.5 CLOSE) behind the dialect-independent
// FileHandle: positional READ/WRITE, QUERY_INFO, SET_INFO, FLUSH, CLOSE on one FileId.
import {
  FILE_CREATE,
  FILE_NON_DIRECTORY_FILE,
  FILE_OPEN,
  FILE_OPEN_IF,
  FILE_OVERWRITE_IF,
  FILE_READ_ATTRIBUTES,
  FILE_READ_DATA,
  FILE_SHARE_DELETE,
  FILE_SHARE_READ,
  FILE_SHARE_WRITE,
  FILE_WRITE_ATTRIBUTES,
  FILE_WRITE_DATA,
  DELETE,
  SYNCHRONIZE,
} from '../smb2/create-constants.js';
import type { FileHandle, OpenOptions, SetInfoOptions } from './api.js';
import { closeFile, openFile, type OpenFile } from './file-handle.js';
import { ioChunkSize, readAt, writeAt } from './file-io.js';
import { deleteOnCloseOf, setSizeOf, setTimesOf } from './file-operations.js';
import { flushFile, statOpenFile } from './info-queries.js';
import type { TreeContext } from './tree-context.js';
import type { FileStat } from './types.js';

const DISPOSITIONS = { open: FILE_OPEN, create: FILE_CREATE, 'open-if': FILE_OPEN_IF, 'overwrite-if': FILE_OVERWRITE_IF } as const;

/** MS-SMB2 2.2.13: what we ask for follows what the caller will do, so read-only shares open for reading. */
function accessMask(opts: OpenOptions): number {
  const access = opts.access ?? 'read';
  const read = FILE_READ_DATA | FILE_READ_ATTRIBUTES | SYNCHRONIZE;
  const write = FILE_WRITE_DATA | FILE_WRITE_ATTRIBUTES | FILE_READ_ATTRIBUTES | SYNCHRONIZE;
  const mask = access === 'read' ? read : access === 'write' ? write : read | write;
  // DELETE lets the same handle be marked delete-on-close (a failed upload removes its partial).
  return opts.mayDelete ? mask | DELETE : mask;
}

export async function openSmb2Handle(t: TreeContext, path: string, opts: OpenOptions = {}): Promise<Smb2FileHandle> {
  const access = opts.access ?? 'read';
  const share = opts.share ?? (access === 'read' ? 'all' : 'read');
  const shareAccess = share === 'all' ? FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE : share === 'read' ? FILE_SHARE_READ : 0;
  const f = await openFile(t, path, {
    desiredAccess: accessMask(opts),
    createDisposition: DISPOSITIONS[opts.disposition ?? 'open'],
    createOptions: FILE_NON_DIRECTORY_FILE,
    shareAccess,
    operation: access === 'read' ? 'open' : 'create',
  });
  return new Smb2FileHandle(t, f);
}

export class Smb2FileHandle implements FileHandle {
  private closing: Promise<void> | undefined;

  constructor(
    private readonly t: TreeContext,
    private readonly f: OpenFile,
  ) {}

  get path(): string {
    return this.f.path;
  }

  get openStat(): FileStat {
    return this.f.stat;
  }

  get maxRead(): number {
    return ioChunkSize(this.t.maxRead, Number.MAX_SAFE_INTEGER);
  }

  get maxWrite(): number {
    return ioChunkSize(this.t.maxWrite, Number.MAX_SAFE_INTEGER);
  }

  readAt(offset: number, length: number): Promise<Buffer> {
    return readAt(this.t, this.f, offset, length);
  }

  writeAt(offset: number, data: Buffer | readonly Buffer[]): Promise<number> {
    return writeAt(this.t, this.f, offset, Buffer.isBuffer(data) ? [data] : data);
  }

  stat(): Promise<FileStat> {
    return statOpenFile(this.t, this.f);
  }

  async setInfo(info: SetInfoOptions): Promise<void> {
    if (info.size !== undefined) await setSizeOf(this.t, this.f, info.size);
    if (info.times) await setTimesOf(this.t, this.f, info.times);
    if (info.deleteOnClose) await deleteOnCloseOf(this.t, this.f);
  }

  flush(): Promise<void> {
    return flushFile(this.t, this.f);
  }

  close(): Promise<void> {
    this.closing ??= closeFile(this.t, this.f.fileId);
    return this.closing;
  }
}
