// NTLMv2 inside SPNEGO, the GSS mechanism SMB2 SESSION_SETUP carries (MS-SMB2 3.2.4.2.3, MS-SPNG,
// MS-NLMP). A small explicit state machine, no I/O: initialToken() -> respond(challenge token) ->
// finish(final token). The SMB layer moves the tokens and derives its keys from sessionKey.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { SmbError } from '../errors.js';
import { Rc4, rc4 } from '../crypto/rc4.js';
import { MSV_AV_FLAG_MIC_PRESENT, MsvAv, decodeAvPairs, encodeAvPairs, type AvPair } from './ntlm-av-pairs.js';
import {
  DEFAULT_VERSION,
  NtlmFlag,
  decodeChallengeMessage,
  encodeAuthenticateMessage,
  encodeNegotiateMessage,
  type ChallengeMessage,
} from './ntlm-messages.js';
import { computeMic, computeNtlmv2Response, ntlmMac, ntowfv2, sealKey, signKey } from './ntlmv2.js';
import { computeNtlmv1Response, kxkeyV1 } from './ntlmv1.js';
import { NTLMSSP_OID, NegState, decodeNegTokenResp, encodeMechTypeList, encodeNegTokenInit, encodeNegTokenResp } from './spnego.js';

export type NtlmCredentials = { user: string; password: string; domain?: string; workstation?: string } | 'anonymous';

/**
 * Legacy responses, sent only when the caller allows legacy authentication (MS-NLMP 3.3.1):
 * 'ntlmv1' is NTLMv1 with NTLM2 session security when the server offers it; 'ntlmv1-lm' is plain
 * NTLMv1 with the LM response (no extended session security), what LM-only servers check.
 */
export type NtlmLegacyResponse = 'ntlmv1' | 'ntlmv1-lm';

export interface NtlmOptions {
  random?: (n: number) => Buffer;
  now?: () => bigint /* FILETIME */;
  /** Answer with NTLMv1/LM instead of NTLMv2 (default: NTLMv2 only). */
  legacyResponse?: NtlmLegacyResponse;
  /** Sees the server's CHALLENGE before any response is computed; may throw to refuse it. */
  onChallenge?: (challenge: ChallengeMessage) => void;
  /** Server host name: adds MsvAvTargetName "cifs/<host>" to the NTLMv2 target info (MS-NLMP 2.2.2.1). */
  host?: string;
}

/** The flags this client asks for (MS-NLMP 2.2.2.5); the server's CHALLENGE may clear the optional ones. */
export const CLIENT_FLAGS =
  (NtlmFlag.UNICODE |
    NtlmFlag.REQUEST_TARGET |
    NtlmFlag.SIGN |
    NtlmFlag.SEAL |
    NtlmFlag.NTLM |
    NtlmFlag.ALWAYS_SIGN |
    NtlmFlag.EXTENDED_SESSIONSECURITY |
    NtlmFlag.TARGET_INFO |
    NtlmFlag.VERSION |
    NtlmFlag.NEGOTIATE_128 |
    NtlmFlag.KEY_EXCH |
    NtlmFlag.NEGOTIATE_56) >>>
  0;

/** Flags kept in AUTHENTICATE only when the server also set them in CHALLENGE. */
const NEGOTIABLE =
  NtlmFlag.SIGN |
  NtlmFlag.SEAL |
  NtlmFlag.ALWAYS_SIGN |
  NtlmFlag.TARGET_INFO |
  NtlmFlag.VERSION |
  NtlmFlag.NEGOTIATE_128 |
  NtlmFlag.KEY_EXCH |
  NtlmFlag.NEGOTIATE_56;

const MECH_TYPES = [NTLMSSP_OID];
const MECH_TYPE_LIST = encodeMechTypeList(MECH_TYPES);

/** Windows time: 100 ns ticks since 1601-01-01 UTC. */
function fileTimeNow(): bigint {
  return (BigInt(Date.now()) + 11_644_473_600_000n) * 10_000n;
}

