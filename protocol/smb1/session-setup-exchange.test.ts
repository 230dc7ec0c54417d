// SESSION_SETUP_ANDX exchanges against a scripted server: NTLMv2 by default (NTLMSSP, or the
// challenge/response form), legacy answers only with allowLegacyAuth and only after NTLMv2 was
// refused, refusal ('security') of servers that can check nothing better, signing from the final
// answer (MS-CIFS 3.2.5.3).
import { describe, expect, it } from 'vitest';
import { decodeAuthenticateMessage, NtlmFlag } from '../auth/ntlm-messages.js';
import { computeNtlmv1Response } from '../auth/ntlmv1.js';
import * as V from '../auth/ntlm-vectors.test-data.js';
import { NTLMSSP_OID, NegState, decodeNegTokenInit, decodeNegTokenResp, encodeNegTokenResp } from '../auth/spnego.js';
import { SmbError } from '../errors.js';
import { ScriptedTransport } from '../smb2/scripted-transport.test-helpers.js';
import { ByteReader } from '../wire/byte-reader.js';
import { SMB_FLAGS2_SMB_SECURITY_SIGNATURE, SMB_FLAGS_REPLY, Smb1Command } from './constants.js';
import { Smb1Connection } from './connection.js';
import { decodeNegotiateResponse } from './commands/negotiate.js';
import { CHALLENGE, EXTENDED } from './commands/negotiate.test-data.js';
import { decodeHeader, encodeHeader } from './header.js';
import { readBlock } from './message.js';
import { smb1Negotiated } from './negotiate-exchange.js';
import { setupSmb1Session } from './session-setup-exchange.js';
import { macKeyFor, signSmb1, verifySmb1 } from './signing.js';
import { hex } from './smb1.test-helpers.js';

const USER = { kind: 'user' as const, user: V.USER, password: V.PASSWORD, domain: V.DOMAIN };
const LOGON_FAILURE = 0xc000006d;
const MORE = 0xc0000016;
const INVALID_PARAMETER = 0xc000000d;

/** The NEGOTIATE answers with SecurityMode changed (default: user, encrypted, no signing). */
function negotiated(base: Buffer, securityMode = 0x03) {
  const msg = Buffer.from(base);
  msg[32 + 3] = securityMode;
  return smb1Negotiated(decodeNegotiateResponse(msg));
}

function reply(req: Buffer, o: { status?: number; uid?: number; rest: Buffer; sign?: { key: Buffer; seq: number } }): Buffer {
  const h = decodeHeader(req);
  const header = encodeHeader({ command: h.command, status: o.status ?? 0, flags: SMB_FLAGS_REPLY, flags2: h.flags2 | (o.sign ? SMB_FLAGS2_SMB_SECURITY_SIGNATURE : 0), pid: h.pid, tid: h.tid, uid: o.uid ?? 100, mid: h.mid });
  const parts = [header, o.rest];
  if (o.sign) signSmb1(o.sign.key, o.sign.seq, parts);
  return Buffer.concat(parts);
}

const extendedAnswer = (blob: Buffer): Buffer => {
  const r = Buffer.alloc(1 + 8 + 2);
  r[0] = 4;
  r.writeUInt8(0xff, 1);
  r.writeUInt16LE(blob.length, 7);
  r.writeUInt16LE(blob.length, 9);
  return Buffer.concat([r, blob]);
};
const challengeToken = (challenge: Buffer): Buffer => encodeNegTokenResp({ negState: NegState.ACCEPT_INCOMPLETE, supportedMech: NTLMSSP_OID, responseToken: challenge });

/** The security blob (extended) or the two passwords (challenge/response) of a SESSION_SETUP request. */
function requestOf(msg: Buffer): { blob?: Buffer; oem?: Buffer; unicode?: Buffer } {
  const b = readBlock(msg, 32, 'req');
  const w = new ByteReader(msg, 'req', b.words.offset, b.words.offset + b.wordCount * 2);
  if (b.wordCount === 12) {
    w.skip(14, 'x');
    return { blob: msg.subarray(b.bytesOffset, b.bytesOffset + w.u16('len')) };
  }
  w.skip(14, 'x');
  const oemLen = w.u16('o');
  const uniLen = w.u16('u');
  return { oem: msg.subarray(b.bytesOffset, b.bytesOffset + oemLen), unicode: msg.subarray(b.bytesOffset + oemLen, b.bytesOffset + oemLen + uniLen) };
}

