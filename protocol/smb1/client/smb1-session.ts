// An authenticated SMB1 session (a UID, MS-CIFS 3.2.4.2) behind SmbSession: connects trees, lists
// shares, logs off.
import type { SmbSession, SmbTree } from '../../client/api.js';
import type { ShareInfo } from '../../client/types.js';
import { SmbError } from '../../errors.js';
import { Smb1Command } from '../constants.js';
import type { Smb1Connection } from '../connection.js';
import { decodeLogoffResponse, encodeLogoffRequest } from '../commands/simple.js';
import { decodeTreeConnectResponse, encodeTreeConnectRequest } from '../commands/tree-connect.js';
import type { Smb1Negotiated } from '../negotiate-exchange.js';
import type { Smb1Session as EstablishedSession } from '../session-setup-exchange.js';
import { listSmb1Shares } from './share-listing.js';
import { Smb1Tree } from './smb1-tree.js';
import type { Smb1TreeContext } from './tree-context.js';

export class Smb1Session implements SmbSession {
  private loggedOff = false;

  constructor(
    private readonly conn: Smb1Connection,
    private readonly s: EstablishedSession,
    private readonly neg: Smb1Negotiated,
    private readonly host: string,
    private readonly log?: (level: number, message: string) => void,
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

  /** How the password was proven: 'ntlmv2', 'ntlmv1', 'lm' or 'none' (tests, diagnostics). */
  get authMethod(): string {
    return this.s.method;
  }

  /** SMB1 has no encryption. */
  get isEncrypted(): boolean {
    return false;
  }

  async connectTree(share: string): Promise<SmbTree> {
    return new Smb1Tree(await this.treeContext(share));
  }

  /** srvsvc, falling back to RAP when the server has no srvsvc. */
  listShares(): Promise<ShareInfo[]> {
    return this.listSharesVia();
  }

  /** One way only (tests and diagnostics): srvsvc NetShareEnumAll or RAP NetShareEnum. */
  async listSharesVia(via?: 'srvsvc' | 'rap'): Promise<ShareInfo[]> {
    const ipc = await this.treeContext('IPC$');
    try {
      return await listSmb1Shares(ipc, this.host, this.log, via);
    } finally {
      await new Smb1Tree(ipc).disconnect().catch(() => undefined);
    }
  }

  async logoff(): Promise<void> {
    if (this.loggedOff || this.conn.closed) return;
    this.loggedOff = true;
    const res = await this.conn.call({ command: Smb1Command.LOGOFF_ANDX, body: [encodeLogoffRequest()], uid: this.s.uid, operation: 'logoff' });
    decodeLogoffResponse(res.msg);
  }

  private async treeContext(share: string): Promise<Smb1TreeContext> {
    if (!share || /[\\/]/.test(share)) throw new SmbError('status', `invalid share name "${share}"`, { operation: 'tree connect' });
    const path = `\\\\${this.host}\\${share}`;
    const res = await this.conn.call({
      command: Smb1Command.TREE_CONNECT_ANDX,
      body: [encodeTreeConnectRequest(path)],
      uid: this.s.uid,
      assignsTid: true,
      operation: 'tree connect',
      path,
    });
    decodeTreeConnectResponse(res.msg);
    return { conn: this.conn, uid: this.s.uid, tid: res.header.tid, share, neg: this.neg };
  }
}
