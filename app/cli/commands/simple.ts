// One-call commands: mkdir, rm, rmdir. The server decides (and its NTSTATUS is the message).
import { withTree } from '../connection.js';
import type { Tree } from '../smb-api.js';
import type { Command } from './command.js';
import { remote } from './remote.js';

function oneCall(name: string, summary: string, call: (t: Tree, path: string) => Promise<void>): Command {
  return {
    name,
    usage: `${name} //HOST/SHARE/PATH`,
    summary,
    details: [],
    minArgs: 1,
    maxArgs: 1,
    options: [],
    async run(ctx, [where]) {
      const { target, path } = remote(where as string, { needPath: true });
      await withTree(ctx, target, (tree) => call(tree, path));
    },
  };
}

export const mkdirCommand = oneCall('mkdir', 'create a folder (its parent must exist)', (t, p) => t.mkdir(p));
export const rmCommand = oneCall('rm', 'delete a file', (t, p) => t.unlink(p));
export const rmdirCommand = oneCall('rmdir', 'delete an empty folder', (t, p) => t.rmdir(p));
