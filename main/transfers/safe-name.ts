// Names that come from the server become local file names only through this file. A remote
// directory listing is untrusted input: an entry called `..`, `a/b` or `C:x` must never make a
// download land outside the folder the person chose (MS-FSCC 2.1.5 lists the characters a Windows
// server forbids in names, but a Samba server on Linux serves `\` and friends as they are on disk).

export type NamePlatform = 'win32' | 'posix';

export class UnsafeNameError extends Error {
  readonly code = 'unsafe-name';
  constructor(
    readonly unsafeName: string,
    readonly reason: string,
  ) {
    super(`refusing remote name ${JSON.stringify(unsafeName)}: ${reason}`);
    this.name = 'UnsafeNameError';
  }
}

/** CON, PRN, AUX, NUL, COM1-9, LPT1-9 (and the superscript-digit forms Windows also reserves). */
const DEVICE_NAME = /^(con|prn|aux|nul|com[1-9¹²³]|lpt[1-9¹²³])$/i;
/** Characters Win32 refuses in a name (MS-FSCC 2.1.5.2), plus the control characters. */
// eslint-disable-next-line no-control-regex
const WIN32_FORBIDDEN = /[<>:"|?*\u0001-\u001f]/;

export function currentPlatform(): NamePlatform {
  return process.platform === 'win32' ? 'win32' : 'posix';
}

/**
 * Returns the local file name to use for a remote entry name, or throws UnsafeNameError.
 * Refused: empty, `.`, `..`, any `/` `\` or NUL (they would change the folder), and on Windows the
 * characters Win32 forbids (`:` would open an alternate data stream or a drive-relative path).
 * Renamed on Windows: device names with any extension (`CON.txt` → `CON_.txt`) and names ending
 * in a dot or space, which Win32 strips silently (`a.` → `a._`).
 */
export function safeLocalName(name: string, platform: NamePlatform = currentPlatform()): string {
  if (name === '') throw new UnsafeNameError(name, 'empty name');
  if (name === '.' || name === '..') throw new UnsafeNameError(name, 'it names a folder above or at the destination');
  if (name.includes('\0')) throw new UnsafeNameError(name, 'it contains a NUL character');
  if (/[/\\]/.test(name)) throw new UnsafeNameError(name, 'it contains a path separator and would leave the destination folder');
  if (platform !== 'win32') return name;
  if (WIN32_FORBIDDEN.test(name)) throw new UnsafeNameError(name, 'it contains a character Windows does not allow in file names');
  let out = name;
  // Win32 drops trailing dots and spaces: `x.` would silently become `x` (another file's name).
  if (/[. ]$/.test(out)) out += '_';
  const dot = out.indexOf('.');
  const stem = (dot < 0 ? out : out.slice(0, dot)).replace(/ +$/, '');
  if (DEVICE_NAME.test(stem)) out = dot < 0 ? `${out}_` : `${out.slice(0, dot)}_${out.slice(dot)}`;
  return out;
}

/**
 * Checks a local name before it becomes part of a remote path: on Linux a file name may hold a
 * backslash, which SMB reads as a separator (MS-SMB2 2.2.13), so it would land in another folder.
 */
export function assertSafeRemoteName(name: string): void {
  if (name === '' || name === '.' || name === '..') throw new UnsafeNameError(name, 'not a plain file name');
  if (/[\\/\0]/.test(name)) throw new UnsafeNameError(name, 'it contains a character SMB treats as a path separator');
  if (/[<>:"|?*]/.test(name)) throw new UnsafeNameError(name, 'it contains a character an SMB server does not allow (MS-FSCC 2.1.5.2)');
}

/**
 * Longest share name we accept: MS-SRVS 2.2.4.23 (SHARE_INFO_2) bounds a share's netname to 80
 * characters (NNLEN).
 */
export const MAX_SHARE_NAME = 80;

/**
 * Whether `name` can be a share name on the drive's server: non-empty, bounded, no path separator
 * (it becomes the last part of \\server\share, MS-SMB2 2.2.9), no control character, and not `.`
 * or `..`. A job's share comes from the renderer or a state file: neither is trusted.
 */
export function isShareName(name: unknown): name is string {
  if (typeof name !== 'string' || name.length === 0 || name.length > MAX_SHARE_NAME) return false;
  // eslint-disable-next-line no-control-regex
  return !/[\\/\u0000-\u001f\u007f]/.test(name) && name !== '.' && name !== '..';
}
