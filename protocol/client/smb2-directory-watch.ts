// Watching a folder on SMB 2/3 (MS-SMB2 3.2.4.19 CHANGE_NOTIFY) through DirectoryWatch
// (directory-watch.ts: one request per next(), batches, ending and errors, the same for SMB1).
//
// The server answers STATUS_PENDING and holds the request until something changes (3.3.5.19), which
// may be never: it is sent as a long poll (Smb2Request.untilAborted), free of the pending limit.
// Ending the watch cancels it (SMB2 CANCEL with the AsyncId, answered STATUS_CANCELLED).
import { MalformedMessageError } from '../errors.js';
import { SMB2_WATCH_TREE, decodeChangeNotifyResponse, encodeChangeNotifyRequest } from '../smb2/commands/change-notify.js';
import { Smb2Command, commandName } from '../smb2/constants.js';
import { FILE_DIRECTORY_FILE, FILE_LIST_DIRECTORY, FILE_OPEN, FILE_READ_ATTRIBUTES, SYNCHRONIZE } from '../smb2/create-constants.js';
import { decodeFileNotifyInformation } from '../fscc/file-notify-information.js';
import { DirectoryWatch, WATCH_ACCEPTED, WATCH_COMPLETION_FILTER, type WatchAnswer, type WatchDriver } from './directory-watch.js';
import { closeFile, displayPath, openFile, type OpenFile } from './file-handle.js';
import { onTree, type TreeContext } from './tree-context.js';
import type { WatchDirectoryOptions } from './types.js';

/** One credit's worth; more changes than fit come back as STATUS_NOTIFY_ENUM_DIR ("list again"). */
const NOTIFY_BUFFER = 64 * 1024;

const WATCH_OPEN = {
  desiredAccess: FILE_LIST_DIRECTORY | FILE_READ_ATTRIBUTES | SYNCHRONIZE,
  createDisposition: FILE_OPEN,
  createOptions: FILE_DIRECTORY_FILE,
  operation: 'watch',
};

class Smb2WatchDriver implements WatchDriver<OpenFile> {
  readonly command = commandName(Smb2Command.CHANGE_NOTIFY);

  constructor(
    private readonly t: TreeContext,
    private readonly path: string,
    private readonly recursive: boolean,
  ) {}

  get connectionClosed(): boolean {
    return this.t.conn.closed;
  }

  open(): Promise<OpenFile> {
    return openFile(this.t, this.path, WATCH_OPEN);
  }

  async request(dir: OpenFile, stop: AbortSignal): Promise<WatchAnswer> {
    const asked = Math.min(NOTIFY_BUFFER, this.t.maxTransact);
    const body = encodeChangeNotifyRequest({ flags: this.recursive ? SMB2_WATCH_TREE : 0, outputBufferLength: asked, fileId: dir.fileId, completionFilter: WATCH_COMPLETION_FILTER });
    const req = { command: Smb2Command.CHANGE_NOTIFY, body: [body], payloadSize: asked, operation: 'watch', path: this.where(dir), untilAborted: stop };
    const res = await this.t.conn.call(onTree(this.t, req), WATCH_ACCEPTED);
    const entries = () => {
      const { buffer } = decodeChangeNotifyResponse(res.msg);
      // MS-SMB2 2.2.35: OutputBufferLength is the most the server may return.
      if (buffer.length > asked) throw new MalformedMessageError('CHANGE_NOTIFY response', 'OutputBufferLength', `${buffer.length} bytes, asked at most ${asked}`);
      return decodeFileNotifyInformation(buffer);
    };
    return { status: res.header.status, entries };
  }

  close(dir: OpenFile): Promise<void> {
    return closeFile(this.t, dir.fileId);
  }

  where(dir: OpenFile): string {
    return displayPath(this.t, dir.path);
  }
}

export class Smb2DirectoryWatch extends DirectoryWatch<OpenFile> {
  constructor(t: TreeContext, path: string, opts: WatchDirectoryOptions = {}) {
    super(new Smb2WatchDriver(t, path, opts.recursive ?? false), opts);
  }
}
