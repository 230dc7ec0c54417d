// `sharekeeper ls TARGET` — a folder's entries (or one file's), like smbclient's `ls`.
import { json, lsJson, lsTable } from '../format.js';
import { withTree } from '../connection.js';
import type { FileStat } from '../smb-api.js';
import type { Command } from './command.js';
import { remote } from './remote.js';

export const lsCommand: Command = {
  name: 'ls',
  usage: 'ls //HOST/SHARE[/PATH]',
  summary: 'list a folder (or show one file) on a share',
  details: [
    'Plain output: name, attribute letters (D folder, H hidden, S system, R read-only, A archive, N none), size, modified time.',
    '--json prints [{name, type: "file"|"directory", size, modified, created, attributes}] (times in ISO-8601 UTC,',
    'attributes as the FILE_ATTRIBUTE_* bit mask).',
  ],
  minArgs: 1,
  maxArgs: 1,
  options: ['json'],
  async run(ctx, [where]) {
    const { target, path } = remote(where as string, { needPath: false });
    const entries = await withTree(ctx, target, async (tree): Promise<FileStat[]> => {
      if (path !== '') {
        const st = await tree.stat(path);
        if (st.type === 'file') return [st];
      }
      return tree.readdir(path);
    });
    ctx.io.stdout.write(ctx.options.json ? json(lsJson(entries)) : lsTable(entries));
  },
};
