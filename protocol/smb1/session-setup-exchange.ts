// SESSION_SETUP_ANDX exchanges (MS-CIFS 3.2.4.2.4, MS-SMB 3.2.4.2.4) and what they establish:
// the UID, guest/anonymous, and the signing key (MS-CIFS 3.2.5.3, 3.1.5.1).
//
// Which answer we give the server's challenge:
// - extended security (the server sent an SPNEGO blob in NEGOTIATE): NTLMSSP in SPNEGO, the same
//   authenticator as SMB2, NTLMv2;
// - challenge/response (an 8-byte challenge in NEGOTIATE): NTLMv2 and LMv2 (MS-CIFS 3.1.5.2);
// - only when the caller allows legacy authentication: NTLMv1 (with NTLM2 session security when
//   the server offers it) and LM, tried after the strong answer was refused. Without that
//   permission a server that can check nothing better (no NTLMv2 target information, or only
//   plaintext passwords) is refused with code 'security' before any password is sent.
import { randomBytes } from 'node:crypto';
import { NtlmSpnegoAuthenticator, type NtlmLegacyResponse } from '../auth/ntlm-spnego-authenticator.js';
import { NtlmFlag } from '../auth/ntlm-messages.js';
import { MsvAv, encodeAvPairs } from '../auth/ntlm-av-pairs.js';
import { computeNtlmv2Response, ntowfv2 } from '../auth/ntlmv2.js';
import { computeNtlmv1Response, lmSessionKey } from '../auth/ntlmv1.js';
import type { Credentials } from '../client/types.js';
import { SmbError, SmbStatusError } from '../errors.js';
import { NtStatus, isAuthStatus } from '../smb2/nt-status.js';
import { SMB_FLAGS2_SMB_SECURITY_SIGNATURE, SMB_SETUP_GUEST, Smb1Command } from './constants.js';
import type { Smb1Connection, Smb1Response } from './connection.js';
import { decodeSessionSetupResponse, encodeSessionSetupExtendedRequest, encodeSessionSetupRequest } from './commands/session-setup.js';
import type { Smb1Negotiated } from './negotiate-exchange.js';
import { macKeyFor } from './signing.js';

export const LEGACY_AUTH_WARNING =
  'legacy authentication (NTLMv1/LM) lets anyone who captures the traffic recover the password';

export interface Smb1Session {
  uid: number;
  isGuest: boolean;
  isAnonymous: boolean;
  signed: boolean;
  /** How the password was proven, for logs: 'ntlmv2', 'ntlmv1', 'lm', or 'none'. */
  method: string;
}

export interface Smb1SessionOptions {
  requireSigning: boolean;
  allowLegacyAuth: boolean;
  host: string;
  log?: (level: number, message: string) => void;
}

/** Our SESSION_SETUP limits: as large a buffer as the field holds; MaxMpxCount echoes the server's. */
const MAX_BUFFER_SIZE = 0xffff;
const MAX_LEGS = 4;

interface Attempt {
  kind: 'ntlmv2' | NtlmLegacyResponse;
}

export async function setupSmb1Session(conn: Smb1Connection, neg: Smb1Negotiated, creds: Credentials, opts: Smb1SessionOptions): Promise<Smb1Session> {
  const signing = wantsSigning(neg, opts.requireSigning);
  const ladder: Attempt[] = [{ kind: 'ntlmv2' }];
  if (opts.allowLegacyAuth && creds.kind === 'user') ladder.push({ kind: 'ntlmv1' }, { kind: 'ntlmv1-lm' });
  let last: unknown;
  for (const attempt of ladder) {
    try {
      const s = neg.extendedSecurity
        ? await extendedSetup(conn, neg, creds, opts, signing, attempt)
        : await challengeResponseSetup(conn, neg, creds, opts, signing, attempt);
      if (attempt.kind !== 'ntlmv2') opts.log?.(1, `logged in with ${s.method}: ${LEGACY_AUTH_WARNING}`);
      return s;
    } catch (e) {
      last = e;
      if (refusesRawNtlmv2(e, neg, attempt)) {
        // Samba (`raw NTLMv2 auth = no`, its default) answers an NTLMv2 response outside extended
        // security with STATUS_INVALID_PARAMETER before it looks at the password.
        if (!opts.allowLegacyAuth || creds.kind !== 'user') {
          throw refuseLegacy('it refuses NTLMv2 answers without extended security (Samba: raw NTLMv2 auth = no)');
        }
        opts.log?.(2, 'session setup with ntlmv2 refused without extended security: STATUS_INVALID_PARAMETER');
        continue;
      }
      // Only a refused password moves down the ladder; anything else is the answer.
      if (!(e instanceof SmbStatusError && isAuthStatus(e.status))) throw e;
      opts.log?.(2, `session setup with ${attempt.kind} refused: ${e.statusName}`);
    }
  }
  throw last;
}

