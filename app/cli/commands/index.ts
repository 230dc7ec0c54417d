// Every subcommand, in the order `--help` lists them. Each is loaded only when it runs (or when help
// lists them all): a one-shot `ls` never loads the keychain, the supervisor or the web server.
import type { Command } from './command.js';

export type { Command } from './command.js';

const LOADERS: Readonly<Record<string, () => Promise<Command | readonly Command[]>>> = {
  shares: async () => (await import('./shares.js')).sharesCommand,
  ls: async () => (await import('./ls.js')).lsCommand,
  stat: async () => (await import('./stat.js')).statCommand,
  cat: async () => (await import('./cat.js')).catCommand,
  get: async () => (await import('./get.js')).getCommand,
  put: async () => (await import('./put.js')).putCommand,
  mkdir: async () => (await import('./simple.js')).mkdirCommand,
  rm: async () => (await import('./simple.js')).rmCommand,
  rmdir: async () => (await import('./simple.js')).rmdirCommand,
  mv: async () => (await import('./mv.js')).mvCommand,
  map: async () => (await import('./map.js')).mapCommand,
  drives: async () => (await import('./drives.js')).drivesCommand,
  reconnect: async () => (await import('./reconnect.js')).reconnectCommand,
  unmap: async () => (await import('./unmap.js')).unmapCommand,
  mount: async () => (await import('./mount.js')).mountCommand,
  unmount: async () => (await import('./unmount.js')).unmountCommand,
  watch: async () => (await import('./watch.js')).watchCommand,
  copy: async () => (await import('./copy.js')).copyCommand,
  serve: async () => (await import('./serve.js')).serveCommand,
};

export const COMMAND_NAMES: readonly string[] = Object.keys(LOADERS);

export async function loadCommand(name: string): Promise<Command | undefined> {
  const load = Object.hasOwn(LOADERS, name) ? LOADERS[name] : undefined;
  return load ? ((await load()) as Command) : undefined;
}

/** All of them, for `--help`. */
export function loadAllCommands(): Promise<Command[]> {
  return Promise.all(COMMAND_NAMES.map(async (n) => (await loadCommand(n))!));
}
