// `sharekeeper put LOCAL REMOTE` — upload one file through main/'s copy engine (uploadFile, the
// same path the transfer queue runs): streamed with back-pressure, written to a partial name on
// the share and renamed over REMOTE only once the server holds every byte. REMOTE may name a
// folder (existing, the share root, or written with a trailing separator): the local base name
// is kept.
import { stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { uploadFile } from '../../../main/transfers/index.js';
import { withTree } from '../connection.js';
import { asLocalError } from '../local-files.js';
import type { Tree } from '../smb-api.js';
import { LocalFileError } from '../usage-error.js';
import type { Command } from './command.js';
import { withOneFileCopy } from './one-file.js';
import { endsWithSeparator, remote, statIfExists, type RemoteFile } from './remote.js';

export const putCommand: Command = {
  name: 'put',
  usage: 'put LOCAL //HOST/SHARE[/PATH]',
  summary: 'upload a file (replaces an existing remote file; REMOTE may be a folder)',
  details: [
    'The file is written as .NAME.sharekeeper-partial-XXXX beside the destination and renamed only when',
    'the server holds all of it; on failure nothing is left under the final name.',
    'A progress bar is drawn on stderr when it is a terminal (--no-progress turns it off).',
  ],
  minArgs: 2,
  maxArgs: 2,
  options: ['no-progress'],
  handlesSignals: true,
  async run(ctx, [local, where]) {
    const localPath = local as string;
    const info = await stat(localPath).catch((e: unknown) => {
      throw asLocalError(e, localPath);
    });
    if (!info.isFile()) throw new LocalFileError(`${localPath} is not a regular file`, localPath);
    const dst = remote(where as string, { needPath: false });
    await withOneFileCopy(ctx, (copy) =>
      withTree(ctx, dst.target, async (tree) => {
        const path = await remoteDestination(tree, dst, where as string, basename(localPath));
        const done = await copy({ label: basename(localPath), localPath, localPartial: false, run: (opts) => uploadFile(tree, localPath, path, opts) });
        ctx.logger.log(1, `wrote ${done.path} (${done.bytes} bytes)`);
      }),
    );
  },
};

async function remoteDestination(tree: Tree, dst: RemoteFile, typed: string, localName: string): Promise<string> {
  if (dst.path === '' || endsWithSeparator(typed)) return joinRemote(dst.path, localName);
  const existing = await statIfExists(tree, dst.path);
  return existing?.type === 'directory' ? joinRemote(dst.path, localName) : dst.path;
}

export function joinRemote(dir: string, name: string): string {
  return dir === '' ? name : `${dir}/${name}`;
}
