// `sharekeeper watch` — keeps every persistent drive connected (network-change and wake triggers,
// backoff, keepalive) and prints one JSON line per state change until SIGINT or SIGTERM:
//   {"drive":"Team","from":"connected","to":"reconnecting","reason":"connection-lost","message":"…","at":"…"}
// then closes everything and exits 0.
import { stringifyForTerminal, type TransitionEvent } from '../../../main/index.js';
import type { Command } from './command.js';
import { withServices } from './drive-context.js';

export interface WatchLine {
  drive: string;
  from: string;
  to: string;
  reason: string;
  message: string;
  at: string;
}

export function watchLine(name: string, e: TransitionEvent): WatchLine {
  return { drive: name, from: e.from, to: e.to, reason: e.reason, message: e.message, at: new Date(e.at).toISOString() };
}

/** The line `watch` prints: exact JSON, with no control or bidi character raw (messages quote servers). */
export function watchText(name: string, e: TransitionEvent): string {
  return `${stringifyForTerminal(watchLine(name, e))}\n`;
}

/** Resolves with the first of SIGINT / SIGTERM, and stops listening for both. */
export function nextStopSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const on = (signal: NodeJS.Signals): void => {
      process.off('SIGINT', on);
      process.off('SIGTERM', on);
      resolve(signal);
    };
    process.on('SIGINT', on);
    process.on('SIGTERM', on);
  });
}

export const watchCommand: Command = {
  name: 'watch',
  usage: 'watch [-d LEVEL]',
  summary: 'keep the drives connected and print each state change as a JSON line',
  details: ['Runs until Ctrl-C (SIGINT) or SIGTERM, then disconnects and exits 0.', 'Drives mapped with `persistent: false` connect only when used, so they stay Disconnected here.'],
  minArgs: 0,
  maxArgs: 0,
  options: [],
  handlesSignals: true,
  async run(ctx) {
    const stop = nextStopSignal();
    await withServices(ctx, async (services) => {
      const names = new Map<string, string>();
      services.registry.onDidChange((e) => {
        if (e.type !== 'corrupt') names.set(e.drive.id, e.drive.name);
      });
      services.supervisor.onTransition((e) => {
        const name = names.get(e.driveId) ?? e.driveId;
        ctx.io.stdout.write(watchText(name, e));
      });
      // Names first, so the first transition (a persistent drive connecting) already has its name.
      for (const d of await services.registry.list()) names.set(d.id, d.name);
      const drives = await services.loadDrives({ follow: true });
      services.supervisor.start();
      ctx.logger.log(1, `watching ${drives.length} drive(s)`);
      // Drives mounted with `sharekeeper mount` stay mounted while watch runs (main/mount).
      const { keepMounted } = await import('./watch-mounts.js');
      await keepMounted(ctx, services, drives);
      // The supervisor's timers are unref'd (they never hold a process open); watch must stay up.
      const keepAlive = setInterval(() => undefined, 60_000);
      const signal = await stop.finally(() => clearInterval(keepAlive));
      ctx.logger.log(1, `${signal}: stopping`);
    });
  },
};
