// Share-relative paths as SMB2 wants them (MS-SMB2 2.2.13: no leading separator, backslashes).
import { SmbError } from '../errors.js';

export function toSmbPath(path: string): string {
  if (path.includes('\0')) throw new SmbError('status', 'path contains a NUL character', { path });
  return path
    .replace(/[\\/]+/g, '\\')
    .replace(/^\\+/, '')
    .replace(/\\+$/, '');
}

/** The last component of a share-relative path ('' for the root). */
export function baseName(path: string): string {
  const p = toSmbPath(path);
  const i = p.lastIndexOf('\\');
  return i < 0 ? p : p.slice(i + 1);
}