function refusesRawNtlmv2(e: unknown, neg: Smb1Negotiated, attempt: Attempt): boolean {
  return !neg.extendedSecurity && attempt.kind === 'ntlmv2' && e instanceof SmbStatusError && e.status === NtStatus.STATUS_INVALID_PARAMETER;
}

/** MS-CIFS 3.2.4.2.4: sign when the server requires it, or when we do and the server can. */
function wantsSigning(neg: Smb1Negotiated, callerRequires: boolean): boolean {
  if (callerRequires && !neg.signingEnabled) {
    throw new SmbError('security', 'signing is required but this SMB1 server does not sign', { operation: 'session setup' });
  }
  return neg.signingRequired || callerRequires;
}

function common(neg: Smb1Negotiated) {
  return { maxBufferSize: MAX_BUFFER_SIZE, maxMpxCount: Math.max(1, neg.maxMpxCount), vcNumber: 0, sessionKey: neg.sessionKey, capabilities: neg.clientCapabilities };
}

async function extendedSetup(conn: Smb1Connection, neg: Smb1Negotiated, creds: Credentials, opts: Smb1SessionOptions, signing: boolean, attempt: Attempt): Promise<Smb1Session> {
  const auth = new NtlmSpnegoAuthenticator(toNtlm(creds), {
    host: opts.host,
    ...(attempt.kind === 'ntlmv2' ? {} : { legacyResponse: attempt.kind }),
    onChallenge: (c) => {
      // MS-NLMP 3.1.5.1.2: NTLMv2 needs the server's TargetInfo; a server that sends none can only
      // check NTLMv1/LM answers.
      if (attempt.kind === 'ntlmv2' && !(c.flags & NtlmFlag.TARGET_INFO) && creds.kind === 'user' && !opts.allowLegacyAuth) {
        throw refuseLegacy('its NTLM challenge has no target information, so it cannot check an NTLMv2 answer');
      }
    },
  });
  let token = auth.initialToken();
  let uid = 0;
  for (let leg = 0; leg < MAX_LEGS; leg++) {
    const res = await conn.call(
      {
        command: Smb1Command.SESSION_SETUP_ANDX,
        body: [encodeSessionSetupExtendedRequest({ ...common(neg), securityBlob: token })],
        uid,
        assignsUid: true,
        flags2: signing ? SMB_FLAGS2_SMB_SECURITY_SIGNATURE : 0,
        operation: 'session setup',
      },
      [NtStatus.STATUS_SUCCESS, NtStatus.STATUS_MORE_PROCESSING_REQUIRED],
    );
    const body = decodeSessionSetupResponse(res.msg);
    uid = res.header.uid;
    if (res.status === NtStatus.STATUS_MORE_PROCESSING_REQUIRED) {
      token = auth.respond(body.securityBlob);
      continue;
    }
    auth.finish(body.securityBlob.length > 0 ? body.securityBlob : undefined);
    const isGuest = (body.action & SMB_SETUP_GUEST) !== 0;
    const isAnonymous = creds.kind === 'anonymous';
    const method = isAnonymous ? 'none' : attempt.kind === 'ntlmv1-lm' ? 'lm' : attempt.kind;
    return finish(conn, res, { uid, isGuest, isAnonymous, method }, signing, isGuest || isAnonymous ? undefined : macKeyFor(auth.sessionKey));
  }
  throw new SmbError('auth', 'session setup did not complete', { operation: 'session setup' });
}

async function challengeResponseSetup(
  conn: Smb1Connection,
  neg: Smb1Negotiated,
  creds: Credentials,
  opts: Smb1SessionOptions,
  signing: boolean,
  attempt: Attempt,
): Promise<Smb1Session> {
  if (!neg.encryptPasswords && creds.kind === 'user') {
    throw new SmbError('security', 'this SMB1 server accepts only plaintext passwords, which ShareKeeper never sends', { operation: 'session setup' });
  }
  const p = passwords(creds, neg.challenge, attempt);
  const res = await conn.call({
    command: Smb1Command.SESSION_SETUP_ANDX,
    body: [encodeSessionSetupRequest({ ...common(neg), oemPassword: p.oem, unicodePassword: p.unicode, account: p.account, primaryDomain: p.domain })],
    assignsUid: true,
    flags2: signing ? SMB_FLAGS2_SMB_SECURITY_SIGNATURE : 0,
    operation: 'session setup',
  });
  const body = decodeSessionSetupResponse(res.msg);
  const isGuest = (body.action & SMB_SETUP_GUEST) !== 0;
  const isAnonymous = creds.kind !== 'user';
  return finish(conn, res, { uid: res.header.uid, isGuest, isAnonymous, method: p.method }, signing, isGuest || isAnonymous ? undefined : p.macKey);
}

