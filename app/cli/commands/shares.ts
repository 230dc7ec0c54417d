// `sharekeeper shares //HOST` — what `smbclient -L HOST` shows (share enumeration over
// MS-SRVS NetrShareEnum, done by the client).
import { json, sharesJson, sharesTable } from '../format.js';
import { withSession } from '../connection.js';
import { parseTarget } from '../target.js';
import type { Command } from './command.js';

export const sharesCommand: Command = {
  name: 'shares',
  usage: 'shares //HOST[:PORT]',
  summary: 'list the shares a server offers (special ones like IPC$ included)',
  details: ['--json prints [{name, type: "disk"|"printer"|"device"|"ipc", comment, special}].'],
  minArgs: 1,
  maxArgs: 1,
  options: ['json'],
  async run(ctx, [where]) {
    const target = parseTarget(where as string);
    const shares = await withSession(ctx, target, (s) => s.listShares());
    ctx.io.stdout.write(ctx.options.json ? json(sharesJson(shares)) : sharesTable(shares));
  },
};
