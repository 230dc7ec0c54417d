// One open(2) of a file in the mount: its SMB handle (opened lazily for reading, so `cat` of a
// small file is one compounded round trip; reopened by path after the drive reconnected, since a
// handle does not survive its connection), a FileReader and a FileWriter.
import type { FileHandle, OpenOptions, SmbTree } from '../../protocol/index.js';
import type { DriveGate } from './drive-link.js';
import { fsError } from './errno.js';
import { FileReader, type ReaderOptions } from './file-reader.js';
import { FileWriter, type WriterOptions } from './file-writer.js';

export type Access = NonNullable<OpenOptions['access']>;

/** Files up to this size are read whole in one round trip (the protocol's compound limit). */
export const SMALL_FILE = 1024 * 1024;

export interface OpenFileDeps {
  gate: DriveGate;
  /** The share path for a mount path (the drive's folder prefixed). */
  sharePath(path: string): string;
  ioTimeoutMs: number;
  log?: (message: string) => void;
  reader?: ReaderOptions;
  writer?: WriterOptions;
}

export class OpenFile {
  readonly reader: FileReader;
  readonly writer: FileWriter;
  private handle: FileHandle | undefined;
  private tree: SmbTree | undefined;
  private opening: Promise<FileHandle> | undefined;
  /** The durable open to reclaim after a drop (kept while a reclaim is tried). */
  private lastDurable: NonNullable<FileHandle['durable']> | undefined;
  private released = false;

  constructor(
    readonly fd: number,
    /** The mount path; follows renames. */
    public path: string,
    readonly access: Access,
    private readonly deps: OpenFileDeps,
    /** The size when opened, for the one-round-trip read of a small file. */
    private readonly sizeAtOpen: number,
    opened?: { handle: FileHandle; tree: SmbTree },
  ) {
    this.handle = opened?.handle;
    this.tree = opened?.tree;
    this.lastDurable = opened?.handle.durable;
    this.reader = new FileReader(
      {
        // One READ is at most the connection's MaxReadSize; the reader asks again for the rest.
        readAt: (offset, length) => this.withHandle('read', (h) => h.readAt(offset, Math.min(length, h.maxRead))),
        whole: () => this.whole(),
      },
      deps.reader,
    );
    this.writer = new FileWriter({ writeAll: (offset, parts) => this.withHandle('write', (h) => writeAll(h, offset, parts)) }, deps.writer);
  }

  get canWrite(): boolean {
    return this.access !== 'read';
  }

  /**
   * Runs `fn` on a live handle for this file, opening or reopening it as needed. Reads, writes at
   * an offset, sizes and times are all the same when repeated; with a durable handle the server
   * keeps the open through a drop, so the call waits for the drive (up to its deadline) instead of
   * failing, and goes on with the reclaimed handle.
   */
  withHandle<T>(what: string, fn: (h: FileHandle) => Promise<T>): Promise<T> {
    const waitMs = this.durable ? this.deps.ioTimeoutMs : 0;
    return this.deps.gate.run(`${what} ${this.path}`, this.deps.ioTimeoutMs, async (tree) => fn(await this.handleOn(tree)), { idempotent: true, waitMs });
  }

  /** The server keeps this open through a dropped connection (granted at open). */
  get durable(): boolean {
    return this.handle?.durable !== undefined || this.lastDurable !== undefined;
  }

  /**
   * Closes the server's handle but keeps this open file usable: a later read or write opens it
   * again by path. Done at close(2) (FUSE's FLUSH): the kernel sends RELEASE only afterwards, in
   * the background, and a durable open (which holds a batch oplock) still open then makes the
   * next open of the same file wait for an oplock break, which Samba 4.17 lets take seconds.
   */
  async closeHandle(): Promise<void> {
    const h = this.handle;
    if (!h) return;
    this.handle = undefined;
    this.tree = undefined;
    this.lastDurable = undefined;
    await this.deps.gate.run(`close ${this.path}`, this.deps.ioTimeoutMs, async () => h.close()).catch(() => undefined);
  }