/** Accepts "DOMAIN\user" and "user@domain" when no domain was given separately. */
function splitUser(user: string, domain: string | undefined): { user: string; domain: string } {
  if (domain !== undefined) return { user, domain };
  const slash = user.indexOf('\\');
  if (slash >= 0) return { user: user.slice(slash + 1), domain: user.slice(0, slash) };
  const at = user.lastIndexOf('@');
  if (at > 0) return { user: user.slice(0, at), domain: user.slice(at + 1) };
  return { user, domain: '' };
}

type State = 'initial' | 'negotiate-sent' | 'authenticate-sent' | 'done';

export class NtlmSpnegoAuthenticator {
  private state: State = 'initial';
  private negotiateMessage: Buffer = Buffer.alloc(0);
  private exportedSessionKey: Buffer | undefined;
  private negotiatedFlags = 0;
  private readonly random: (n: number) => Buffer;
  private readonly now: () => bigint;

  constructor(
    private readonly creds: NtlmCredentials,
    private readonly opts: NtlmOptions = {},
  ) {
    this.random = opts.random ?? randomBytes;
    this.now = opts.now ?? fileTimeNow;
  }

  get isAnonymous(): boolean {
    return this.creds === 'anonymous';
  }

  /** ExportedSessionKey (MS-NLMP 3.1.5.1.2), available once respond() has run; empty for anonymous. */
  get sessionKey(): Buffer {
    if (this.isAnonymous && this.state !== 'initial' && this.state !== 'negotiate-sent') return Buffer.alloc(0);
    if (!this.exportedSessionKey) throw new SmbError('auth', 'NTLM session key requested before authentication');
    return this.exportedSessionKey;
  }

  /** SPNEGO NegTokenInit offering NTLMSSP, carrying the NEGOTIATE_MESSAGE. */
  initialToken(): Buffer {
    this.expectState('initial', 'initialToken');
    // Plain NTLMv1 must not offer NTLM2 session security, or the server expects its response form.
    const offer = this.opts.legacyResponse === 'ntlmv1-lm' ? CLIENT_FLAGS & ~NtlmFlag.EXTENDED_SESSIONSECURITY : CLIENT_FLAGS;
    this.negotiateMessage = encodeNegotiateMessage(offer >>> 0);
    this.state = 'negotiate-sent';
    return encodeNegTokenInit({ mechTypes: MECH_TYPES, mechToken: this.negotiateMessage });
  }

