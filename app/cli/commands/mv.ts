// `sharekeeper mv FROM TO` — rename or move within one share (SMB2 SET_INFO FileRenameInformation
// cannot cross shares). TO is a share-relative path or a full target on the same share; an existing
// folder (or a trailing separator) means "into it".
import { resolvePort } from '../connection.js';
import { withTree } from '../connection.js';
import type { SmbLocation } from '../../../main/drives/index.js';
import { looksLikeTarget, parseRemotePath, parseTarget } from '../target.js';
import { UsageError } from '../usage-error.js';
import type { Command } from './command.js';
import { joinRemote } from './put.js';
import { endsWithSeparator, remote, statIfExists } from './remote.js';
import type { CliOptions } from '../args.js';

export const mvCommand: Command = {
  name: 'mv',
  usage: 'mv //HOST/SHARE/FROM TO',
  summary: 'rename or move a file or folder within a share',
  details: [
    'TO is a path from the root of the same share (e.g. archive/2024.txt) or a full //HOST/SHARE/PATH on it.',
    'An existing destination is refused unless --force is given.',
  ],
  minArgs: 2,
  maxArgs: 2,
  options: ['force'],
  async run(ctx, [fromArg, toArg]) {
    const from = remote(fromArg as string, { needPath: true });
    const to = destinationPath(from.target, toArg as string, ctx.options);
    await withTree(ctx, from.target, async (tree) => {
      let path = to;
      if (path === '' || endsWithSeparator(toArg as string) || (await statIfExists(tree, path))?.type === 'directory') {
        path = joinRemote(path, from.baseName);
      }
      await tree.rename(from.path, path, { replace: ctx.options.force });
    });
  },
};

/** TO as a share-relative path ('' for the share's root). */
function destinationPath(from: SmbLocation, toArg: string, options: CliOptions): string {
  if (!looksLikeTarget(toArg)) return parseRemotePath(toArg);
  const to = parseTarget(toArg);
  const same =
    to.host.toLowerCase() === from.host.toLowerCase() &&
    resolvePort(to, options) === resolvePort(from, options) &&
    to.share !== undefined && from.share !== undefined &&
    to.share.toLowerCase() === from.share.toLowerCase() &&
    (to.user === undefined || to.user === from.user);
  if (!same) throw new UsageError('mv works within one share; use get and put to copy between shares or servers');
  return to.path;
}