interface Passwords {
  oem: Buffer;
  unicode: Buffer;
  account: string;
  domain: string;
  method: string;
  macKey: Buffer | undefined;
}

/** MS-CIFS 3.1.5.2: OEMPassword carries the LM/LMv2 answer, UnicodePassword the NTLM/NTLMv2 one. */
function passwords(creds: Credentials, challenge: Buffer, attempt: Attempt): Passwords {
  if (creds.kind !== 'user') {
    const account = creds.kind === 'guest' ? (creds.user ?? 'guest') : '';
    return { oem: Buffer.alloc(creds.kind === 'anonymous' ? 0 : 1), unicode: Buffer.alloc(0), account, domain: '', method: 'none', macKey: undefined };
  }
  const { user, domain } = splitUser(creds.user, creds.domain);
  if (attempt.kind === 'ntlmv2') {
    const key = ntowfv2(creds.password, user, domain);
    const r = computeNtlmv2Response({
      responseKey: key,
      serverChallenge: challenge,
      clientChallenge: randomBytes(8),
      time: (BigInt(Date.now()) + 11_644_473_600_000n) * 10_000n,
      targetInfo: encodeAvPairs([{ id: MsvAv.NbDomainName, value: Buffer.from(domain.toUpperCase(), 'utf16le') }]),
    });
    return { oem: r.lmChallengeResponse, unicode: r.ntChallengeResponse, account: user, domain, method: 'ntlmv2', macKey: macKeyFor(r.sessionBaseKey, r.ntChallengeResponse) };
  }
  // Legacy (only with allowLegacyAuth): NTLMv1 + the LM answer when the password has an LM hash.
  const r = computeNtlmv1Response({ password: creds.password, serverChallenge: challenge, extendedSessionSecurity: false, sendLm: true });
  const hasLm = !r.lmChallengeResponse.equals(r.ntChallengeResponse);
  if (attempt.kind === 'ntlmv1-lm' && hasLm) {
    // An LM-only server checks the OEM answer; sign with the LM session key (MS-CIFS 3.2.5.3).
    const lmKey = lmSessionKey(creds.password)!;
    return { oem: r.lmChallengeResponse, unicode: Buffer.alloc(0), account: user, domain, method: 'lm', macKey: macKeyFor(lmKey, r.lmChallengeResponse) };
  }
  return { oem: r.lmChallengeResponse, unicode: r.ntChallengeResponse, account: user, domain, method: 'ntlmv1', macKey: macKeyFor(r.sessionBaseKey, r.ntChallengeResponse) };
}

/**
 * Turns signing on with the session's MAC key and checks the final SESSION_SETUP answer, which
 * the server signs as message 1 (MS-CIFS 3.2.5.3). Guest and anonymous sessions have no key.
 */
function finish(conn: Smb1Connection, res: Smb1Response, s: Omit<Smb1Session, 'signed'>, signing: boolean, macKey: Buffer | undefined): Smb1Session {
  if (!signing || !macKey || conn.isSigning) return { ...s, signed: conn.isSigning };
  const signed = (res.header.flags2 & SMB_FLAGS2_SMB_SECURITY_SIGNATURE) !== 0;
  if (signed && !conn.verifyWith(macKey, 0, res.msg)) {
    throw new SmbError('security', 'bad signature on the final SESSION_SETUP_ANDX response', { operation: 'session setup' });
  }
  conn.startSigning(macKey);
  return { ...s, signed: true };
}

function refuseLegacy(why: string): SmbError {
  return new SmbError('security', `this server accepts only legacy authentication (NTLMv1/LM): ${why}; allow legacy authentication for this drive only if you accept that ${LEGACY_AUTH_WARNING}`, {
    operation: 'session setup',
  });
}

function toNtlm(creds: Credentials) {
  switch (creds.kind) {
    case 'anonymous':
      return 'anonymous' as const;
    case 'guest':
      return { user: creds.user ?? 'guest', password: '', domain: '' };
    case 'user':
      return { user: creds.user, password: creds.password, domain: creds.domain ?? '' };
  }
}

function splitUser(user: string, domain: string | undefined): { user: string; domain: string } {
  if (domain !== undefined) return { user, domain };
  const slash = user.indexOf('\\');
  if (slash >= 0) return { user: user.slice(slash + 1), domain: user.slice(0, slash) };
  const at = user.lastIndexOf('@');
  if (at > 0) return { user: user.slice(0, at), domain: user.slice(at + 1) };
  return { user, domain: '' };
}
