// A TreeProvider without the supervisor: one share per drive id, connected on first use and
// reconnected on the next acquire after the connection closed. While a drive is down it retries
// every `retryIntervalMs` and says `available: true` when a connection works again. The CLI and
// the tests use it; the app uses the drive supervisor instead.
import { randomBytes } from 'node:crypto';
import { SmbClient, SmbError, type ConnectOptions, type Credentials } from '../../protocol/index.js';
import type { DriveStateChange, TransferTree, TreeProvider } from './types.js';

export interface ConnectedShare {
  tree: TransferTree;
  /** Whether the connection under `tree` is gone. */
  readonly closed: boolean;
  onClose(listener: () => void): void;
  close(): Promise<void>;
}

export type ShareConnector = () => Promise<ConnectedShare>;

export interface ShareTarget extends ConnectOptions {
  credentials: Credentials;
  share: string;
}

/**
 * Connects, logs in and connects the tree, closing the client if any step fails. `target` may be a
 * function asked before each connection (the drive's current address and credentials).
 */
export function smbShareConnector(target: ShareTarget | (() => Promise<ShareTarget>)): ShareConnector {
  // One ClientGuid for every connection of this share, so a durable open made on one can be
  // reclaimed on the next (MS-SMB2 3.3.5.9.12), as the supervisor does for a drive.
  const fixedGuid = typeof target === 'function' ? undefined : target.clientGuid;
  const clientGuid = fixedGuid ?? randomBytes(16);
  // The last session's id: the next logon names it (PreviousSessionId, MS-SMB2 3.2.4.2.3), so a
  // server that has not noticed the old connection died ends that session at once and lets its
  // durable opens be reclaimed (3.3.5.5.3), instead of holding them until its TCP gives up.
  let previousSessionId: bigint | undefined;
  return async () => {
    const { credentials, share, ...connect } = typeof target === 'function' ? await target() : target;
    const client = await SmbClient.connect({ ...connect, clientGuid });
    try {
      const session = await client.login(credentials, previousSessionId === undefined ? {} : { previousSessionId });
      if (session.sessionId !== undefined) previousSessionId = session.sessionId;
      const tree = await session.connectTree(share);
      return { tree, get closed() { return client.closed; }, onClose: (l) => client.onClose(() => l()), close: () => client.close() };
    } catch (e) {
      await client.close();
      throw e;
    }
  };
}

interface DriveSlot {
  connect: ShareConnector;
  current?: ConnectedShare;
  connecting?: Promise<ConnectedShare>;
  retry?: NodeJS.Timeout;
  /** A slot of another share of the drive's server: no retries in the background (see acquire). */
  other?: true;
  /** Dropped by forgetOtherShares: a connection that arrives now is closed, never handed out. */
  forgotten?: true;
}

export interface SimpleTreeProviderOptions {
  retryIntervalMs?: number;
  /**
   * The connector of another share of a drive's server (made once per drive and share, so each
   * share keeps its one ClientGuid), or undefined when the drive has no such share.
   */
  otherShare?: (driveId: string, share: string) => ShareConnector | undefined;
}

export class SimpleTreeProvider implements TreeProvider {
  private readonly drives = new Map<string, DriveSlot>();
  /** Other shares of the drives' servers: by drive id, then by share (lower-cased). */
  private readonly others = new Map<string, Map<string, DriveSlot>>();
  private readonly listeners = new Set<(c: DriveStateChange) => void>();
  private disposed = false;

  constructor(
    drives: Record<string, ShareConnector>,
    private readonly opts: SimpleTreeProviderOptions = {},
  ) {
    for (const [id, connect] of Object.entries(drives)) this.drives.set(id, { connect });
  }

  /** A provider for one already connected tree (never reconnects). */
  static fixed(driveId: string, tree: TransferTree): SimpleTreeProvider {
    const share: ConnectedShare = { tree, closed: false, onClose: () => undefined, close: async () => undefined };
    return new SimpleTreeProvider({ [driveId]: async () => share });
  }

  /**
   * A tree of the drive's share, or of `share` on the drive's server. A dropped connection of
   * another share is not retried in the background: the queue's own offline retry asks again.
   */
  async acquire(driveId: string, share?: string): Promise<TransferTree> {
    const slot = share === undefined ? this.drives.get(driveId) : this.otherSlot(driveId, share);
    if (!slot) throw new Error(`unknown drive ${driveId}`);
    if (slot.current && !slot.current.closed) return slot.current.tree;
    return (await this.connect(driveId, slot)).tree;
  }

  private otherSlot(driveId: string, share: string): DriveSlot | undefined {
    const key = share.toLowerCase();
    let slot = this.others.get(driveId)?.get(key);
    if (slot === undefined) {
      const connect = this.opts.otherShare?.(driveId, share);
      if (connect === undefined) return undefined;
      let byShare = this.others.get(driveId);
      if (byShare === undefined) this.others.set(driveId, (byShare = new Map()));
      byShare.set(key, (slot = { connect, other: true }));
    }
    return slot;
  }

  /**
   * Closes the drive's connections to other shares and forgets their connectors: the drive was
   * removed, or its address, options or credentials changed. The next acquire asks otherShare for
   * a new connector, which logs in with the drive's settings as they are then. A connection still
   * being made is closed when it arrives and its acquire fails as a drop (transport), so the
   * queue pauses the job and asks again rather than working on a session of the old settings.
   */
  async forgetOtherShares(driveId: string): Promise<void> {
    const byShare = this.others.get(driveId);
    if (byShare === undefined) return;
    this.others.delete(driveId);
    await Promise.all(
      [...byShare.values()].map(async (slot) => {
        slot.forgotten = true;
        await slot.current?.close().catch(() => undefined);
      }),
    );
  }

  onDriveState(listener: (c: DriveStateChange) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async dispose(): Promise<void> {
    this.disposed = true;
    const others = [...this.others.values()].flatMap((byShare) => [...byShare.values()]);
    for (const slot of [...this.drives.values(), ...others]) {
      clearTimeout(slot.retry);
      await slot.current?.close();
    }
  }

  private connect(driveId: string, slot: DriveSlot): Promise<ConnectedShare> {
    slot.connecting ??= slot
      .connect()
      .then(
        async (share) => {
          if (slot.forgotten) {
            await share.close().catch(() => undefined);
            throw new SmbError('transport', `the connection settings of drive ${driveId} changed while it connected`, { operation: 'connect' });
          }
          slot.current = share;
          share.onClose(() => this.dropped(driveId, slot, share));
          return share;
        },
        (e: unknown) => {
          this.dropped(driveId, slot, undefined);
          throw e;
        },
      )
      .finally(() => (slot.connecting = undefined));
    return slot.connecting;
  }

  private dropped(driveId: string, slot: DriveSlot, share: ConnectedShare | undefined): void {
    if (share && slot.current !== share) return;
    if (slot.other) return;
    this.notify({ driveId, available: false });
    this.scheduleRetry(driveId, slot);
  }

  private scheduleRetry(driveId: string, slot: DriveSlot): void {
    if (this.disposed || slot.retry) return;
    slot.retry = setTimeout(() => {
      slot.retry = undefined;
      this.connect(driveId, slot).then(
        () => this.notify({ driveId, available: true }),
        () => undefined, // connect() scheduled the next try
      );
    }, this.opts.retryIntervalMs ?? 1000);
    slot.retry.unref();
  }

  private notify(c: DriveStateChange): void {
    for (const l of this.listeners) l(c);
  }
}
