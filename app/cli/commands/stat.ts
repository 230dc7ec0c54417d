// `sharekeeper stat TARGET` — sizes, times and attributes of one file or folder.
import { json, statJson, statText } from '../format.js';
import { withTree } from '../connection.js';
import { formatSmbLocation } from '../../../main/drives/index.js';
import type { Command } from './command.js';
import { remote } from './remote.js';

export const statCommand: Command = {
  name: 'stat',
  usage: 'stat //HOST/SHARE[/PATH]',
  summary: 'show size, times and attributes of a file or folder',
  details: ['--json prints {name, type, size, allocationSize, attributes, attributeNames, created, modified, accessed, changed}.'],
  minArgs: 1,
  maxArgs: 1,
  options: ['json'],
  async run(ctx, [where]) {
    const { target, path } = remote(where as string, { needPath: false });
    const st = await withTree(ctx, target, (tree) => tree.stat(path));
    ctx.io.stdout.write(ctx.options.json ? json(statJson(st)) : statText(st, formatSmbLocation(target)));
  },
};
