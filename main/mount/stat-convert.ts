// SMB attributes (MS-FSCC 2.6) as POSIX stat: folders 0755 and files 0644 (0555/0444 when the
// READONLY attribute is set or the share is read-only), owned by the user who mounted, since an
// SMB share has no Unix owners to show. Times come from the server (FILETIME, 100 ns).
import type { FileStat, SpaceInfo } from '../../protocol/index.js';
import { S_IFDIR, S_IFREG, type FuseStat, type FuseStatfs } from './fuse-binding.js';

export const FILE_ATTRIBUTE_READONLY = 0x1;
const BLOCK = 512;

export interface Owner {
  uid: number;
  gid: number;
  /** The whole share is read-only: no write bits anywhere. */
  readOnly: boolean;
}

export function toFuseStat(s: FileStat, owner: Owner): FuseStat {
  const dir = s.type === 'directory';
  const ro = owner.readOnly || (!dir && (s.attributes & FILE_ATTRIBUTE_READONLY) !== 0);
  const perm = dir ? (ro ? 0o555 : 0o755) : ro ? 0o444 : 0o644;
  return {
    mode: (dir ? S_IFDIR : S_IFREG) | perm,
    uid: owner.uid,
    gid: owner.gid,
    size: dir ? 0 : s.size,
    nlink: dir ? 2 : 1,
    blocks: Math.ceil((dir ? 0 : s.allocationSize || s.size) / BLOCK),
    blksize: 128 * 1024,
    atime: s.accessed,
    mtime: s.modified,
    ctime: s.changed,
  };
}

/** The mount point's own attributes, made without the network (so `stat` of it never waits). */
export function rootStat(owner: Owner, since: Date): FuseStat {
  return { mode: S_IFDIR | (owner.readOnly ? 0o555 : 0o755), uid: owner.uid, gid: owner.gid, size: 0, nlink: 2, blocks: 0, blksize: 128 * 1024, atime: since, mtime: since, ctime: since };
}

const STATFS_BSIZE = 4096;

export function toFuseStatfs(space: SpaceInfo, readOnly: boolean): FuseStatfs {
  // statvfs counts in 32-bit fields here (fuse-native's array): bigger blocks keep big shares in range.
  let bsize = STATFS_BSIZE;
  while (space.totalBytes / bsize > 0xffffffff && bsize < 2 ** 30) bsize *= 2;
  const blocks = (n: number): number => Math.min(0xffffffff, Math.floor(n / bsize));
  return {
    bsize,
    frsize: bsize,
    blocks: blocks(space.totalBytes),
    bfree: blocks(space.freeBytes),
    bavail: blocks(space.availableBytes),
    files: 1_000_000,
    ffree: 1_000_000,
    favail: 1_000_000,
    fsid: 0,
    flag: readOnly ? 1 /* ST_RDONLY */ : 0,
    namemax: 255,
  };
}
