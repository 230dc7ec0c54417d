// A folder job becomes one file job per file below it (destination folders are created on the
// way). Remote names pass through safeLocalName; a refused name becomes a failed job that says
// why, so the person sees it instead of a silent gap.
import { mkdir, readdir } from 'node:fs/promises';
import { isAbsolute, join, relative } from 'node:path';
import { remoteJoin } from './naming.js';
import { assertSafeRemoteName, safeLocalName, UnsafeNameError } from './safe-name.js';
import { isCollision, TransferError } from './transfer-errors.js';
import type { TransferTree } from './types.js';

/** Deeper than any real tree; stops a server that serves a directory loop. */
const MAX_DEPTH = 128;

export interface ChildSpec {
  remotePath: string;
  localPath: string;
  /** Set when the name was refused; the child fails with this message. */
  refused?: string;
}

export type AddChild = (child: ChildSpec) => void;

export async function expandDownload(tree: TransferTree, remoteRoot: string, localRoot: string, add: AddChild, signal: AbortSignal): Promise<void> {
  await mkdir(localRoot, { recursive: true });
  const stack: { remote: string; local: string; depth: number }[] = [{ remote: remoteRoot, local: localRoot, depth: 0 }];
  for (let dir = stack.pop(); dir; dir = stack.pop()) {
    signal.throwIfAborted();
    for (const entry of await tree.readdir(dir.remote)) {
      const remotePath = remoteJoin(dir.remote, entry.name);
      let localPath: string;
      try {
        localPath = insideRoot(localRoot, join(dir.local, safeLocalName(entry.name)), entry.name);
      } catch (e) {
        if (!(e instanceof UnsafeNameError)) throw e;
        add({ remotePath, localPath: dir.local, refused: e.message });
        continue;
      }
      if (entry.type === 'directory') {
        if (dir.depth + 1 > MAX_DEPTH) throw new TransferError('bad-request', `${remotePath}: folders nested deeper than ${MAX_DEPTH}`, remotePath);
        await mkdir(localPath, { recursive: true });
        stack.push({ remote: remotePath, local: localPath, depth: dir.depth + 1 });
      } else {
        add({ remotePath, localPath });
      }
    }
  }
}

/** Belt and braces after safeLocalName: the joined path must still be below the root. */
function insideRoot(root: string, path: string, name: string): string {
  const rel = relative(root, path);
  if (rel === '' || rel.startsWith('..') || isAbsolute(rel)) throw new UnsafeNameError(name, 'it would leave the destination folder');
  return path;
}

export async function expandUpload(tree: TransferTree, localRoot: string, remoteRoot: string, add: AddChild, signal: AbortSignal): Promise<void> {
  await ensureRemoteDir(tree, remoteRoot);
  const stack: { local: string; remote: string; depth: number }[] = [{ local: localRoot, remote: remoteRoot, depth: 0 }];
  for (let dir = stack.pop(); dir; dir = stack.pop()) {
    signal.throwIfAborted();
    for (const entry of await readdir(dir.local, { withFileTypes: true })) {
      const localPath = join(dir.local, entry.name);
      try {
        assertSafeRemoteName(entry.name);
      } catch (e) {
        if (!(e instanceof UnsafeNameError)) throw e;
        add({ remotePath: dir.remote, localPath, refused: e.message });
        continue;
      }
      const remotePath = remoteJoin(dir.remote, entry.name);
      if (entry.isDirectory()) {
        if (dir.depth + 1 > MAX_DEPTH) throw new TransferError('bad-request', `${localPath}: folders nested deeper than ${MAX_DEPTH}`, localPath);
        await ensureRemoteDir(tree, remotePath);
        stack.push({ local: localPath, remote: remotePath, depth: dir.depth + 1 });
      } else if (entry.isFile()) {
        add({ remotePath, localPath });
      }
      // Symbolic links and special files are not followed: a link could point anywhere on disk.
    }
  }
}

async function ensureRemoteDir(tree: TransferTree, path: string): Promise<void> {
  try {
    await tree.mkdir(path);
  } catch (e) {
    if (!isCollision(e)) throw e;
    const st = await tree.stat(path);
    if (st.type !== 'directory') throw new TransferError('not-a-file', `${path} exists on the share and is not a folder`, path);
  }
}
