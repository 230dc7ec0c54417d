// Watching a folder (MS-SMB2 3.2.4.19 CHANGE_NOTIFY): the folder is opened once, then one
// CHANGE_NOTIFY at a time is sent on its handle; each answer becomes one batch for the caller and the
// next request goes out when the caller asks for the next batch (the server keeps collecting changes
// on the open in between, MS-FSA 2.1.5.11, so none is lost while the caller works).
//
// The server answers STATUS_PENDING and holds the request until something changes (3.3.5.19), which
// may be never: it is sent as a long poll (Smb2Request.untilAborted), free of the pending limit. The
// caller ends it by returning the iterator or aborting its signal: the request is cancelled (SMB2
// CANCEL with the AsyncId, answered STATUS_CANCELLED) and the handle closed; a close by anyone else
// completes it with STATUS_NOTIFY_CLEANUP. The server drives no loop here: one request per next().
//
// Not an async generator on purpose: a generator's return() waits for its pending await, which for
// a watch is the next change; this iterator's return() cancels that request instead.
import { MalformedMessageError, SmbStatusError } from '../errors.js';
import {
  FILE_NOTIFY_CHANGE_ATTRIBUTES,
  FILE_NOTIFY_CHANGE_DIR_NAME,
  FILE_NOTIFY_CHANGE_FILE_NAME,
  FILE_NOTIFY_CHANGE_LAST_WRITE,
  FILE_NOTIFY_CHANGE_SIZE,
  SMB2_WATCH_TREE,
  decodeChangeNotifyResponse,
  encodeChangeNotifyRequest,
} from '../smb2/commands/change-notify.js';
import { Smb2Command, commandName } from '../smb2/constants.js';
import { FILE_DIRECTORY_FILE, FILE_LIST_DIRECTORY, FILE_OPEN, FILE_READ_ATTRIBUTES, SYNCHRONIZE } from '../smb2/create-constants.js';
import { NtStatus } from '../smb2/nt-status.js';
import type { Smb2Response } from '../smb2/connection.js';
import {
  FILE_ACTION_ADDED,
  FILE_ACTION_MODIFIED,
  FILE_ACTION_REMOVED,
  FILE_ACTION_RENAMED_NEW_NAME,
  FILE_ACTION_RENAMED_OLD_NAME,
  decodeFileNotifyInformation,
} from '../fscc/file-notify-information.js';
import { checkEntryName } from './directory-listing.js';
import { closeFile, displayPath, openFile, type OpenFile } from './file-handle.js';
import { onTree, type TreeContext } from './tree-context.js';
import type { DirectoryChange, DirectoryChanges, WatchDirectoryOptions } from './types.js';

/** What a file browser shows: names, attributes, sizes and modification times. */
const COMPLETION_FILTER =
  FILE_NOTIFY_CHANGE_FILE_NAME | FILE_NOTIFY_CHANGE_DIR_NAME | FILE_NOTIFY_CHANGE_ATTRIBUTES | FILE_NOTIFY_CHANGE_SIZE | FILE_NOTIFY_CHANGE_LAST_WRITE;
/** One credit's worth; more changes than fit come back as STATUS_NOTIFY_ENUM_DIR ("list again"). */
const NOTIFY_BUFFER = 64 * 1024;

const WATCH_OPEN = {
  desiredAccess: FILE_LIST_DIRECTORY | FILE_READ_ATTRIBUTES | SYNCHRONIZE,
  createDisposition: FILE_OPEN,
  createOptions: FILE_DIRECTORY_FILE,
  operation: 'watch',
};

const ACCEPTED: readonly number[] = [NtStatus.STATUS_SUCCESS, NtStatus.STATUS_NOTIFY_ENUM_DIR, NtStatus.STATUS_CANCELLED, NtStatus.STATUS_NOTIFY_CLEANUP];
const DONE: IteratorReturnResult<undefined> = { done: true, value: undefined };

export class Smb2DirectoryWatch implements AsyncIterableIterator<DirectoryChanges> {
  private readonly stop = new AbortController();
  private dir: Promise<OpenFile> | undefined;
  /** next() calls run one after the other: one CHANGE_NOTIFY in flight at most. */
  private queue: Promise<unknown> = Promise.resolve();
  private finished = false;
  private readonly onAbort = (): void => void this.return();

