// An open SMB 2/3 file (MS-SMB2 3.2.4.3 CREATE … 3.2.4.5 CLOSE) behind the dialect-independent
// FileHandle: positional READ/WRITE, QUERY_INFO, SET_INFO, FLUSH, CLOSE on one FileId; durable
// opens (3.2.4.3.5) with their batch oplock acknowledged when broken, and reclaimed after a drop.
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
  SMB2_OPLOCK_LEVEL_BATCH,
  SMB2_OPLOCK_LEVEL_NONE,
  SYNCHRONIZE,
} from '../smb2/create-constants.js';
import { randomBytes } from 'node:crypto';
import { durableGrant, durableReconnectV1, durableReconnectV2, durableRequestV1, durableRequestV2 } from '../smb2/commands/durable-contexts.js';
import { encodeOplockBreakAck } from '../smb2/commands/oplock-break.js';
import { Dialect, Smb2Command } from '../smb2/constants.js';
import type { DurableHandle, FileHandle, OpenOptions, SetInfoOptions } from './api.js';
import { closeFile, displayPath, openFile, type OpenFile, type OpenRequest } from './file-handle.js';
import { ioChunkSize, readAt, writeAt } from './file-io.js';
import { defaultReadChunk } from './read-stream.js';
import { defaultWriteChunk } from './write-stream.js';
import { deleteOnCloseOf, setSizeOf, setTimesOf } from './file-operations.js';
import { flushFile, statOpenFile } from './info-queries.js';
import { treeCall, type TreeContext } from './tree-context.js';
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

/** The CREATE fields for what the caller will do (also what a reclaim must repeat). */
function openRequest(opts: OpenOptions, disposition: number): OpenRequest {
  const access = opts.access ?? 'read';
  const share = opts.share ?? (access === 'read' ? 'all' : 'read');
  return {
    desiredAccess: accessMask(opts),
    createDisposition: disposition,
    createOptions: FILE_NON_DIRECTORY_FILE,
    shareAccess: share === 'all' ? FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE : share === 'read' ? FILE_SHARE_READ : 0,
    operation: access === 'read' ? 'open' : 'create',
    ...(opts.signal ? { untilAborted: opts.signal } : {}),
  };
}

export async function openSmb2Handle(t: TreeContext, path: string, opts: OpenOptions = {}): Promise<Smb2FileHandle> {
  const o = openRequest(opts, DISPOSITIONS[opts.disposition ?? 'open']);
  if (!opts.durable) return new Smb2FileHandle(t, await openFile(t, path, o), undefined);
  // MS-SMB2 3.2.4.3.5: a durable open asks for a batch oplock too (a server grants durability only
  // with one, or with a handle lease), and the v2 context from 3.0 on, v1 before.
  const createGuid = randomBytes(16);
  const v2 = t.dialect >= Dialect.SMB3_00;
  const f = await openFile(t, path, { ...o, oplockLevel: SMB2_OPLOCK_LEVEL_BATCH, contexts: [v2 ? durableRequestV2(createGuid) : durableRequestV1()] });
  const grant = durableGrant(f.contexts);
  // What a reclaim repeats: the same open, without this call's signal.
  const { signal: _signal, ...open } = opts;
  const durable = grant && { version: grant.version, path: f.path, fileId: f.fileId, createGuid, timeoutMs: grant.timeoutMs, open };
  return new Smb2FileHandle(t, f, durable);
}

/** MS-SMB2 3.2.4.4: the same CREATE again, with the reconnect context naming the old open. */
export async function reclaimSmb2Handle(t: TreeContext, d: DurableHandle): Promise<Smb2FileHandle> {
  const o = openRequest(d.open, FILE_OPEN);
  const contexts = [d.version === 2 ? durableReconnectV2(d.fileId, d.createGuid) : durableReconnectV1(d.fileId)];
  const f = await openFile(t, d.path, { ...o, operation: 'reclaim', oplockLevel: SMB2_OPLOCK_LEVEL_BATCH, contexts });
  return new Smb2FileHandle(t, f, { ...d, fileId: f.fileId });
}

export class Smb2FileHandle implements FileHandle {
  private closing: Promise<void> | undefined;
  private readonly unwatch: (() => void) | undefined;

  constructor(
    private readonly t: TreeContext,
    private readonly f: OpenFile,
    readonly durable: DurableHandle | undefined,
  ) {
    if (f.oplockLevel !== SMB2_OPLOCK_LEVEL_NONE) this.unwatch = t.conn.watchOplock(f.fileId, (level) => this.acknowledgeBreak(level));
  }

  /**
   * MS-SMB2 3.2.5.19.1: acknowledge with the level the server broke to. We cache nothing on the
   * client side beyond WRITEs already sent, so there is nothing to flush first.
   */
  private acknowledgeBreak(level: number): void {
    treeCall(this.t, {
      command: Smb2Command.OPLOCK_BREAK,
      body: [encodeOplockBreakAck({ oplockLevel: level, fileId: this.f.fileId })],
      operation: 'oplock break',
      path: displayPath(this.t, this.f.path),
    }).catch(() => undefined); // the handle may be closing; the server then drops the oplock itself
  }

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

  get readChunk(): number {
    return ioChunkSize(this.t.maxRead, defaultReadChunk(this.t.sealed));
  }

  get writeChunk(): number {
    return ioChunkSize(this.t.maxWrite, defaultWriteChunk(this.t.sealed));
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
    this.unwatch?.();
    this.closing ??= closeFile(this.t, this.f.fileId);
    return this.closing;
  }
}
