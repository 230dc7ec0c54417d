// NTLMv1 and LM (MS-NLMP 3.3.1), with and without NTLM2 session security (extended session
// security, 3.3.1 "If NTLMSSP_NEGOTIATE_EXTENDED_SESSIONSECURITY"), and the v1 key exchange key
// (3.4.5.1 KXKEY). Pure functions over buffers.
//
// These responses are weak: a captured LM or NTLMv1 response gives the password hash back to an
// offline attack in hours or less. They are computed only when a caller explicitly allows legacy
// authentication (ConnectOptions.allowLegacyAuth).
import { createHash } from 'node:crypto';
import { des56 } from '../crypto/des.js';
import { md4 } from '../crypto/md4.js';
import { hmacMd5 } from './ntlmv2.js';

/** The LM "magic" plaintext (MS-NLMP 3.3.1 LMOWFv1). */
const LM_MAGIC = Buffer.from('KGS!@#$%', 'latin1');
/** LMOWFv1 is defined for passwords of at most 14 characters (MS-NLMP 3.3.1, "Passwd"). */
export const LM_MAX_PASSWORD = 14;

/**
 * LMOWFv1(Passwd) = DES(UpperCase(Passwd)[0..6], "KGS!@#$%") || DES(UpperCase(Passwd)[7..13], "KGS!@#$%"),
 * the password upper-cased in the OEM character set and zero-padded to 14 bytes. Undefined when the
 * password is longer than 14 characters or has characters outside the OEM set we use (Latin-1):
 * such a password has no LM hash, and the LM response must not be sent.
 */
export function lmowfv1(password: string): Buffer | undefined {
  const upper = password.toUpperCase();
  if (upper.length > LM_MAX_PASSWORD || !/^[\x20-\x7e\xa0-\xff]*$/.test(upper)) return undefined;
  const oem = Buffer.alloc(LM_MAX_PASSWORD);
  oem.write(upper, 'latin1');
  return Buffer.concat([des56(oem.subarray(0, 7), LM_MAGIC), des56(oem.subarray(7, 14), LM_MAGIC)]);
}

/** NTOWFv1(Passwd) = MD4(UNICODE(Passwd)) (MS-NLMP 3.3.1). */
export function ntowfv1(password: string): Buffer {
  return md4(Buffer.from(password, 'utf16le'));
}

/**
 * DESL(K, D) (MS-NLMP 6): the 16-byte key split into three 7-byte DES keys, the last zero-padded,
 * each encrypting the same 8 bytes: a 24-byte result.
 */
export function desl(key16: Buffer, data8: Buffer): Buffer {
  if (key16.length !== 16 || data8.length !== 8) throw new RangeError('DESL takes a 16-byte key and 8 bytes of data');
  const third = Buffer.alloc(7);
  key16.copy(third, 0, 14, 16);
  return Buffer.concat([des56(key16.subarray(0, 7), data8), des56(key16.subarray(7, 14), data8), des56(third, data8)]);
}

export interface Ntlmv1Responses {
  ntChallengeResponse: Buffer;
  lmChallengeResponse: Buffer;
  /** SessionBaseKey = MD4(NTOWFv1) (MS-NLMP 3.3.1). */
  sessionBaseKey: Buffer;
}

export interface Ntlmv1Input {
  password: string;
  serverChallenge: Buffer;
  /** NTLM2 session security (extended session security): needs an 8-byte client challenge. */
  extendedSessionSecurity: boolean;
  clientChallenge?: Buffer;
  /** Send the LM response in LmChallengeResponse (else a copy of the NT response, 3.3.1 NoLMResponseNTLMv1). */
  sendLm?: boolean;
}

/** MS-NLMP 3.3.1 ComputeResponse for NTLM v1. */
export function computeNtlmv1Response(p: Ntlmv1Input): Ntlmv1Responses {
  const ntHash = ntowfv1(p.password);
  const sessionBaseKey = md4(ntHash);
  if (p.extendedSessionSecurity) {
    const clientChallenge = p.clientChallenge;
    if (!clientChallenge || clientChallenge.length !== 8) throw new RangeError('NTLM2 session security needs an 8-byte client challenge');
    const digest = createHash('md5').update(p.serverChallenge).update(clientChallenge).digest().subarray(0, 8);
    return {
      ntChallengeResponse: desl(ntHash, digest),
      lmChallengeResponse: Buffer.concat([clientChallenge, Buffer.alloc(16)]),
      sessionBaseKey,
    };
  }
  const nt = desl(ntHash, p.serverChallenge);
  const lmHash = p.sendLm ? lmowfv1(p.password) : undefined;
  return { ntChallengeResponse: nt, lmChallengeResponse: lmHash ? desl(lmHash, p.serverChallenge) : Buffer.from(nt), sessionBaseKey };
}

/** The LM response alone: DESL(LMOWFv1, challenge); undefined when the password has no LM hash. */
export function computeLmResponse(password: string, serverChallenge: Buffer): Buffer | undefined {
  const lmHash = lmowfv1(password);
  return lmHash ? desl(lmHash, serverChallenge) : undefined;
}

/**
 * MS-NLMP 3.4.5.1 KXKEY for NTLM v1: with extended session security HMAC_MD5(SessionBaseKey,
 * ServerChallenge || LmChallengeResponse[0..7]); otherwise the SessionBaseKey (we never negotiate
 * NTLMSSP_NEGOTIATE_LM_KEY or REQUEST_NON_NT_SESSION_KEY).
 */
export function kxkeyV1(p: { sessionBaseKey: Buffer; serverChallenge: Buffer; lmChallengeResponse: Buffer; extendedSessionSecurity: boolean }): Buffer {
  if (!p.extendedSessionSecurity) return p.sessionBaseKey;
  return hmacMd5(p.sessionBaseKey, p.serverChallenge, p.lmChallengeResponse.subarray(0, 8));
}

/**
 * The session key of a logon that sent only the LM response (MS-CIFS 3.2.5.3, "LM session key"):
 * the first 8 bytes of the LM hash followed by 8 zero bytes.
 */
export function lmSessionKey(password: string): Buffer | undefined {
  const lmHash = lmowfv1(password);
  return lmHash ? Buffer.concat([lmHash.subarray(0, 8), Buffer.alloc(8)]) : undefined;
}
