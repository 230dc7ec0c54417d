// SESSION_SETUP with NTLMv2 inside SPNEGO (MS-SMB2 3.2.4.2.3, 3.2.5.3; MS-SPNG; MS-NLMP 3.1.5).
// Produces the session id, its flags, and a SessionSecurity that signs with the derived key.
import { NtlmSpnegoAuthenticator, type NtlmCredentials } from '../auth/ntlm-spnego-authenticator.js';
import { deriveSessionKeys } from '../crypto/smb-keys.js';
import { SmbError } from '../errors.js';
import type { Credentials } from '../client/types.js';
import { decodeSessionSetupResponse, encodeSessionSetupRequest } from './commands/session-setup.js';
import type { SessionEncryption, SessionSecurity, Smb2Connection } from './connection.js';
import { sessionEncryption } from './session-encryption.js';
import {
  Dialect,
  SMB2_FLAGS_SIGNED,
  SMB2_NEGOTIATE_SIGNING_ENABLED,
  SMB2_NEGOTIATE_SIGNING_REQUIRED,
  SMB2_SESSION_FLAG_ENCRYPT_DATA,
  SMB2_SESSION_FLAG_IS_GUEST,
  SMB2_SESSION_FLAG_IS_NULL,
  Smb2Command,
} from './constants.js';
import type { NegotiatedConnection } from './negotiate-exchange.js';
import { NtStatus } from './nt-status.js';
import { signMessage, verifyMessage, type SigningAlgorithm } from './signing.js';

export interface EstablishedSession {
  sessionId: bigint;
  isGuest: boolean;
  isAnonymous: boolean;
  signed: boolean;
  /** Every message of this session is sealed. */
  encrypted: boolean;
  /** Keys exist to seal a tree that asks for it (3.x with a common cipher, not guest/anonymous). */
  canEncrypt: boolean;
  security: SessionSecurity;
  sessionKey: Buffer;
}

export interface SessionSetupOptions {
  requireSigning: boolean;
  /** The caller requires every message of the session to be encrypted. */
  requireEncryption: boolean;
  host: string;
  /**
   * The session this client had on a connection that dropped (MS-SMB2 3.2.4.2.3: "the session
   * identifier of the previous session" when re-establishing one after a network disconnect).
   * The server ends it once this logon succeeds for the same user (3.3.5.5.3).
   */
  previousSessionId?: bigint;
}

/** Round trips allowed before we call the exchange broken (NTLM needs two). */
const MAX_LEGS = 4;

export async function setupSession(
  conn: Smb2Connection,
  neg: NegotiatedConnection,
  creds: Credentials,
  opts: SessionSetupOptions,
): Promise<EstablishedSession> {
  const auth = new NtlmSpnegoAuthenticator(toNtlmCredentials(creds));
  const preauth = neg.preauth?.fork();
  const signingRequired = opts.requireSigning || neg.serverRequiresSigning;
  let token = auth.initialToken();
  let sessionId = 0n;
  for (let leg = 0; leg < MAX_LEGS; leg++) {
    const res = await conn.call(
      {
        command: Smb2Command.SESSION_SETUP,
        body: [
          encodeSessionSetupRequest({
            securityMode: signingRequired ? SMB2_NEGOTIATE_SIGNING_REQUIRED : SMB2_NEGOTIATE_SIGNING_ENABLED,
            capabilities: 0,
            previousSessionId: previousFor(sessionId, opts.previousSessionId),
            securityBuffer: token,
          }),
        ],
        sessionId,
        operation: 'session setup',
        onSent: (parts) => preauth?.update(parts),
      },
      [NtStatus.STATUS_SUCCESS, NtStatus.STATUS_MORE_PROCESSING_REQUIRED],
    );
    const body = decodeSessionSetupResponse(res.msg);
    sessionId = res.header.sessionId;
    if (res.header.status === NtStatus.STATUS_MORE_PROCESSING_REQUIRED) {
      preauth?.update([res.msg]);
      token = auth.respond(body.securityBuffer);
      continue;
    }
    auth.finish(body.securityBuffer.length > 0 ? body.securityBuffer : undefined);
    return finishSession(conn, neg, auth, { sessionId, flags: body.sessionFlags, msg: res.msg, preauthValue: preauth?.current, signingRequired, callerRequiresSigning: opts.requireSigning, callerRequiresEncryption: opts.requireEncryption });
  }
  throw new SmbError('auth', 'session setup did not complete', { operation: 'session setup' });
}

/**
 * PreviousSessionId for a leg whose header carries `sessionId` (0 on the first leg). Sent on every
 * leg (the server acts on the one that completes the logon), but never equal to the header's
 * SessionId: a server fails that with STATUS_INVALID_PARAMETER (MS-SMB2 3.3.5.5.3).
 */
export function previousFor(sessionId: bigint, previous: bigint | undefined): bigint {
  if (previous === undefined || previous === sessionId || previous < 0n || previous > 0xffff_ffff_ffff_ffffn) return 0n;
  return previous;
}

