// Every subcommand, in the order `--help` lists them.
import { catCommand } from './cat.js';
import type { Command } from './command.js';
import { copyCommand } from './copy.js';
import { drivesCommand } from './drives.js';
import { getCommand } from './get.js';
import { lsCommand } from './ls.js';
import { mapCommand } from './map.js';
import { mvCommand } from './mv.js';
import { putCommand } from './put.js';
import { reconnectCommand } from './reconnect.js';
import { serveCommand } from './serve.js';
import { sharesCommand } from './shares.js';
import { mkdirCommand, rmCommand, rmdirCommand } from './simple.js';
import { statCommand } from './stat.js';
import { unmapCommand } from './unmap.js';
import { watchCommand } from './watch.js';

export type { Command } from './command.js';

export const COMMANDS: readonly Command[] = [
  sharesCommand,
  lsCommand,
  statCommand,
  catCommand,
  getCommand,
  putCommand,
  mkdirCommand,
  rmCommand,
  rmdirCommand,
  mvCommand,
  mapCommand,
  drivesCommand,
  reconnectCommand,
  unmapCommand,
  watchCommand,
  copyCommand,
  serveCommand,
];

export function findCommand(name: string): Command | undefined {
  return COMMANDS.find((c) => c.name === name);
}
