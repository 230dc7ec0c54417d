// Watching a folder, whatever the dialect (SMB2 CHANGE_NOTIFY, MS-SMB2 3.2.4.19: smb2-directory-watch.ts;
// SMB1 NT_TRANSACT_NOTIFY_CHANGE, MS-CIFS 3.2.4.39: smb1/client/smb1-directory-watch.ts). The folder
// is opened once, then one request at a time is sent on its handle; each answer becomes one batch
// for the caller and the next request goes out when the caller asks for the next batch (the server
// keeps collecting changes on the open in between, MS-FSA 2.1.5.11, MS-CIFS 3.3.5.59.4, so none is
// lost while the caller works).
//
// The server holds the request until something changes, which may be never: the dialect sends it
// as a long poll, free of the usual deadline. The caller ends it by returning the iterator or
// aborting its signal: the request is cancelled (SMB2 CANCEL / SMB_COM_NT_CANCEL, answered
// STATUS_CANCELLED) and the handle closed; a close by anyone else completes it with
// STATUS_NOTIFY_CLEANUP. The server drives no loop here: one request per next().
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
} from '../smb2/commands/change-notify.js';
import { NtStatus } from '../smb2/nt-status.js';
import {
  FILE_ACTION_ADDED,
  FILE_ACTION_MODIFIED,
  FILE_ACTION_REMOVED,
  FILE_ACTION_RENAMED_NEW_NAME,
  FILE_ACTION_RENAMED_OLD_NAME,
  type FileNotifyInformation,
} from '../fscc/file-notify-information.js';
import { checkEntryName } from './directory-listing.js';
import type { DirectoryChange, DirectoryChanges, WatchDirectoryOptions } from './types.js';

/**
 * What a file browser shows: names, attributes, sizes and modification times (MS-SMB2 2.2.35;
 * MS-CIFS 2.2.7.4.1 gives NT_TRANSACT_NOTIFY_CHANGE's CompletionFilter the same values).
 */
export const WATCH_COMPLETION_FILTER =
  FILE_NOTIFY_CHANGE_FILE_NAME | FILE_NOTIFY_CHANGE_DIR_NAME | FILE_NOTIFY_CHANGE_ATTRIBUTES | FILE_NOTIFY_CHANGE_SIZE | FILE_NOTIFY_CHANGE_LAST_WRITE;

/** The statuses a watch request may end with besides an error: the driver passes them on. */
export const WATCH_ACCEPTED: readonly number[] = [NtStatus.STATUS_SUCCESS, NtStatus.STATUS_NOTIFY_ENUM_DIR, NtStatus.STATUS_CANCELLED, NtStatus.STATUS_NOTIFY_CLEANUP];

/** One answer: its status (one of WATCH_ACCEPTED) and, on success, the entries it listed. */
export interface WatchAnswer {
  status: number;
  entries: () => FileNotifyInformation[];
}

/** What a dialect provides: open the folder, one request on it, close it. */
export interface WatchDriver<H> {
  open(): Promise<H>;
  /** One request; `stop` aborting cancels it (bounded by the connection's deadline). */
  request(dir: H, stop: AbortSignal): Promise<WatchAnswer>;
  /** Only called while the connection is open; failures are ignored. */
  close(dir: H): Promise<void>;
  readonly connectionClosed: boolean;
  /** The command's name in errors (e.g. CHANGE_NOTIFY, SMB_COM_NT_TRANSACT). */
  readonly command: string;
  where(dir: H): string;
}

const DONE: IteratorReturnResult<undefined> = { done: true, value: undefined };

export class DirectoryWatch<H> implements AsyncIterableIterator<DirectoryChanges> {
  private readonly stop = new AbortController();
  private dir: Promise<H> | undefined;
  /** next() calls run one after the other: one request in flight at most. */
  private queue: Promise<unknown> = Promise.resolve();
  private finished = false;
  private readonly onAbort = (): void => void this.return();

  constructor(
    private readonly driver: WatchDriver<H>,
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
      const dir = await (this.dir ??= this.driver.open());
      if (this.stop.signal.aborted) return await this.finish().then(() => DONE);
      const changes = this.interpret(dir, await this.driver.request(dir, this.stop.signal));
      if (changes === undefined) await this.finish();
      return changes === undefined ? DONE : { done: false, value: changes };
    } catch (e) {
      await this.finish();
      throw e;
    }
  }

  /** One answer as a batch, or undefined when the watch is over (we cancelled it, or the handle was closed). */
  private interpret(dir: H, answer: WatchAnswer): DirectoryChanges | undefined {
    const { status } = answer;
    if (status === NtStatus.STATUS_NOTIFY_CLEANUP) return undefined;
    if (status === NtStatus.STATUS_CANCELLED) {
      if (this.stop.signal.aborted) return undefined;
      // Someone else cancelled it (the server shutting the tree down): say so rather than end quietly.
      throw new SmbStatusError(status, { command: this.driver.command, operation: 'watch', path: this.driver.where(dir) });
    }
    if (status === NtStatus.STATUS_NOTIFY_ENUM_DIR) return { overflow: true, changes: [] };
    const entries = answer.entries();
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
    if (dir !== undefined && !this.driver.connectionClosed) await this.driver.close(dir).catch(() => undefined);
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
