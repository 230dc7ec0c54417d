// POSIX error numbers as the running OS defines them (FUSE wants the platform's own values), and the
// one error a file system operation throws: FsError carries an errno and, when a server answer
// caused it, the SmbError it came from (its NTSTATUS is never lost on the way to the kernel).
import { constants } from 'node:os';

export type ErrnoName =
  | 'EPERM' | 'ENOENT' | 'EINTR' | 'EIO' | 'EBADF' | 'EAGAIN' | 'ENOMEM' | 'EACCES' | 'EBUSY' | 'EEXIST'
  | 'EXDEV' | 'ENOTDIR' | 'EISDIR' | 'EINVAL' | 'EMFILE' | 'EFBIG' | 'ENOSPC' | 'EROFS' | 'EPIPE'
  | 'ENAMETOOLONG' | 'ENOSYS' | 'ENOTEMPTY' | 'ELOOP' | 'EOPNOTSUPP' | 'ETIMEDOUT' | 'EHOSTDOWN'
  | 'EHOSTUNREACH' | 'EDQUOT' | 'EREMOTE' | 'ERANGE' | 'ESTALE' | 'ENFILE';

/** Linux values, used only where the OS table lacks a name (never on Linux or macOS). */
const LINUX: Record<ErrnoName, number> = {
  EPERM: 1, ENOENT: 2, EINTR: 4, EIO: 5, EBADF: 9, EAGAIN: 11, ENOMEM: 12, EACCES: 13, EBUSY: 16, EEXIST: 17,
  EXDEV: 18, ENOTDIR: 20, EISDIR: 21, EINVAL: 22, EMFILE: 24, EFBIG: 27, ENOSPC: 28, EROFS: 30, EPIPE: 32,
  ENAMETOOLONG: 36, ENOSYS: 38, ENOTEMPTY: 39, ELOOP: 40, EOPNOTSUPP: 95, ETIMEDOUT: 110, EHOSTDOWN: 112,
  EHOSTUNREACH: 113, EDQUOT: 122, EREMOTE: 66, ERANGE: 34, ESTALE: 116, ENFILE: 23,
};

/** Every name above (to check a name that comes as a string, e.g. from the SMB1 error table). */
export const ERRNO_NAMES: ReadonlySet<string> = new Set(Object.keys(LINUX));

/** The positive errno value of `name` on this OS. */
export function errno(name: ErrnoName): number {
  const table = constants.errno as Record<string, number | undefined>;
  return table[name] ?? LINUX[name];
}

export class FsError extends Error {
  readonly errno: number;
  readonly errnoName: ErrnoName;

  constructor(name: ErrnoName, message: string, options?: { cause?: unknown }) {
    super(`${name}: ${message}`, options);
    this.name = 'FsError';
    this.errnoName = name;
    this.errno = errno(name);
  }
}

export function fsError(name: ErrnoName, message: string, cause?: unknown): FsError {
  return new FsError(name, message, cause === undefined ? undefined : { cause });
}
