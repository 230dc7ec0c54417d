// Start at login. Linux: an XDG autostart entry (~/.config/autostart/sharekeeper.desktop,
// freedesktop Desktop Entry and Autostart specs); Windows and macOS: the login item, set by
// autostart-electron.ts. The setting is the presence of that entry.
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';

export const AUTOSTART_FILE = 'sharekeeper.desktop';

export function autostartDir(env: NodeJS.ProcessEnv = process.env): string {
  const config = env['XDG_CONFIG_HOME'] && env['XDG_CONFIG_HOME'].startsWith('/') ? env['XDG_CONFIG_HOME'] : join(env['HOME'] ?? homedir(), '.config');
  return join(config, 'autostart');
}

/** Desktop Entry Exec quoting: arguments with spaces or specials in double quotes, `"`, `` ` ``, `$`, `\` escaped. */
export function execQuote(arg: string): string {
  if (/^[A-Za-z0-9_\-./=:]+$/.test(arg)) return arg;
  return `"${arg.replace(/(["`$\\])/g, '\\$1')}"`;
}

export function autostartEntry(opts: { exec: string; args?: string[]; name?: string }): string {
  const exec = [opts.exec, ...(opts.args ?? [])].map(execQuote).join(' ').replace(/%/g, '%%');
  return [
    '[Desktop Entry]',
    'Type=Application',
    `Name=${opts.name ?? 'ShareKeeper'}`,
    'Comment=Keeps your network drives connected',
    `Exec=${exec}`,
    'Icon=sharekeeper',
    'Terminal=false',
    'Categories=Network;',
    'X-GNOME-Autostart-enabled=true',
    '',
  ].join('\n');
}

export async function isAutostartEnabled(env: NodeJS.ProcessEnv = process.env): Promise<boolean> {
  try {
    const text = await readFile(join(autostartDir(env), AUTOSTART_FILE), 'utf8');
    return !/^Hidden=true$/m.test(text) && !/^X-GNOME-Autostart-enabled=false$/m.test(text);
  } catch {
    return false;
  }
}

export async function setAutostart(enabled: boolean, opts: { exec: string; args?: string[]; env?: NodeJS.ProcessEnv }): Promise<void> {
  const file = join(autostartDir(opts.env), AUTOSTART_FILE);
  if (!enabled) {
    await rm(file, { force: true });
    return;
  }
  await mkdir(dirname(file), { recursive: true });
  await writeFile(file, autostartEntry(opts), { mode: 0o644 });
}
