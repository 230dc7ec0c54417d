// An authenticated SMB 2/3 session (MS-SMB2 3.2.4.2.3) behind SmbSession: connects trees, lists shares, logs off.
import { encodeLogoffRequest } from '../smb2/commands/logoff.js';
import { decodeTreeConnectResponse, encodeTreeConnectRequest } from '../smb2/commands/tree-connect.js';
import { Dialect, SMB2_SHAREFLAG_ENCRYPT_DATA, Smb2Command, dialectName } from '../smb2/constants.js';
import type { Smb2Connection } from '../smb2/connection.js';
import type { EstablishedSession } from '../smb2/session-setup-exchange.js';
import type { NegotiatedConnection } from '../smb2/negotiate-exchange.js';
import { validateNegotiate } from './validate-negotiate.js';
import { SmbError, SmbStatusError } from '../errors.js';
import { NtStatus } from '../smb2/nt-status.js';
import { listShares } from './share-listing.js';
import type { SmbSession, SmbTree } from './api.js';
import { Smb2Tree } from './smb2-tree.js';
import type { TreeContext } from './tree-context.js';
import type { ShareInfo } from './types.js';

export interface SessionLimits {
  host: string;
  maxRead: number;
  maxWrite: number;
  maxTransact: number;
}

export class Smb2Session implements SmbSession {
  private loggedOff = false;
  private validated = false;

  constructor(
    private readonly conn: Smb2Connection,
    private readonly s: EstablishedSession,
    private readonly neg: NegotiatedConnection,
    private readonly limits: SessionLimits,
  ) {}

  get isGuest(): boolean {
    return this.s.isGuest;
  }

  get isAnonymous(): boolean {
    return this.s.isAnonymous;
  }

  get isSigned(): boolean {
    return this.s.signed;
  }

  get isEncrypted(): boolean {
    return this.s.encrypted;
  }

  get sessionId(): bigint {
    return this.s.sessionId;
  }

  async connectTree(share: string): Promise<SmbTree> {
    return new Smb2Tree(await this.treeContext(share));
  }

  /** Lists the server's shares through IPC$ (MS-SRVS NetShareEnumAll). */
  async listShares(): Promise<ShareInfo[]> {
    const ipc = await this.treeContext('IPC$');
    try {
      return await listShares(ipc, this.limits.host);
    } finally {
      await new Smb2Tree(ipc).disconnect().catch(() => undefined);
    }
  }

  async logoff(): Promise<void> {
    if (this.loggedOff || this.conn.closed) return;
    this.loggedOff = true;
    await this.conn.call({ command: Smb2Command.LOGOFF, body: [encodeLogoffRequest()], sessionId: this.s.sessionId, operation: 'logoff' });
    this.conn.unregisterSession(this.s.sessionId);
  }

  /**
   * MS-SMB2 3.3.5.7: a server refuses a share that demands encryption with a bare ACCESS_DENIED
   * when the session cannot encrypt (SMB 2.x, or no common cipher). For a user session that cannot
   * encrypt, say so: it is a security requirement we cannot meet, not a permission problem. The
   * NTSTATUS stays on the error.
   */
  private explainDenial(e: unknown, share: string): unknown {
    if (!(e instanceof SmbStatusError) || e.status !== NtStatus.STATUS_ACCESS_DENIED) return e;
    if (this.s.canEncrypt || this.s.isGuest || this.s.isAnonymous) return e;
    const why = this.neg.dialect < Dialect.SMB3_00 ? `${dialectName(this.neg.dialect)} has no encryption` : 'the server and this client share no cipher';
    return new SmbStatusError(e.status, {
      code: 'security',
      command: e.command,
      operation: `tree connect: access denied; ${share} may require encryption, and ${why}`,
      path: e.path,
    });
  }

  private async treeContext(share: string): Promise<TreeContext> {
    if (!share || /[\\/]/.test(share)) throw new SmbError('status', `invalid share name "${share}"`, { operation: 'tree connect' });
    const path = `\\\\${this.limits.host}\\${share}`;
    const res = await this.conn
      .call({ command: Smb2Command.TREE_CONNECT, body: [encodeTreeConnectRequest({ path })], sessionId: this.s.sessionId, operation: 'tree connect', path })
      .catch((e: unknown) => {
        throw this.explainDenial(e, share);
      });
    const tc = decodeTreeConnectResponse(res.msg);
    const encrypt = (tc.shareFlags & SMB2_SHAREFLAG_ENCRYPT_DATA) !== 0;
    if (encrypt && !this.s.canEncrypt) {
      // MS-SMB2 3.2.5.5: the share must be sealed; without keys we must not use it in plaintext.
      throw new SmbError('security', `share ${share} requires encryption, which this session cannot do`, { operation: 'tree connect', path });
    }
    const tree: TreeContext = {
      conn: this.conn,
      sessionId: this.s.sessionId,
      treeId: res.header.treeId,
      share,
      maxRead: this.limits.maxRead,
      maxWrite: this.limits.maxWrite,
      maxTransact: this.limits.maxTransact,
      dialect: this.neg.dialect,
      encrypt,
      sealed: encrypt || this.s.encrypted,
      maximalAccess: tc.maximalAccess,
    };
    if (!this.validated) {
      this.validated = true;
      await validateNegotiate(tree, this.neg, this.s);
    }
    return tree;
  }
}