  /** Server NegTokenResp with the CHALLENGE_MESSAGE -> NegTokenResp with the AUTHENTICATE_MESSAGE. */
  respond(serverToken: Buffer): Buffer {
    this.expectState('negotiate-sent', 'respond');
    const resp = decodeNegTokenResp(serverToken);
    if (resp.negState === NegState.REJECT) throw new SmbError('auth', 'server rejected SPNEGO negotiation');
    if (resp.supportedMech !== undefined && resp.supportedMech !== NTLMSSP_OID) {
      throw new SmbError('unsupported', `server chose mechanism ${resp.supportedMech}, not NTLMSSP`);
    }
    if (!resp.responseToken) throw new SmbError('auth', 'server SPNEGO response carries no NTLM challenge');
    const challengeBytes = resp.responseToken;
    const challenge = decodeChallengeMessage(challengeBytes);
    if (!(challenge.flags & NtlmFlag.UNICODE)) throw new SmbError('unsupported', 'server does not offer Unicode NTLM');

    let flags = (CLIENT_FLAGS & ~(NEGOTIABLE & ~challenge.flags)) >>> 0;
    if (this.creds === 'anonymous') {
      // MS-NLMP 3.2.5.1.2 / 3.1.5.1.2: anonymous has an empty NT response, LM = Z(1), no key exchange.
      flags = ((flags & ~NtlmFlag.KEY_EXCH) | NtlmFlag.ANONYMOUS) >>> 0;
      const { message } = encodeAuthenticateMessage({
        flags,
        lmChallengeResponse: Buffer.alloc(1),
        ntChallengeResponse: Buffer.alloc(0),
        domain: '',
        user: '',
        workstation: '',
        encryptedRandomSessionKey: Buffer.alloc(0),
        version: DEFAULT_VERSION,
        withMic: true,
      });
      this.negotiatedFlags = flags;
      this.state = 'authenticate-sent';
      return encodeNegTokenResp({ negState: NegState.ACCEPT_INCOMPLETE, responseToken: message });
    }

    this.opts.onChallenge?.(challenge);
    if (this.opts.legacyResponse) return this.respondV1(this.creds, challenge, flags);
    if (!(challenge.flags & NtlmFlag.EXTENDED_SESSIONSECURITY)) {
      throw new SmbError('unsupported', 'server does not offer NTLM extended session security');
    }
    const { user, domain } = splitUser(this.creds.user, this.creds.domain);
    const serverPairs = decodeAvPairs(challenge.targetInfo);
    const timestamp = serverPairs.find((p) => p.id === MsvAv.Timestamp);
    const time = timestamp && timestamp.value.length === 8 ? timestamp.value.readBigUInt64LE(0) : this.now();
    const targetInfo = encodeAvPairs(this.clientTargetInfo(serverPairs));

    const clientChallenge = this.random(8);
    const r = computeNtlmv2Response({
      responseKey: ntowfv2(this.creds.password, user, domain),
      serverChallenge: challenge.serverChallenge,
      clientChallenge,
      time,
      targetInfo,
      zeroLm: timestamp !== undefined,
    });
    // MS-NLMP 3.4.5.1 KXKEY: for NTLMv2 the KeyExchangeKey is the SessionBaseKey.
    const keyExch = (flags & NtlmFlag.KEY_EXCH) !== 0;
    const exported = keyExch ? this.random(16) : r.sessionBaseKey;
    const { message, micOffset } = encodeAuthenticateMessage({
      flags,
      lmChallengeResponse: r.lmChallengeResponse,
      ntChallengeResponse: r.ntChallengeResponse,
      domain,
      user,
      workstation: this.creds.workstation ?? '',
      encryptedRandomSessionKey: keyExch ? rc4(r.sessionBaseKey, exported) : Buffer.alloc(0),
      version: DEFAULT_VERSION,
      withMic: true,
    });
    computeMic(exported, this.negotiateMessage, challengeBytes, message).copy(message, micOffset);

    this.exportedSessionKey = exported;
    this.negotiatedFlags = flags;
    this.state = 'authenticate-sent';
    // MS-SPNG 3.3.5.1 / RFC 4178 5: with the NTLM MIC in use the peer expects a mechListMIC, the NTLM
    // signature (client signing key, sequence number 0) over the DER MechTypeList we offered.
    return encodeNegTokenResp({
      negState: NegState.ACCEPT_INCOMPLETE,
      responseToken: message,
      mechListMIC: this.mechListMic('client'),
    });
  }

