// Watching a folder on SMB1 (MS-CIFS 3.2.4.39: SMB_COM_NT_TRANSACT with NT_TRANSACT_NOTIFY_CHANGE,
// 2.2.7.4) through DirectoryWatch (client/directory-watch.ts: one request per next(), batches,
// ending and errors, the same as SMB2's).
//
// The folder is opened with NT_CREATE_ANDX (2.2.4.64) and its FID named in each request. The server
// holds the request until a change matches, or an NT_CANCEL with its MID, PID, UID and TID arrives
// (3.2.4.39, 2.2.4.65): it is sent as a long poll (Smb1Request.untilAborted), without a deadline
// until the watch ends; then the cancel's answer has the connection's usual deadline.
import { DirectoryWatch, WATCH_ACCEPTED, WATCH_COMPLETION_FILTER, type WatchAnswer, type WatchDriver } from '../../client/directory-watch.js';
import type { WatchDirectoryOptions } from '../../client/types.js';
import { FILE_OPEN, Smb1Command, smb1CommandName } from '../constants.js';
import { decodeNotifyChangeResult, encodeNotifyChangeRequest, notifyChangeAnswer } from '../commands/nt-transact-notify-change.js';
import { closeSmb1File, ntCreate, type Smb1OpenFile } from './file-ops.js';
import { display, treeCall, type Smb1TreeContext } from './tree-context.js';
// NT_CREATE_ANDX takes the access, share and option bits MS-SMB2 2.2.13 names (MS-CIFS 2.2.4.64.1).
import {
  FILE_DIRECTORY_FILE,
  FILE_LIST_DIRECTORY,
  FILE_READ_ATTRIBUTES,
  FILE_SHARE_DELETE,
  FILE_SHARE_READ,
  FILE_SHARE_WRITE,
  SYNCHRONIZE,
} from '../../smb2/create-constants.js';

/**
 * The server's change buffer and the most one answer carries (MaxParameterCount, 2.2.7.4). As on
 * SMB2, 64 KiB less room for the header and Words, so an answer fits one message of the MaxBufferSize
 * we announce (0xFFFF); more changes than fit come back as STATUS_NOTIFY_ENUM_DIR ("list again").
 */
const NOTIFY_BUFFER = 0xff00;

class Smb1WatchDriver implements WatchDriver<Smb1OpenFile> {
  readonly command = smb1CommandName(Smb1Command.NT_TRANSACT);

  constructor(
    private readonly t: Smb1TreeContext,
    private readonly path: string,
    private readonly recursive: boolean,
  ) {}

  get connectionClosed(): boolean {
    return this.t.conn.closed;
  }

  open(): Promise<Smb1OpenFile> {
    return ntCreate(this.t, this.path, {
      desiredAccess: FILE_LIST_DIRECTORY | FILE_READ_ATTRIBUTES | SYNCHRONIZE,
      shareAccess: FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE,
      createDisposition: FILE_OPEN,
      createOptions: FILE_DIRECTORY_FILE,
      operation: 'watch',
    });
  }

  async request(dir: Smb1OpenFile, stop: AbortSignal): Promise<WatchAnswer> {
    const answer = notifyChangeAnswer(NOTIFY_BUFFER);
    const body = encodeNotifyChangeRequest({ fid: dir.fid, completionFilter: WATCH_COMPLETION_FILTER, watchTree: this.recursive, maxParameterCount: NOTIFY_BUFFER });
    const res = await treeCall(
      this.t,
      { command: Smb1Command.NT_TRANSACT, body: [body], complete: (msg) => answer.push(msg), untilAborted: stop, operation: 'watch', path: this.where(dir) },
      WATCH_ACCEPTED,
    );
    // A success always went through answer.push (Smb1Request.complete), which checked every count.
    return { status: res.status, entries: () => decodeNotifyChangeResult(answer.result()) };
  }

  close(dir: Smb1OpenFile): Promise<void> {
    return closeSmb1File(this.t, dir.fid);
  }

  where(dir: Smb1OpenFile): string {
    return display(this.t, dir.path);
  }
}

export class Smb1DirectoryWatch extends DirectoryWatch<Smb1OpenFile> {
  constructor(t: Smb1TreeContext, path: string, opts: WatchDirectoryOptions = {}) {
    super(new Smb1WatchDriver(t, path, opts.recursive ?? false), opts);
  }
}
