// A folder job becomes one file job per file below it (destination folders are created on the
// way). What goes wrong below the top folder is reported as a failed entry and the rest goes on,
// as `cp -r` does: a subfolder that cannot be listed or created, a name that is refused (see
// safe-name.ts), a folder nested too deep. Only a dropped drive stops the expansion (the job
// pauses and expands again later; children already added are not added twice).
//
// Names that become the same local name (case-insensitive file systems, Windows renames like
// `a.` → `a._`) get distinct ones (`name (2).ext`), and the entry says so.
import { mkdir, readdir, stat } from 'node:fs/promises';
import { isAbsolute, join, relative } from 'node:path';
import type { DirEntry, FileStat } from '../../protocol/index.js';
import { mkdirOwn } from './local-fs.js';
import { distinctNames, remoteJoin } from './naming.js';
import { assertSafeRemoteName, currentPlatform, safeLocalName, UnsafeNameError, type NamePlatform } from './safe-name.js';
import { isCollision, isDriveDrop, toJobError, TransferError } from './transfer-errors.js';
import type { JobError, TransferTree } from './types.js';

/** Deeper than any real tree; stops a server that serves a directory loop. */
const MAX_DEPTH = 128;

export interface ChildSpec {
  remotePath: string;
  localPath: string;
  /** A subfolder entry (reported, not copied: its files are entries of their own). */
  folder?: boolean;
  /** Set when the entry failed during expansion (a refused name, an unreadable subfolder): the child ends failed with it. */
  error?: JobError;
  /** Words for people about this entry (e.g. saved under another name). */
  notice?: string;
  /** What the listing said of the remote file: its download need not ask again. */
  listed?: FileStat;
  /** An upload whose remote folder this expansion made: nothing is under its name yet, so its first run need not ask. */
  absent?: boolean;
}

export type AddChild = (child: ChildSpec) => void;

export interface ExpandOptions {
  signal: AbortSignal;
  platform?: NamePlatform;
  /** The local root is a folder below the destination (a subfolder entry tried again): made without following a link. */
  below?: boolean;
}

interface Dir {
  remote: string;
  local: string;
  depth: number;
  /** Upload: the remote folder was made by this expansion (it was not there). */
  made?: boolean;
}

/** Whether the local file system compares names without case (Windows, and macOS by default). */
function localKey(platform: NamePlatform): (name: string) => string {
  const folds = platform === 'win32' || (platform === currentPlatform() && process.platform === 'darwin');
  return folds ? (n) => n.normalize('NFC').toLowerCase() : (n) => n;
}

export async function expandDownload(tree: TransferTree, remoteRoot: string, localRoot: string, add: AddChild, opts: ExpandOptions): Promise<void> {
  const platform = opts.platform ?? currentPlatform();
  const key = localKey(platform);
  await (opts.below ? mkdirOwn(localRoot) : mkdirRoot(localRoot));
  const stack: Dir[] = [{ remote: remoteRoot, local: localRoot, depth: 0 }];
  for (let dir = stack.pop(); dir; dir = stack.pop()) {
    opts.signal.throwIfAborted();
    const entries = await listOrReport(dir, () => tree.readdir(dir.remote), add);
    if (!entries) continue;
    const mapped = mapNames(entries, dir, platform, add);
    const names = distinctNames(
      mapped.map((m) => m.local),
      key,
    );
    for (let i = 0; i < mapped.length; i++) {
      const { entry, local } = mapped[i]!;
      const chosen = names[i]!;
      const remotePath = remoteJoin(dir.remote, entry.name);
      const localPath = join(dir.local, chosen);
      const notice = chosen === local ? undefined : `saved as ${JSON.stringify(chosen)}: another name in the same folder has the same local name ${JSON.stringify(local)}`;
      if (entry.type === 'directory') {
        const sub = { remote: remotePath, local: localPath, depth: dir.depth + 1 };
        if (await prepareDir(sub, () => mkdirOwn(localPath), add, notice)) stack.push(sub);
      } else {
        add({ remotePath, localPath, listed: entry, ...(notice ? { notice } : {}) });
      }
    }
  }
}

/** Remote entries with their safe local names; refused names are reported and left out. */
function mapNames(entries: DirEntry[], dir: Dir, platform: NamePlatform, add: AddChild): { entry: DirEntry; local: string }[] {
  const out: { entry: DirEntry; local: string }[] = [];
  for (const entry of entries) {
    try {
      const local = safeLocalName(entry.name, platform);
      insideRoot(dir.local, join(dir.local, local), entry.name);
      out.push({ entry, local });
    } catch (e) {
      if (!(e instanceof UnsafeNameError)) throw e;
      add({ remotePath: remoteJoin(dir.remote, entry.name), localPath: dir.local, error: toJobError(e) });
    }
  }
  return out;
}

