// Trees for the browser. The drive's own share comes from the supervisor (it keeps that one
// connected and reconnects it); the server's other shares, and the share list itself (srvsvc),
// need a session of their own: one per drive, made on demand with the drive's credentials, kept
// while used and closed after a minute idle. Every connect and login has a deadline.
import { Dialect, parseDialectName, SmbClient, type Credentials, type SmbSession, type SmbTree, type SmbClient as SmbClientType } from '../../protocol/index.js';
import type { Drive } from '../drives/index.js';
import { parseSmbTarget } from '../drives/index.js';
import type { DriveSupervisor } from '../supervisor/index.js';
import { ApiFailure } from './errors.js';

export type CredentialsForDrive = (drive: Drive) => Promise<Credentials | undefined>;

interface Held {
  client: SmbClientType;
  session: SmbSession;
  trees: Map<string, Promise<SmbTree>>;
  idle: NodeJS.Timeout | undefined;
}

export interface ShareTreesOptions {
  supervisor: Pick<DriveSupervisor, 'acquire' | 'status'>;
  credentials: CredentialsForDrive;
  timeoutMs?: number;
  idleMs?: number;
  /** For tests and proxies: how to connect (default SmbClient.connect). */
  connect?: typeof SmbClient.connect;
}

export class ShareTrees {
  private readonly held = new Map<string, Promise<Held>>();

  constructor(private readonly opts: ShareTreesOptions) {}

  /** A tree for `share` on the drive's server. */
  async tree(drive: Drive, share: string): Promise<SmbTree> {
    const own = parseSmbTarget(drive.target).share;
    if (share.toLowerCase() === own.toLowerCase()) return this.opts.supervisor.acquire(drive.id);
    const held = await this.session(drive);
    let tree = held.trees.get(share.toLowerCase());
    if (tree === undefined) {
      tree = held.session.connectTree(share);
      held.trees.set(share.toLowerCase(), tree);
      tree.catch(() => held.trees.delete(share.toLowerCase()));
    }
    return tree;
  }

  async listShares(drive: Drive) {
    const held = await this.session(drive);
    return held.session.listShares();
  }

  /** Forgets a drive's own session (its password or target changed, or it was removed). */
  async forget(driveId: string): Promise<void> {
    const h = this.held.get(driveId);
    this.held.delete(driveId);
    if (h === undefined) return;
    const held = await h.catch(() => undefined);
    if (held === undefined) return;
    clearTimeout(held.idle);
    await held.client.close().catch(() => undefined);
  }

  async dispose(): Promise<void> {
    await Promise.all([...this.held.keys()].map((id) => this.forget(id)));
  }

  private session(drive: Drive): Promise<Held> {
    let h = this.held.get(drive.id);
    if (h === undefined) {
      h = this.open(drive);
      this.held.set(drive.id, h);
      h.catch(() => {
        if (this.held.get(drive.id) === h) this.held.delete(drive.id);
      });
    }
    return h.then((held) => {
      this.touch(drive.id, held);
      return held;
    });
  }

  private touch(id: string, held: Held): void {
    clearTimeout(held.idle);
    held.idle = setTimeout(() => void this.forget(id), this.opts.idleMs ?? 60_000);
    held.idle.unref();
  }

  private async open(drive: Drive): Promise<Held> {
    const status = this.opts.supervisor.status(drive.id);
    // The address that answered last (primary or an alternate), else the primary.
    const where = status.state.kind === 'connected' ? status.state.target : status.drive.target;
    const t = parseSmbTarget(where);
    const creds = await this.opts.credentials(drive);
    if (creds === undefined) throw new ApiFailure('password-needed', 'This drive needs a password');
    const connect = this.opts.connect ?? ((o) => SmbClient.connect(o));
    const client = await connect({
      host: t.host,
      port: t.port,
      timeoutMs: this.opts.timeoutMs ?? 10_000,
      minDialect: drive.options.minProtocol ? parseDialectName(drive.options.minProtocol) : Dialect.SMB2_02,
      maxDialect: drive.options.maxProtocol ? parseDialectName(drive.options.maxProtocol) : Dialect.SMB3_11,
      requireSigning: drive.options.requireSigning ?? false,
      encrypt: drive.options.requireEncryption ?? false,
      ...(drive.options.allowLegacy ? { allowSmb1: true, allowLegacyAuth: true } : {}),
    });
    try {
      const session = await client.login(creds);
      const held: Held = { client, session, trees: new Map(), idle: undefined };
      client.onClose(() => {
        if (this.held.get(drive.id) !== undefined) this.held.delete(drive.id);
        clearTimeout(held.idle);
      });
      return held;
    } catch (e) {
      await client.close().catch(() => undefined);
      throw e;
    }
  }
}
