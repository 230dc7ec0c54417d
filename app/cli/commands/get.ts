// `sharekeeper get REMOTE [LOCAL]` — download one file through main/'s copy engine (downloadFile,
// the same path the transfer queue runs): streamed with back-pressure, written under a partial
// name created exclusively and renamed only when complete and of the remote size.
import { downloadFile } from '../../../main/transfers/index.js';
import { withTree } from '../connection.js';
import { resolveDownloadPath } from '../local-files.js';
import type { Command } from './command.js';
import { withOneFileCopy } from './one-file.js';
import { remote } from './remote.js';

export const getCommand: Command = {
  name: 'get',
  usage: 'get //HOST/SHARE/PATH [LOCAL]',
  summary: 'download a file (LOCAL may be a folder; default: the current folder)',
  details: [
    'The file is written as .NAME.sharekeeper-partial-XXXX beside the destination and renamed only when',
    'complete and of the remote size; on failure nothing is left under the final name.',
    'A progress bar is drawn on stderr when it is a terminal (--no-progress turns it off).',
  ],
  minArgs: 1,
  maxArgs: 2,
  options: ['no-progress'],
  handlesSignals: true,
  async run(ctx, [where, local]) {
    const src = remote(where as string, { needPath: true });
    // Decide (and check) the local destination before touching the network.
    const dest = await resolveDownloadPath(local ?? '.', src.baseName);
    await withOneFileCopy(ctx, (copy) =>
      withTree(ctx, src.target, async (tree) => {
        const done = await copy({ label: src.baseName, localPath: dest, localPartial: true, run: (opts) => downloadFile(tree, src.path, dest, { ...opts, flushToDisk: false }) });
        ctx.logger.log(1, `wrote ${done.path} (${done.bytes} bytes)`);
      }),
    );
  },
};
