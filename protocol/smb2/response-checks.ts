// Does a response really answer the request it names? (MS-SMB2 3.2.5.1.) The session that must
// verify or decrypt a response is the one its request was sent on, never one looked up from the
// response's own header: otherwise a man in the middle sets SessionId to 0 (or to an id we do not
// know), clears SMB2_FLAGS_SIGNED, and the check is skipped (3.2.5.1.3 takes the SessionId "from
// the corresponding Request.Message" for everything but SESSION_SETUP).
import { MalformedMessageError, SmbError } from '../errors.js';
import { SMB2_FLAGS_ASYNC_COMMAND, SMB2_FLAGS_SIGNED, SMB2_HEADER_SIZE, Smb2Command, commandName } from './constants.js';
import type { Smb2Header } from './header.js';
import type { SessionSecurity, Smb2Request } from './connection-types.js';

/** The ids of a response must be those of its request (the server copies them, MS-SMB2 3.3.4.1). */
export function checkIds(header: Smb2Header, req: Smb2Request): void {
  const sessionId = req.sessionId ?? 0n;
  // The first SESSION_SETUP is sent with SessionId 0; its answer carries the new id (3.2.5.3).
  const newSession = req.command === Smb2Command.SESSION_SETUP && sessionId === 0n;
  if (!newSession && header.sessionId !== sessionId) {
    throw new MalformedMessageError('SMB2 header', 'SessionId', `${commandName(req.command)} response names session ${header.sessionId}, its request ${sessionId}`);
  }
  // An async header has no TreeId (2.2.1.1); TREE_CONNECT's answer carries the new tree's id.
  const sync = (header.flags & SMB2_FLAGS_ASYNC_COMMAND) === 0;
  if (sync && req.command !== Smb2Command.TREE_CONNECT && header.treeId !== (req.treeId ?? 0)) {
    throw new MalformedMessageError('SMB2 header', 'TreeId', `${commandName(req.command)} response names tree ${header.treeId}, its request ${req.treeId ?? 0}`);
  }
}

/**
 * MS-SMB2 3.2.5.1.3, for a final (not interim) response that was not encrypted. `security` is the
 * request's session. A session that signs must get a signed, valid response; a signed response
 * on a session with a key is verified even when signing is optional.
 */
export function checkSignature(header: Smb2Header, msg: Buffer, req: Smb2Request, security: SessionSecurity | undefined): void {
  if (!security?.hasKey) return;
  const signed = (header.flags & SMB2_FLAGS_SIGNED) !== 0;
  const required = security.signRequests || security.mustSign(header.command);
  if (!signed && !required) return;
  if (!signed || !security.verify(msg)) {
    throw new SmbError('security', `${signed ? 'bad' : 'missing'} signature on ${commandName(header.command)} response`, {
      command: commandName(header.command),
      operation: req.operation,
      path: req.path,
    });
  }
}

/**
 * MS-SMB2 3.2.5.1.2 / 3.2.5.1.1: a response to a sealed request must be sealed (or anyone could
 * forge it), and sealed by the request's own session.
 */
export function checkSealing(header: Smb2Header, req: Smb2Request, requestSealed: boolean, sealedBy: bigint | undefined): void {
  if (requestSealed && sealedBy === undefined) {
    throw new SmbError('security', `unencrypted ${commandName(header.command)} response to an encrypted request`, {
      command: commandName(header.command),
      operation: req.operation,
    });
  }
  if (sealedBy !== undefined && sealedBy !== (req.sessionId ?? 0n)) {
    throw new SmbError('security', `${commandName(header.command)} response sealed by session ${sealedBy}, not its request's`, {
      command: commandName(header.command),
      operation: req.operation,
    });
  }
}

/** The messages of a compound answer (MS-SMB2 3.2.5.1.9): NextCommand 8-aligned, forward, inside the frame. */
export function splitChain(frame: Buffer): Buffer[] {
  const messages: Buffer[] = [];
  for (let offset = 0; ; ) {
    const rest = frame.subarray(offset);
    const next = rest.length >= SMB2_HEADER_SIZE ? rest.readUInt32LE(20) : 0;
    if (next !== 0 && (next % 8 !== 0 || next < SMB2_HEADER_SIZE || next > rest.length)) {
      throw new MalformedMessageError('SMB2 header', 'NextCommand', `bad offset ${next}`);
    }
    messages.push(next === 0 ? rest : rest.subarray(0, next));
    if (next === 0) return messages;
    offset += next;
  }
}
