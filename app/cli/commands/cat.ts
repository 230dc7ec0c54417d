// `sharekeeper cat TARGET` — a remote file's bytes to stdout, streamed (constant memory).
import { pipeline } from 'node:stream/promises';
import { withTree } from '../connection.js';
import type { Command } from './command.js';
import { remote } from './remote.js';

export const catCommand: Command = {
  name: 'cat',
  usage: 'cat //HOST/SHARE/PATH',
  summary: 'write a remote file to standard output',
  details: [],
  minArgs: 1,
  maxArgs: 1,
  options: [],
  async run(ctx, [where]) {
    const { target, path } = remote(where as string, { needPath: true });
    await withTree(ctx, target, async (tree) => {
      try {
        // end: false — stdout belongs to the process, not to this one file.
        await pipeline(tree.createReadStream(path), ctx.io.stdout, { end: false });
      } catch (e) {
        // `sharekeeper cat ... | head` closes the pipe early: that is the reader's choice, not a failure.
        if ((e as NodeJS.ErrnoException).code === 'EPIPE') return;
        throw e;
      }
    });
  },
};