  constructor(
    private readonly t: TreeContext,
    private readonly path: string,
    private readonly opts: WatchDirectoryOptions = {},
  ) {
    if (opts.signal?.aborted) this.stop.abort();
    else opts.signal?.addEventListener('abort', this.onAbort, { once: true });
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  next(): Promise<IteratorResult<DirectoryChanges, undefined>> {
    const step = this.queue.then(() => this.step());
    this.queue = step.catch(() => undefined);
    return step;
  }

  /** Cancels the request in flight (bounded by the connection's deadline) and closes the folder. */
  async return(): Promise<IteratorReturnResult<undefined>> {
    this.stop.abort();
    await this.queue;
    await this.finish();
    return DONE;
  }

  private async step(): Promise<IteratorResult<DirectoryChanges, undefined>> {
    if (this.finished) return DONE;
    if (this.stop.signal.aborted) return this.finish().then(() => DONE);
    try {
      const dir = await (this.dir ??= openFile(this.t, this.path, WATCH_OPEN));
      if (this.stop.signal.aborted) return await this.finish().then(() => DONE);
      const asked = Math.min(NOTIFY_BUFFER, this.t.maxTransact);
      const res = await this.request(dir, asked);
      const changes = this.interpret(dir, res, asked);
      if (changes === undefined) await this.finish();
      return changes === undefined ? DONE : { done: false, value: changes };
    } catch (e) {
      await this.finish();
      throw e;
    }
  }

  private request(dir: OpenFile, outputBufferLength: number): Promise<Smb2Response> {
    const body = encodeChangeNotifyRequest({ flags: this.opts.recursive ? SMB2_WATCH_TREE : 0, outputBufferLength, fileId: dir.fileId, completionFilter: COMPLETION_FILTER });
    const req = { command: Smb2Command.CHANGE_NOTIFY, body: [body], payloadSize: outputBufferLength, operation: 'watch', path: this.where(dir), untilAborted: this.stop.signal };
    return this.t.conn.call(onTree(this.t, req), ACCEPTED);
  }

  /** One answer as a batch, or undefined when the watch is over (we cancelled it, or the handle was closed). */
  private interpret(dir: OpenFile, res: Smb2Response, asked: number): DirectoryChanges | undefined {
    const status = res.header.status;
    if (status === NtStatus.STATUS_NOTIFY_CLEANUP) return undefined;
    if (status === NtStatus.STATUS_CANCELLED) {
      if (this.stop.signal.aborted) return undefined;
      // Someone else cancelled it (the server shutting the tree down): say so rather than end quietly.
      throw new SmbStatusError(status, { command: commandName(Smb2Command.CHANGE_NOTIFY), operation: 'watch', path: this.where(dir) });
    }
    if (status === NtStatus.STATUS_NOTIFY_ENUM_DIR) return { overflow: true, changes: [] };
    const { buffer } = decodeChangeNotifyResponse(res.msg);
    // MS-SMB2 2.2.35: OutputBufferLength is the most the server may return.
    if (buffer.length > asked) throw new MalformedMessageError('CHANGE_NOTIFY response', 'OutputBufferLength', `${buffer.length} bytes, asked at most ${asked}`);
    const entries = decodeFileNotifyInformation(buffer);
    // MS-CIFS 3.2.5.40.3: success listing nothing means the server cannot say what changed.
    if (entries.length === 0) return { overflow: true, changes: [] };
    return { overflow: false, changes: entries.map((e) => ({ action: actionName(e.action), name: this.checkName(e.fileName) })) };
  }

  /** Server text is data: a relative name of real components, one of them unless the watch is recursive. */
  private checkName(name: string): string {
    const parts = name.split('\\');
    if (!this.opts.recursive && parts.length > 1) {
      throw new MalformedMessageError('FILE_NOTIFY_INFORMATION', 'FileName', `a path in a watch of one folder: ${JSON.stringify(name)}`);
    }
    for (const part of parts) {
      checkEntryName(part, 'FILE_NOTIFY_INFORMATION');
      if (part === '.' || part === '..') throw new MalformedMessageError('FILE_NOTIFY_INFORMATION', 'FileName', `not a file name: ${JSON.stringify(name)}`);
    }
    return name;
  }

  private async finish(): Promise<void> {
    if (this.finished) return;
    this.finished = true;
    this.opts.signal?.removeEventListener('abort', this.onAbort);
    const dir = await this.dir?.catch(() => undefined);
    if (dir && !this.t.conn.closed) await closeFile(this.t, dir.fileId).catch(() => undefined);
  }

  private where(dir: OpenFile): string {
    return displayPath(this.t, dir.path);
  }
}

/** MS-FSCC 2.7.1 Action → what changed; stream and object-id actions are a change of the file. */
function actionName(action: number): DirectoryChange['action'] {
  switch (action) {
    case FILE_ACTION_ADDED:
      return 'added';
    case FILE_ACTION_REMOVED:
      return 'removed';
    case FILE_ACTION_RENAMED_OLD_NAME:
      return 'renamed-from';
    case FILE_ACTION_RENAMED_NEW_NAME:
      return 'renamed-to';
    case FILE_ACTION_MODIFIED:
    default:
      return 'modified';
  }
}