interface FinalLeg {
  sessionId: bigint;
  flags: number;
  msg: Buffer;
  preauthValue: Buffer | undefined;
  signingRequired: boolean;
  callerRequiresSigning: boolean;
  callerRequiresEncryption: boolean;
}

function finishSession(conn: Smb2Connection, neg: NegotiatedConnection, auth: NtlmSpnegoAuthenticator, leg: FinalLeg): EstablishedSession {
  const isGuest = (leg.flags & SMB2_SESSION_FLAG_IS_GUEST) !== 0;
  const isAnonymous = (leg.flags & SMB2_SESSION_FLAG_IS_NULL) !== 0 || auth.isAnonymous;
  const serverEncrypts = (leg.flags & SMB2_SESSION_FLAG_ENCRYPT_DATA) !== 0;
  if ((serverEncrypts || leg.callerRequiresEncryption) && (!neg.cipher || isGuest || isAnonymous)) {
    // Never fall back to plaintext: a session that must be sealed and cannot be is refused.
    const why = !neg.cipher ? `${neg.dialect < Dialect.SMB3_00 ? 'SMB 2.x has no encryption' : 'no common cipher'}` : 'a guest or anonymous session has no key';
    throw new SmbError('security', `encryption is required but cannot be had: ${why}`, { operation: 'session setup' });
  }
  if (isGuest || isAnonymous) {
    // MS-SMB2 3.2.5.3.1: guest and anonymous sessions have no key, so they cannot sign. A server
    // that demands signing still admits them unsigned (Samba does); only the caller's own
    // requirement makes such a session unacceptable.
    if (leg.callerRequiresSigning) {
      throw new SmbError('security', `signing is required but the server gave a ${isGuest ? 'guest' : 'anonymous'} session, which cannot sign`, {
        operation: 'session setup',
      });
    }
    const none: SessionSecurity = { signRequests: false, hasKey: false, mustSign: () => false, sign: () => {}, verify: () => false };
    return { sessionId: leg.sessionId, isGuest, isAnonymous, signed: false, encrypted: false, canEncrypt: false, security: none, sessionKey: Buffer.alloc(0) };
  }
  const keys = deriveSessionKeys(neg.dialect, auth.sessionKey, leg.preauthValue, neg.cipher);
  const encryptAll = serverEncrypts || leg.callerRequiresEncryption;
  const encryption = neg.cipher ? sessionEncryption(neg.cipher, keys, leg.sessionId, encryptAll) : undefined;
  const security = signerFor(neg, keys.signingKey, leg.signingRequired, encryption);
  verifyFinalResponse(neg, leg, security);
  conn.registerSession(leg.sessionId, security);
  return {
    sessionId: leg.sessionId,
    isGuest,
    isAnonymous,
    signed: leg.signingRequired && !encryptAll,
    encrypted: encryptAll,
    canEncrypt: encryption !== undefined,
    security,
    sessionKey: auth.sessionKey,
  };
}

/**
 * MS-SMB2 3.2.5.3.1: for 3.1.1 the final SESSION_SETUP response must be signed with the new key;
 * this is what proves the preauth hash (and so the whole negotiation) was not tampered with.
 * Earlier dialects verify it whenever it is signed.
 */
function verifyFinalResponse(neg: NegotiatedConnection, leg: FinalLeg, security: SessionSecurity): void {
  const signed = (leg.msg.readUInt32LE(16) & SMB2_FLAGS_SIGNED) !== 0;
  if (!signed && neg.dialect !== Dialect.SMB3_11 && !leg.signingRequired) return;
  if (!signed || !security.verify(leg.msg)) {
    throw new SmbError('security', `${signed ? 'bad' : 'missing'} signature on the final SESSION_SETUP response`, {
      operation: 'session setup',
    });
  }
}

function signerFor(neg: NegotiatedConnection, key: Buffer, signRequests: boolean, encryption: SessionEncryption | undefined): SessionSecurity {
  const alg: SigningAlgorithm = neg.signingAlgorithm;
  return {
    encryption,
    signRequests,
    hasKey: true,
    // MS-SMB2 3.2.4.1.1: on 3.1.1 TREE_CONNECT is signed whenever the session has a key, so the
    // server can trust the negotiation (it refuses an unsigned one with ACCESS_DENIED).
    mustSign: (command) => neg.dialect === Dialect.SMB3_11 && command === Smb2Command.TREE_CONNECT,
    sign: (parts) => signMessage(alg, key, parts),
    verify: (msg) => verifyMessage(alg, key, msg),
  };
}

function toNtlmCredentials(creds: Credentials): NtlmCredentials {
  switch (creds.kind) {
    case 'anonymous':
      return 'anonymous';
    case 'guest':
      return { user: creds.user ?? 'guest', password: '', domain: '' };
    case 'user':
      return { user: creds.user, password: creds.password, domain: creds.domain ?? '' };
  }
}
