// `sharekeeper get REMOTE [LOCAL]` — download one file, streamed with back-pressure (constant memory),
// through a temporary file that is renamed into place only when complete (see local-files.ts).
import { withTree } from '../connection.js';
import { downloadAtomically, resolveDownloadPath } from '../local-files.js';
import { ProgressCounter } from '../progress.js';
import { CommandError } from '../usage-error.js';
import type { Command } from './command.js';
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
  async run(ctx, [where, local]) {
    const src = remote(where as string, { needPath: true });
    // Decide (and check) the local destination before touching the network.
    const dest = await resolveDownloadPath(local ?? '.', src.baseName);
    await withTree(ctx, src.target, async (tree) => {
      const st = await tree.stat(src.path);
      if (st.type === 'directory') throw new CommandError(`${src.path} is a folder; get copies one file`);
      const counter = new ProgressCounter({ label: src.baseName, total: st.size, sink: ctx.io.stderr, enabled: ctx.options.progress });
      const bytes = await downloadAtomically(tree.createReadStream(src.path), dest, { expectedSize: st.size, through: [counter] });
      ctx.logger.log(1, `wrote ${dest} (${bytes} bytes)`);
    });
  },
};