/** NT response of an NTLMSSP AUTHENTICATE inside a SPNEGO NegTokenResp. */
const ntResponseOf = (blob: Buffer): Buffer => decodeAuthenticateMessage(decodeNegTokenResp(blob).responseToken!).ntChallengeResponse;

/** An NTLMSSP server: CHALLENGE to every NEGOTIATE, then `judge` decides on each AUTHENTICATE. */
function extendedServer(judge: (nt: Buffer, attempt: number) => number, challenge = V.CHALLENGE_MESSAGE) {
  const transport = new ScriptedTransport();
  const conn = new Smb1Connection(transport, { timeoutMs: 2000 });
  let attempt = 0;
  const nts: Buffer[] = [];
  transport.onSend = (msg) => {
    const { blob } = requestOf(msg);
    const isNegotiate = blob![0] === 0x60; // NegTokenInit
    if (isNegotiate) {
      expect(decodeNegTokenInit(blob!).mechToken).toBeDefined();
      return queueMicrotask(() => conn.receive(reply(msg, { status: MORE, rest: extendedAnswer(challengeToken(challenge)) })));
    }
    const nt = ntResponseOf(blob!);
    nts.push(nt);
    const status = judge(nt, attempt++);
    queueMicrotask(() => conn.receive(reply(msg, { status, rest: status === 0 ? extendedAnswer(Buffer.alloc(0)) : hex('00 0000') })));
  };
  return { transport, conn, nts };
}

const opts = (allowLegacyAuth = false, requireSigning = false) => ({ requireSigning, allowLegacyAuth, host: 'server' });

describe('extended security (NTLMSSP)', () => {
  it('NTLMv2 by default; unsigned when neither side asks', async () => {
    const s = extendedServer(() => 0);
    const session = await setupSmb1Session(s.conn, negotiated(EXTENDED), USER, opts());
    expect(session).toMatchObject({ uid: 100, isGuest: false, signed: false, method: 'ntlmv2' });
    expect(s.nts[0]!.length).toBeGreaterThan(24);
  });

  it('NTLMv2 refused and no permission: the refusal, and no weak answer was ever sent', async () => {
    const s = extendedServer(() => LOGON_FAILURE);
    await expect(setupSmb1Session(s.conn, negotiated(EXTENDED), USER, opts())).rejects.toMatchObject({ code: 'auth' });
    expect(s.nts).toHaveLength(1);
    expect(s.nts.every((nt) => nt.length > 24)).toBe(true);
  });

  it('with allowLegacyAuth: NTLMv2 first, then NTLMv1 with NTLM2 session security, then NTLMv1 + LM', async () => {
    const s = extendedServer((_nt, attempt) => (attempt < 2 ? LOGON_FAILURE : 0));
    const session = await setupSmb1Session(s.conn, negotiated(EXTENDED), USER, opts(true));
    expect(session.method).toBe('lm');
    expect(s.nts.map((nt) => nt.length)).toEqual([s.nts[0]!.length, 24, 24]);
    expect(s.nts[0]!.length).toBeGreaterThan(24);
    // The last is plain NTLMv1 over the server challenge (MS-NLMP 4.2.2.2.1).
    expect(s.nts[2]).toEqual(hex('67c43011f30298a2ad35ece64f16331c44bdbed927841f94'));
  });

  it('a CHALLENGE without TargetInfo (no NTLMv2 possible) and no permission: security, before any answer', async () => {
    const noInfo = Buffer.from(V.CHALLENGE_MESSAGE);
    noInfo.writeUInt32LE((noInfo.readUInt32LE(20) & ~NtlmFlag.TARGET_INFO) >>> 0, 20);
    const s = extendedServer(() => 0, noInfo);
    await expect(setupSmb1Session(s.conn, negotiated(EXTENDED), USER, opts())).rejects.toMatchObject({ code: 'security', message: /only legacy authentication/ });
    expect(s.nts).toHaveLength(0);
  });

  it('signing required by the caller but the server cannot sign: security', async () => {
    const s = extendedServer(() => 0);
    await expect(setupSmb1Session(s.conn, negotiated(EXTENDED, 0x03), USER, opts(false, true))).rejects.toMatchObject({ code: 'security' });
  });
});

