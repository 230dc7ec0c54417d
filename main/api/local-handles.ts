// Local files and folders reach main only as opaque handles that main issued when the person
// picked them (the OS dialog, a drop, serve's downloads folder): a renderer never names a local
// path, so a compromised one cannot make ShareKeeper upload ~/.ssh or write outside the folder the
// person chose. Handles are random, unguessable, bounded in number, and forgotten after a while.
import { randomBytes } from 'node:crypto';
import { basename } from 'node:path';
import type { LocalHandleView } from './views.js';

interface Entry {
  path: string;
  kind: 'file' | 'folder';
  at: number;
}

export class LocalHandles {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly opts: { max?: number; ttlMs?: number; now?: () => number } = {},
  ) {}

  issue(path: string, kind: 'file' | 'folder'): LocalHandleView {
    this.prune();
    const id = `h_${randomBytes(18).toString('base64url')}`;
    this.entries.set(id, { path, kind, at: this.now() });
    const max = this.opts.max ?? 10_000;
    while (this.entries.size > max) {
      const oldest = this.entries.keys().next().value;
      if (oldest === undefined) break;
      this.entries.delete(oldest);
    }
    return { id, label: basename(path) || path, kind };
  }

  /** The path behind a handle, or undefined for one main never issued (or forgot). */
  resolve(id: string, kind?: 'file' | 'folder'): { path: string; kind: 'file' | 'folder' } | undefined {
    this.prune();
    const e = this.entries.get(id);
    if (e === undefined || (kind !== undefined && e.kind !== kind)) return undefined;
    return { path: e.path, kind: e.kind };
  }

  private now(): number {
    return (this.opts.now ?? Date.now)();
  }

  private prune(): void {
    const ttl = this.opts.ttlMs ?? 24 * 3600_000;
    const cutoff = this.now() - ttl;
    for (const [id, e] of this.entries) {
      if (e.at >= cutoff) break;
      this.entries.delete(id);
    }
  }
}
