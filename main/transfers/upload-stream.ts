// A stream (a browser's upload body) to a file on the share, through the same partial as every
// other upload (upload-file.ts): written to `.NAME.sharekeeper-partial-RANDOM` beside the final
// name (created with FILE_CREATE, MS-SMB2 2.2.13, so it is new), size-checked, then renamed into
// place (SET_INFO FileRenameInformation, MS-FSCC 2.4.37; ReplaceIfExists only when overwriting).
// Until the rename nothing is under the final name, and a file already there is untouched; on
// any failure, an aborted body included, the partial is removed (within a deadline; one the
// server did not let us remove is named in the error).
import type { Readable } from 'node:stream';
import type { CopyFileResult } from './copy-file.js';
import { remoteBaseName } from './naming.js';
import { copyThrough, counter } from './run-context.js';
import { assertSafeRemoteName } from './safe-name.js';
import { isCollision, TransferError } from './transfer-errors.js';
import type { TransferTree } from './types.js';
import { leftoverNote, remotePartialPath, remoteStat, removeRemotePartial } from './upload-file.js';

export interface StreamUploadOptions {
  /** Replace a file already under the name (only once the upload is complete). Default false. */
  overwrite?: boolean;
  /** The size the sender announced (Content-Length): fewer or more bytes fail the upload. */
  expectedSize?: number;
  signal?: AbortSignal;
  /** The partial's share path once it is being written. */
  onPartial?: (path: string) => void;
  partialRemoveDeadlineMs?: number;
}

export async function uploadStream(tree: TransferTree, source: Readable, remotePath: string, opts: StreamUploadOptions = {}): Promise<CopyFileResult> {
  const name = remoteBaseName(remotePath);
  if (name === '') throw new TransferError('bad-request', 'an upload needs a file name', remotePath);
  assertSafeRemoteName(name);
  const overwrite = opts.overwrite === true;
  // Asked first so that a taken name fails before the body is sent; the rename asks again.
  const existing = await remoteStat(tree, remotePath);
  if (existing?.type === 'directory') throw new TransferError('not-a-file', `${remotePath} is a folder; it is not replaced by a file`, remotePath);
  if (existing && !overwrite) throw new TransferError('exists', `${remotePath} already exists`, remotePath);
  const partial = remotePartialPath(remotePath);
  let written = 0;
  let started = false;
  try {
    const sink = tree.createWriteStream(partial, { overwrite: false });
    started = true;
    opts.onPartial?.(partial);
    await copyThrough([source, counter((n) => (written += n)), sink], opts.signal ?? new AbortController().signal);
    if (opts.expectedSize !== undefined && written !== opts.expectedSize) {
      throw new TransferError('size-mismatch', `${remotePath}: ${written} bytes arrived, ${opts.expectedSize} were announced`, remotePath);
    }
    const got = (await tree.stat(partial)).size;
    if (got !== written) throw new TransferError('size-mismatch', `${remotePath}: the server has ${got} bytes, we sent ${written}`, remotePath);
    try {
      await tree.rename(partial, remotePath, { replace: overwrite });
    } catch (e) {
      if (isCollision(e) && !overwrite) throw new TransferError('exists', `${remotePath} already exists`, remotePath);
      throw e;
    }
    return { path: remotePath, bytes: written };
  } catch (e) {
    if (started && !(await removeRemotePartial(tree, partial, opts.partialRemoveDeadlineMs)) && e instanceof Error) {
      e.message += leftoverNote({ leftovers: [partial] });
    }
    throw e;
  }
}
