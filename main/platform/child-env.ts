// The environment a child process gets: an allow-list, never the whole of ours. The parent may hold
// SHAREKEEPER_PASSWORD (how a script gives the CLI a password), cloud tokens, SSH agent sockets and
// whatever else the person exported; mount_smbfs or PowerShell need none of it, and a child's crash
// report, `ps e`, or a module it loads could pass it on. So a child sees only what a program needs
// to start and speak the person's language, plus exactly what the adapter sets for it.

/** Names passed through on every platform (LC_* too, by prefix). */
const COMMON = ['PATH', 'HOME', 'LANG', 'LANGUAGE', 'TZ', 'USER', 'LOGNAME', 'TMPDIR'];

/**
 * What Windows programs expect to find (PowerShell will not start well without SystemRoot, and
 * finds its modules and profile through the others). None of them holds a secret.
 */
const WINDOWS = [
  'SystemRoot', 'WINDIR', 'ComSpec', 'PATHEXT', 'TEMP', 'TMP', 'SystemDrive', 'USERPROFILE', 'APPDATA', 'LOCALAPPDATA',
  'PSModulePath', 'ProgramFiles', 'ProgramFiles(x86)', 'ProgramData', 'USERNAME', 'USERDOMAIN', 'COMPUTERNAME',
  'NUMBER_OF_PROCESSORS', 'PROCESSOR_ARCHITECTURE', 'OS',
];

/**
 * The child's environment: the allow-listed names found in `parent`, then `extra` (what the caller
 * sets on purpose) over them. Windows compares names without case, as its environment does.
 */
export function childEnvironment(
  parent: NodeJS.ProcessEnv,
  extra: Readonly<Record<string, string>> = {},
  platform: NodeJS.Platform = process.platform,
): Record<string, string> {
  const windows = platform === 'win32';
  const fold = (name: string): string => (windows ? name.toUpperCase() : name);
  const allowed = new Set([...COMMON, ...(windows ? WINDOWS : [])].map(fold));
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(parent)) {
    if (value === undefined) continue;
    if (allowed.has(fold(name)) || fold(name).startsWith(fold('LC_'))) env[name] = value;
  }
  for (const [name, value] of Object.entries(extra)) {
    // On Windows `Path` and `PATH` are one variable: the caller's spelling wins, no duplicate.
    if (windows) for (const have of Object.keys(env)) if (fold(have) === fold(name)) delete env[have];
    env[name] = value;
  }
  return env;
}