/** Belt and braces after safeLocalName: the joined path must stay directly in its folder. */
function insideRoot(root: string, path: string, name: string): void {
  const rel = relative(root, path);
  if (rel === '' || rel.startsWith('..') || isAbsolute(rel)) throw new UnsafeNameError(name, 'it would leave the destination folder');
}

export async function expandUpload(tree: TransferTree, localRoot: string, remoteRoot: string, add: AddChild, opts: ExpandOptions): Promise<void> {
  // SMB servers compare names without case (MS-FSCC 2.1.5): two local names that differ only in
  // case would land on one remote file.
  const key = (n: string): string => n.toLowerCase();
  const made = remoteRoot !== '' && (await ensureRemoteDir(tree, remoteRoot));
  const stack: Dir[] = [{ local: localRoot, remote: remoteRoot, depth: 0, made }];
  for (let dir = stack.pop(); dir; dir = stack.pop()) {
    opts.signal.throwIfAborted();
    const listed = await listOrReport(dir, () => readdir(dir.local, { withFileTypes: true }), add);
    if (!listed) continue;
    const entries = [];
    for (const entry of listed) {
      // Symbolic links and special files are not followed: a link could point anywhere on disk.
      if (!entry.isDirectory() && !entry.isFile()) continue;
      try {
        assertSafeRemoteName(entry.name);
        entries.push(entry);
      } catch (e) {
        if (!(e instanceof UnsafeNameError)) throw e;
        add({ remotePath: dir.remote, localPath: join(dir.local, entry.name), error: toJobError(e) });
      }
    }
    const names = distinctNames(
      entries.map((e) => e.name),
      key,
    );
    for (let i = 0; i < entries.length; i++) {
      const entry = entries[i]!;
      const chosen = names[i]!;
      const localPath = join(dir.local, entry.name);
      const remotePath = remoteJoin(dir.remote, chosen);
      const notice = chosen === entry.name ? undefined : `saved as ${JSON.stringify(chosen)}: another name in the same folder differs only in case`;
      if (entry.isDirectory()) {
        const sub = { local: localPath, remote: remotePath, depth: dir.depth + 1 };
        if (await prepareDir(sub, () => ensureRemoteDir(tree, remotePath), add, notice)) stack.push(sub);
      } else {
        add({ remotePath, localPath, ...(notice ? { notice } : {}), ...(dir.made ? { absent: true } : {}) });
      }
    }
  }
}

/** Lists a folder; below the top, a failure (other than a drop) is reported and undefined returned. */
async function listOrReport<T>(dir: Dir, list: () => Promise<T[]>, add: AddChild): Promise<T[] | undefined> {
  try {
    return await list();
  } catch (e) {
    if (dir.depth === 0 || isDriveDrop(e)) throw e;
    add({ remotePath: dir.remote, localPath: dir.local, folder: true, error: toJobError(e) });
    return undefined;
  }
}

/** Checks the depth and creates a destination subfolder; a failure (other than a drop) is reported. */
async function prepareDir(sub: Dir, create: () => Promise<unknown>, add: AddChild, notice: string | undefined): Promise<boolean> {
  try {
    if (sub.depth > MAX_DEPTH) throw new TransferError('bad-request', `${sub.remote}: folders nested deeper than ${MAX_DEPTH}`, sub.remote);
    if ((await create()) === true) sub.made = true;
    if (notice) add({ remotePath: sub.remote, localPath: sub.local, folder: true, notice });
    return true;
  } catch (e) {
    if (isDriveDrop(e)) throw e;
    add({ remotePath: sub.remote, localPath: sub.local, folder: true, error: toJobError(e) });
    return false;
  }
}

/** The top destination folder: the person's path, links in it followed (as cp does); it must end up a folder. */
async function mkdirRoot(path: string): Promise<void> {
  await mkdir(path, { recursive: true });
  if (!(await stat(path)).isDirectory()) throw new TransferError('not-a-file', `${path} is not a folder`, path);
}

/** Makes a folder on the share, or checks the one there is a folder; true when it was made now. */
async function ensureRemoteDir(tree: TransferTree, path: string): Promise<boolean> {
  try {
    await tree.mkdir(path);
    return true;
  } catch (e) {
    if (!isCollision(e)) throw e;
    const st = await tree.stat(path);
    if (st.type !== 'directory') throw new TransferError('not-a-file', `${path} exists on the share and is not a folder`, path);
    return false;
  }
}