  /**
   * MS-NLMP 3.1.5.1.2 with NTLM v1 responses (3.3.1): no AV pairs, so no MIC and no SPNEGO
   * mechListMIC (Samba and Windows expect neither for v1). Key exchange as for v2, over KXKEY v1.
   */
  private respondV1(creds: Exclude<NtlmCredentials, 'anonymous'>, challenge: ChallengeMessage, negotiated: number): Buffer {
    const ess = this.opts.legacyResponse === 'ntlmv1' && (challenge.flags & NtlmFlag.EXTENDED_SESSIONSECURITY) !== 0;
    const flags = (ess ? negotiated : negotiated & ~NtlmFlag.EXTENDED_SESSIONSECURITY) >>> 0;
    const { user, domain } = splitUser(creds.user, creds.domain);
    const r = computeNtlmv1Response({
      password: creds.password,
      serverChallenge: challenge.serverChallenge,
      extendedSessionSecurity: ess,
      clientChallenge: this.random(8),
      sendLm: !ess,
    });
    const kx = kxkeyV1({ ...r, serverChallenge: challenge.serverChallenge, extendedSessionSecurity: ess });
    const keyExch = (flags & NtlmFlag.KEY_EXCH) !== 0;
    const exported = keyExch ? this.random(16) : kx;
    const { message } = encodeAuthenticateMessage({
      flags,
      lmChallengeResponse: r.lmChallengeResponse,
      ntChallengeResponse: r.ntChallengeResponse,
      domain,
      user,
      workstation: creds.workstation ?? '',
      encryptedRandomSessionKey: keyExch ? rc4(kx, exported) : Buffer.alloc(0),
      version: DEFAULT_VERSION,
      withMic: false,
    });
    this.exportedSessionKey = exported;
    this.negotiatedFlags = flags;
    this.state = 'authenticate-sent';
    return encodeNegTokenResp({ negState: NegState.ACCEPT_INCOMPLETE, responseToken: message });
  }

  /** Checks the server's final SPNEGO token (if any): accept-completed, and its mechListMIC if present. */
  finish(serverToken: Buffer | undefined): void {
    this.expectState('authenticate-sent', 'finish');
    if (serverToken && serverToken.length > 0) {
      const resp = decodeNegTokenResp(serverToken);
      if (resp.negState === NegState.REJECT) throw new SmbError('auth', 'server rejected the NTLM authentication');
      if (resp.negState !== undefined && resp.negState !== NegState.ACCEPT_COMPLETED) {
        throw new SmbError('security', `SPNEGO did not complete (negState ${resp.negState})`);
      }
      // Without extended session security there is no NTLM signing key to check a mechListMIC with.
      const canCheck = !this.opts.legacyResponse || (this.negotiatedFlags & NtlmFlag.EXTENDED_SESSIONSECURITY) !== 0;
      if (resp.mechListMIC && !this.isAnonymous && canCheck) {
        const expected = this.mechListMic('server');
        const got = resp.mechListMIC;
        if (got.length !== expected.length || !timingSafeEqual(got, expected)) {
          throw new SmbError('security', 'SPNEGO mechListMIC from the server does not verify');
        }
      }
    }
    this.state = 'done';
  }

  /** MS-NLMP 3.1.5.1.2: the server's pairs, MsvAvFlags with the MIC bit, optional MsvAvTargetName. */
  private clientTargetInfo(serverPairs: readonly AvPair[]): AvPair[] {
    let avFlags = MSV_AV_FLAG_MIC_PRESENT;
    const out: AvPair[] = [];
    for (const p of serverPairs) {
      if (p.id === MsvAv.Flags && p.value.length === 4) avFlags |= p.value.readUInt32LE(0);
      else if (p.id === MsvAv.Flags || (p.id === MsvAv.TargetName && this.opts.host)) continue;
      else out.push(p);
    }
    const flagsValue = Buffer.alloc(4);
    flagsValue.writeUInt32LE(avFlags >>> 0, 0);
    out.push({ id: MsvAv.Flags, value: flagsValue });
    if (this.opts.host) out.push({ id: MsvAv.TargetName, value: Buffer.from(`cifs/${this.opts.host}`, 'utf16le') });
    return out;
  }

  /** MS-NLMP 3.4.4.2 signature of the MechTypeList with sequence number 0 and a fresh sealing handle. */
  private mechListMic(mode: 'client' | 'server'): Buffer {
    const exported = this.sessionKey;
    const keyExch = (this.negotiatedFlags & NtlmFlag.KEY_EXCH) !== 0;
    const seal = keyExch ? new Rc4(sealKey(exported, this.negotiatedFlags, mode)) : undefined;
    return ntlmMac(signKey(exported, mode), seal, 0, MECH_TYPE_LIST);
  }

  private expectState(want: State, op: string): void {
    if (this.state !== want) throw new SmbError('auth', `NTLM ${op} called in state ${this.state}`);
  }
}
