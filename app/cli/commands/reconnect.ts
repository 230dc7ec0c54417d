// `sharekeeper reconnect NAME|--all` — tries the drive(s) now and prints the resulting state.
// Exit code: 0 when every drive connected, else the worst of 3 (unreachable), 4 (credentials
// refused or missing), 5 (a security requirement), 1 (the share refused us).
import { stringifyForTerminal, waitSettled, type Drive } from '../../../main/index.js';
import { ExitStatusError, UsageError } from '../usage-error.js';
import type { Command } from './command.js';
import { checkDeadlineMs, findDrive, withServices } from './drive-context.js';
import { exitCodeForState, stateLine } from './drive-status.js';

export const reconnectCommand: Command = {
  name: 'reconnect',
  usage: 'reconnect NAME|--all',
  summary: 'try a drive (or every drive) now and print its state',
  details: ['Exit code: 0 connected, 3 unreachable, 4 credentials refused or missing, 5 a security requirement cannot be met.'],
  minArgs: 0,
  maxArgs: 1,
  options: ['all', 'json'],
  async run(ctx, [name]) {
    if ((name === undefined) === !ctx.options.all) throw new UsageError('give a drive NAME or --all (not both)');
    await withServices(ctx, async (services) => {
      const wanted: Drive[] = name === undefined ? await services.registry.list() : [await findDrive(services, name)];
      const ids = new Set(wanted.map((d) => d.id));
      await services.loadDrives({ filter: (d) => ids.has(d.id), connect: true });
      const statuses = await waitSettled(services.supervisor, wanted.map((d) => d.id), checkDeadlineMs(ctx));
      let worst = 0;
      const failed: string[] = [];
      statuses.forEach((s, i) => {
        const d = wanted[i] as Drive;
        if (ctx.options.json) ctx.io.stdout.write(`${stringifyForTerminal({ name: d.name, status: s.state.kind, reason: s.state.diagnosis.reason, message: s.state.diagnosis.message })}\n`);
        else ctx.io.stdout.write(`${stateLine(d.name, s.state)}\n`);
        const code = exitCodeForState(s.state);
        if (code !== 0) failed.push(d.name);
        worst = Math.max(worst, code);
      });
      if (worst !== 0) throw new ExitStatusError(worst, `not connected: ${failed.join(', ')}`);
    });
  },
};
