// `sharekeeper put LOCAL REMOTE` — upload one file, streamed with back-pressure (constant memory).
// REMOTE may name a folder (existing, the share root, or written with a trailing separator): the
// local base name is kept.
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { withTree } from '../connection.js';
import { asLocalError } from '../local-files.js';
import { ProgressCounter } from '../progress.js';
import type { Tree } from '../smb-api.js';
import { CommandError, LocalFileError } from '../usage-error.js';
import type { Command } from './command.js';
import { endsWithSeparator, remote, statIfExists, type RemoteFile } from './remote.js';

export const putCommand: Command = {
  name: 'put',
  usage: 'put LOCAL //HOST/SHARE[/PATH]',
  summary: 'upload a file (replaces an existing remote file; REMOTE may be a folder)',
  details: ['A progress bar is drawn on stderr when it is a terminal (--no-progress turns it off).'],
  minArgs: 2,
  maxArgs: 2,
  options: ['no-progress'],
  async run(ctx, [local, where]) {
    const localPath = local as string;
    const info = await stat(localPath).catch((e: unknown) => {
      throw asLocalError(e, localPath);
    });
    if (!info.isFile()) throw new LocalFileError(`${localPath} is not a regular file`, localPath);
    const dst = remote(where as string, { needPath: false });
    await withTree(ctx, dst.target, async (tree) => {
      const path = await remoteDestination(tree, dst, where as string, basename(localPath));
      const counter = new ProgressCounter({ label: basename(localPath), total: info.size, sink: ctx.io.stderr, enabled: ctx.options.progress });
      // 4 MiB reads (one WRITE's worth): with fs's default 64 KiB the upload waits on 16,384 sequential
      // disk reads per GiB.
      const source = createReadStream(localPath, { highWaterMark: 4 * 1024 * 1024 });
      try {
        await pipeline(source, counter, tree.createWriteStream(path));
      } catch (e) {
        throw asLocalError(e, localPath);
      }
      // The server's view is what counts: a short upload must not pass silently.
      const written = await tree.stat(path);
      if (written.size !== counter.bytes) {
        throw new CommandError(`upload incomplete: server has ${written.size} of ${counter.bytes} bytes at ${path}`);
      }
      ctx.logger.log(1, `wrote ${path} (${counter.bytes} bytes)`);
    });
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