  async close(): Promise<void> {
    this.released = true;
    const h = this.handle;
    this.handle = undefined;
    // Closing a handle of a dead connection is pointless; close() is idempotent and never hangs long.
    if (h && this.tree) await this.deps.gate.run(`close ${this.path}`, this.deps.ioTimeoutMs, async () => h.close()).catch(() => undefined);
  }

  private async handleOn(tree: SmbTree): Promise<FileHandle> {
    if (this.released) throw fsError('EBADF', `${this.path} is closed`);
    if (this.handle && this.tree === tree) return this.handle;
    this.opening ??= this.openOn(tree)
      .then((h) => {
        this.handle = h;
        this.tree = tree;
        this.lastDurable = h.durable;
        return h;
      })
      .finally(() => {
        this.opening = undefined;
      });
    return this.opening;
  }

  /**
   * A handle on `tree`: the durable open reclaimed after a reconnect (same handle, same oplock),
   * else opened again by path (a handle does not outlive its connection otherwise).
   */
  private async openOn(tree: SmbTree): Promise<FileHandle> {
    const durable = this.handle === undefined ? undefined : this.lastDurable;
    if (durable) {
      try {
        const h = await tree.reclaim(durable);
        this.deps.log?.(`${this.path}: the durable open was reclaimed after the reconnect`);
        return h;
      } catch (e) {
        // Not again: once refused, that open is gone on the server (closed, or its timeout passed).
        if (this.lastDurable === durable) this.lastDurable = undefined;
        this.deps.log?.(`${this.path}: the server did not give the open back (${e instanceof Error ? e.message : String(e)}); opening it again`);
      }
    }
    return tree.open(this.deps.sharePath(this.path), openOptions(this.access));
  }

  /** A small file not yet opened on the server, read from its start: CREATE + READ + CLOSE at once. */
  private async whole(): Promise<Buffer | undefined> {
    if (this.handle || this.canWrite || this.sizeAtOpen > SMALL_FILE) return undefined;
    return this.deps.gate.run(`read ${this.path}`, this.deps.ioTimeoutMs, (tree) => tree.readFile(this.deps.sharePath(this.path)), { idempotent: true });
  }
}

/** How the mount opens an existing file: others may do anything (POSIX has no share modes). */
export function openOptions(access: Access): OpenOptions {
  // Durable when writing (what a drop would lose) and when reading (a long read goes on).
  return { access, disposition: 'open', share: 'all', durable: true };
}

/**
 * WRITEs until all of `parts` is taken: at most MaxWriteSize each, and again after a short one
 * (a server may take less than sent).
 */
async function writeAll(h: FileHandle, offset: number, parts: readonly Buffer[]): Promise<void> {
  let rest: readonly Buffer[] = parts;
  let at = offset;
  let total = parts.reduce((n, p) => n + p.length, 0);
  while (total > 0) {
    const n = await h.writeAt(at, take(rest, h.maxWrite));
    if (n <= 0) throw fsError('EIO', `the server took no bytes at offset ${at}`);
    at += n;
    total -= n;
    rest = skip(rest, n);
  }
}

/** The first `n` bytes of `parts`, as views. */
function take(parts: readonly Buffer[], n: number): Buffer[] {
  const out: Buffer[] = [];
  let left = n;
  for (const p of parts) {
    if (left <= 0) break;
    out.push(p.length <= left ? p : p.subarray(0, left));
    left -= p.length;
  }
  return out;
}

function skip(parts: readonly Buffer[], n: number): Buffer[] {
  const out: Buffer[] = [];
  let left = n;
  for (const p of parts) {
    if (left >= p.length) {
      left -= p.length;
      continue;
    }
    out.push(left > 0 ? p.subarray(left) : p);
    left = 0;
  }
  return out;
}