describe('challenge/response (MS-CIFS 3.1.5.2)', () => {
  function plainServer(judge: (p: { oem: Buffer; unicode: Buffer }, attempt: number) => { status: number; sign?: { key: Buffer; seq: number } }) {
    const transport = new ScriptedTransport();
    const conn = new Smb1Connection(transport, { timeoutMs: 2000 });
    let attempt = 0;
    const seen: { oem: Buffer; unicode: Buffer }[] = [];
    transport.onSend = (msg) => {
      if (decodeHeader(msg).command !== Smb1Command.SESSION_SETUP_ANDX) return;
      const p = requestOf(msg) as { oem: Buffer; unicode: Buffer };
      seen.push({ oem: Buffer.from(p.oem), unicode: Buffer.from(p.unicode) });
      const v = judge(p, attempt++);
      queueMicrotask(() => conn.receive(reply(msg, { status: v.status, rest: v.status === 0 ? hex('03 ff00 0000 0000 0000') : hex('00 0000'), ...(v.sign ? { sign: v.sign } : {}) })));
    };
    return { transport, conn, seen };
  }
  const challenge = hex('0123456789abcdef'); // the CHALLENGE answer's

  it('NTLMv2 and LMv2 by default', async () => {
    const s = plainServer(() => ({ status: 0 }));
    const session = await setupSmb1Session(s.conn, negotiated(CHALLENGE), USER, opts());
    expect(session.method).toBe('ntlmv2');
    expect(s.seen[0]!.unicode.length).toBeGreaterThan(24);
    expect(s.seen[0]!.oem.length).toBe(24);
  });

  it('legacy ladder: NTLMv1 + LM, then LM alone; signed with the LM session key + LM response', async () => {
    const v1 = computeNtlmv1Response({ password: V.PASSWORD, serverChallenge: challenge, extendedSessionSecurity: false, sendLm: true });
    const lmKey = Buffer.concat([hex('e52cac67419a9a22'), Buffer.alloc(8)]);
    const s = plainServer((_p, attempt) => (attempt < 2 ? { status: LOGON_FAILURE } : { status: 0, sign: { key: macKeyFor(lmKey, v1.lmChallengeResponse), seq: 1 } }));
    const session = await setupSmb1Session(s.conn, negotiated(CHALLENGE, 0x0f), USER, opts(true));
    expect(session).toMatchObject({ method: 'lm', signed: true });
    expect(s.seen[1]).toEqual({ oem: v1.lmChallengeResponse, unicode: v1.ntChallengeResponse });
    expect(s.seen[2]).toEqual({ oem: v1.lmChallengeResponse, unicode: Buffer.alloc(0) });
    // The next request is number 2 under that key.
    void s.conn.send({ command: Smb1Command.ECHO, body: [hex('01 0100 0000')] }).catch(() => undefined);
    expect(verifySmb1(macKeyFor(lmKey, v1.lmChallengeResponse), 2, s.transport.sent.at(-1)!)).toBe(true);
    s.conn.fail(new SmbError('cancelled', 'done'));
  });

  it("STATUS_INVALID_PARAMETER to NTLMv2 (Samba's raw NTLMv2 auth = no): security without permission, NTLMv1 next with it", async () => {
    const strict = plainServer(() => ({ status: INVALID_PARAMETER }));
    await expect(setupSmb1Session(strict.conn, negotiated(CHALLENGE), USER, opts())).rejects.toMatchObject({ code: 'security', message: /refuses NTLMv2 answers without extended security/ });
    expect(strict.seen).toHaveLength(1);
    const legacy = plainServer((_p, attempt) => ({ status: attempt === 0 ? INVALID_PARAMETER : 0 }));
    const session = await setupSmb1Session(legacy.conn, negotiated(CHALLENGE), USER, opts(true));
    expect(session.method).toBe('ntlmv1');
    expect(legacy.seen[1]!.unicode.length).toBe(24);
    // INVALID_PARAMETER to NTLMv1 is the answer as it is.
    const worse = plainServer(() => ({ status: INVALID_PARAMETER }));
    await expect(setupSmb1Session(worse.conn, negotiated(CHALLENGE), USER, opts(true))).rejects.toMatchObject({ code: 'status', status: INVALID_PARAMETER });
    expect(worse.seen).toHaveLength(2);
  });

  it('a final answer signed with the wrong key is refused', async () => {
    const s = plainServer(() => ({ status: 0, sign: { key: hex('ff'.repeat(40)), seq: 1 } }));
    await expect(setupSmb1Session(s.conn, negotiated(CHALLENGE, 0x0f), USER, opts())).rejects.toMatchObject({ code: 'security' });
  });

  it('a server that takes only plaintext passwords is refused before anything is sent', async () => {
    const s = plainServer(() => ({ status: 0 }));
    await expect(setupSmb1Session(s.conn, negotiated(CHALLENGE, 0x01), USER, opts(true))).rejects.toMatchObject({ code: 'security', message: /plaintext/ });
    expect(s.seen).toHaveLength(0);
  });
});
