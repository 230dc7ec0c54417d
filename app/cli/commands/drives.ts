// `sharekeeper drives [--json]` — every mapped drive with its state. One-shot: a supervisor is
// started, each drive makes one attempt within the deadline (10 s, or -t), the states are printed
// and everything is closed again.
import { stringifyForTerminal, waitSettled } from '../../../main/index.js';
import type { Command } from './command.js';
import { checkDeadlineMs, withServices } from './drive-context.js';
import { driveReport, drivesTable, legacyNotes } from './drive-status.js';

export const drivesCommand: Command = {
  name: 'drives',
  usage: 'drives [--json]',
  summary: 'list the mapped drives and whether each one connects now',
  details: [
    'Each drive is tried once (all at the same time, one attempt per server) within 10 s or -t SECONDS;',
    'a drive still trying at the deadline is shown as Connecting. --json prints an array of',
    '{name, id, target, alternates, user, status, reason, message, since, mountPoint, mounted} (and',
    'allowLegacy: true for a drive mapped with --min-protocol NT1 or --allow-legacy-auth).',
    'Below the table, each drive that allows legacy logons, with what that means for its password.',
    'Below the table, each drive with a mount point: where, and whether it is mounted now.',
  ],
  minArgs: 0,
  maxArgs: 0,
  options: ['json'],
  async run(ctx) {
    await withServices(ctx, async (services) => {
      const drives = await services.loadDrives({ connect: true });
      const statuses = await waitSettled(services.supervisor, drives.map((d) => d.id), checkDeadlineMs(ctx));
      const { mountInfo, mountLines } = await import('./drives-mounts.js');
      const mounts = await mountInfo(ctx, drives);
      const reports = drives.map((d, i) => ({ ...driveReport(d, statuses[i] ?? services.supervisor.status(d.id)), ...mounts[i] }));
      if (ctx.options.json) ctx.io.stdout.write(`${stringifyForTerminal(reports, 2)}\n`);
      else if (reports.length === 0) ctx.io.stdout.write('no drives are mapped (add one with: sharekeeper map NAME //HOST/SHARE)\n');
      else ctx.io.stdout.write(drivesTable(reports) + legacyNotes(drives) + mountLines(drives, mounts));
    });
  },
};
