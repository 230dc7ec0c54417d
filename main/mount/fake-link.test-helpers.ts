// A DriveLink whose state a test sets, over a FakeTree (or a series of them: a reconnect gives
// a new tree, as the supervisor does).
import type { SmbTree } from '../../protocol/index.js';
import type { DriveStateKind } from '../supervisor/index.js';
import type { DriveLink } from './drive-link.js';

export class FakeLink implements DriveLink {
  readonly driveId = 'd1';
  private kind: DriveStateKind | undefined = 'connected';
  private readonly listeners = new Set<(to: DriveStateKind) => void>();
  checks = 0;
  afterOutage = false;
  acquires = 0;
  /** What checkAlive does (default nothing; a test may move the state). */
  onCheck: () => void = () => undefined;
  /** acquire() in the disconnected state: connect (default) or what the test says. */
  onConnect: () => Promise<void> = async () => this.set('connected');

  constructor(public tree: SmbTree) {}

  state(): DriveStateKind | undefined {
    return this.kind;
  }

  set(kind: DriveStateKind | undefined): void {
    this.kind = kind;
    if (kind) for (const l of [...this.listeners]) l(kind);
  }

  async acquire(): Promise<SmbTree> {
    this.acquires++;
    if (this.kind === 'disconnected') await this.onConnect();
    if (this.kind !== 'connected') {
      const e = new Error(`drive d1 is ${this.kind}`);
      e.name = 'DriveUnavailableError';
      throw e;
    }
    return this.tree;
  }

  retryingAfterOutage(): boolean {
    return this.afterOutage;
  }

  checkAlive(): void {
    this.checks++;
    this.onCheck();
  }

  onTransition(listener: (to: DriveStateKind) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
