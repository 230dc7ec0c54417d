import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SmbError } from '../errors.js';
import { Rc4, rc4 } from '../crypto/rc4.js';
import { MSV_AV_FLAG_MIC_PRESENT, MsvAv, decodeAvPairs, encodeAvPairs } from './ntlm-av-pairs.js';
import { NtlmFlag, decodeAuthenticateMessage } from './ntlm-messages.js';
import { NtlmSpnegoAuthenticator } from './ntlm-spnego-authenticator.js';
import * as V from './ntlm-vectors.test-data.js';
import { computeMic, hmacMd5, ntlmMac, ntowfv2, sealKey, signKey } from './ntlmv2.js';
import { NTLMSSP_OID, NegState, decodeNegTokenInit, decodeNegTokenResp, encodeMechTypeList, encodeNegTokenResp } from './spnego.js';

const deterministic = (): { random: (n: number) => Buffer; now: () => bigint } => ({
  // First call: the 8-byte client challenge; second: the 16-byte ExportedSessionKey.
  random: (n) => (n === 8 ? V.CLIENT_CHALLENGE : V.RANDOM_SESSION_KEY),
  now: () => 0x01d0000000000000n,
});

/** A CHALLENGE_MESSAGE like Samba's: 4.2.4.3 target info plus MsvAvTimestamp. */
function challengeWithTimestamp(ts: bigint): Buffer {
  const stamp = Buffer.alloc(8);
  stamp.writeBigUInt64LE(ts);
  const pairs = [...decodeAvPairs(V.TARGET_INFO), { id: MsvAv.Timestamp, value: stamp }];
  const info = encodeAvPairs(pairs);
  const head = Buffer.from(V.CHALLENGE_MESSAGE.subarray(0, 0x44)); // header, Version, TargetName "Server"
  head.writeUInt16LE(info.length, 40);
  head.writeUInt16LE(info.length, 42);
  return Buffer.concat([head, info]);
}

const serverToken = (challenge: Buffer): Buffer =>
  encodeNegTokenResp({ negState: NegState.ACCEPT_INCOMPLETE, supportedMech: NTLMSSP_OID, responseToken: challenge });

/** What a server does with our AUTHENTICATE: recompute NTProofStr, MIC, session key, mechListMIC. */
function serverCheck(negotiate: Buffer, challenge: Buffer, reply: Buffer) {
  const resp = decodeNegTokenResp(reply);
  const authBytes = resp.responseToken ?? Buffer.alloc(0);
  const auth = decodeAuthenticateMessage(authBytes);
  const key = ntowfv2(V.PASSWORD, auth.user, auth.domain);
  const proof = auth.ntChallengeResponse.subarray(0, 16);
  const temp = auth.ntChallengeResponse.subarray(16);
  expect(hmacMd5(key, V.SERVER_CHALLENGE, temp).equals(proof)).toBe(true);
  const sessionBaseKey = hmacMd5(key, proof);
  const exported = rc4(sessionBaseKey, auth.encryptedRandomSessionKey);
  const zeroed = Buffer.from(authBytes);
  const mic = Buffer.from(zeroed.subarray(72, 88));
  zeroed.fill(0, 72, 88);
  expect(computeMic(exported, negotiate, challenge, zeroed).equals(mic)).toBe(true);
  const clientSeal = new Rc4(sealKey(exported, auth.flags, 'client'));
  const wantListMic = ntlmMac(signKey(exported, 'client'), clientSeal, 0, encodeMechTypeList([NTLMSSP_OID]));
  expect(resp.mechListMIC?.equals(wantListMic)).toBe(true);
  const serverListMic = ntlmMac(
    signKey(exported, 'server'),
    new Rc4(sealKey(exported, auth.flags, 'server')),
    0,
    encodeMechTypeList([NTLMSSP_OID]),
  );
  return { auth, temp, exported, serverListMic };
}

describe('NtlmSpnegoAuthenticator', () => {
  it('runs the whole exchange against the 4.2.4.3 challenge and a server-side check', () => {
    const a = new NtlmSpnegoAuthenticator({ user: V.USER, password: V.PASSWORD, domain: V.DOMAIN, workstation: V.WORKSTATION }, deterministic());
    const init = decodeNegTokenInit(a.initialToken());
    expect(init.mechTypes).toEqual([NTLMSSP_OID]);
    const negotiate = init.mechToken ?? Buffer.alloc(0);
    expect(negotiate.readUInt32LE(12)).toBe(0xe2888235);

    const reply = a.respond(serverToken(V.CHALLENGE_MESSAGE));
    const { auth, temp, exported, serverListMic } = serverCheck(negotiate, V.CHALLENGE_MESSAGE, reply);
    expect(auth.flags & NtlmFlag.KEY_EXCH).toBeTruthy();
    expect(auth.encryptedRandomSessionKey.length).toBe(16);
    expect(auth.lmChallengeResponse.length).toBe(24);
    expect(a.sessionKey.equals(V.RANDOM_SESSION_KEY)).toBe(true);
    expect(exported.equals(V.RANDOM_SESSION_KEY)).toBe(true);
    // The server's pairs are kept, MsvAvFlags carries MIC-present, time is now() without a server timestamp.
    const pairs = decodeAvPairs(temp.subarray(28));
    expect(pairs.map((p) => p.id)).toEqual([MsvAv.NbDomainName, MsvAv.NbComputerName, MsvAv.Flags]);
    expect(pairs[2]?.value.readUInt32LE(0)).toBe(MSV_AV_FLAG_MIC_PRESENT);
    expect(temp.readBigUInt64LE(8)).toBe(0x01d0000000000000n);

    a.finish(encodeNegTokenResp({ negState: NegState.ACCEPT_COMPLETED, mechListMIC: serverListMic }));
  });

  it("uses the server's MsvAvTimestamp and then sends a zero LM response", () => {
    const ts = 0x01d4a0b0c0d0e0f0n;
    const challenge = challengeWithTimestamp(ts);
    const a = new NtlmSpnegoAuthenticator({ user: 'DOMAIN\\someone', password: V.PASSWORD }, deterministic());
    const negotiate = decodeNegTokenInit(a.initialToken()).mechToken ?? Buffer.alloc(0);
    const { auth, temp } = serverCheck(negotiate, challenge, a.respond(serverToken(challenge)));
    expect([auth.domain, auth.user]).toEqual(['DOMAIN', 'someone']);
    expect(auth.lmChallengeResponse.equals(Buffer.alloc(24))).toBe(true);
    expect(temp.readBigUInt64LE(8)).toBe(ts);
  });

  it('adds MsvAvTargetName when given a host', () => {
    const a = new NtlmSpnegoAuthenticator({ user: V.USER, password: V.PASSWORD }, { ...deterministic(), host: 'files' });
    const negotiate = decodeNegTokenInit(a.initialToken()).mechToken ?? Buffer.alloc(0);
    const { temp } = serverCheck(negotiate, V.CHALLENGE_MESSAGE, a.respond(serverToken(V.CHALLENGE_MESSAGE)));
    const name = decodeAvPairs(temp.subarray(28)).find((p) => p.id === MsvAv.TargetName);
    expect(name?.value.toString('utf16le')).toBe('cifs/files');
  });

  it("rejects a server mechListMIC that does not verify, and a non-completed final state", () => {
    const make = (): NtlmSpnegoAuthenticator => {
      const a = new NtlmSpnegoAuthenticator({ user: V.USER, password: V.PASSWORD }, deterministic());
      a.initialToken();
      a.respond(serverToken(V.CHALLENGE_MESSAGE));
      return a;
    };
    expect(() => make().finish(encodeNegTokenResp({ negState: 0, mechListMIC: Buffer.alloc(16, 1) }))).toThrow(
      expect.objectContaining({ code: 'security' }),
    );
    expect(() => make().finish(encodeNegTokenResp({ negState: NegState.REJECT }))).toThrow(expect.objectContaining({ code: 'auth' }));
    expect(() => make().finish(encodeNegTokenResp({ negState: NegState.REQUEST_MIC }))).toThrow(expect.objectContaining({ code: 'security' }));
    make().finish(undefined); // a server may send no final token
  });

  it('anonymous: LM = Z(1), empty NT, ANONYMOUS flag, no key exchange, no MIC, empty session key', () => {
    const a = new NtlmSpnegoAuthenticator('anonymous');
    expect(a.isAnonymous).toBe(true);
    a.initialToken();
    const resp = decodeNegTokenResp(a.respond(serverToken(V.CHALLENGE_MESSAGE)));
    expect(resp.mechListMIC).toBeUndefined();
    const auth = decodeAuthenticateMessage(resp.responseToken ?? Buffer.alloc(0));
    expect(auth.lmChallengeResponse.equals(Buffer.alloc(1))).toBe(true);
    expect(auth.ntChallengeResponse.length).toBe(0);
    expect(auth.encryptedRandomSessionKey.length).toBe(0);
    expect(auth.flags & NtlmFlag.ANONYMOUS).toBeTruthy();
    expect(auth.flags & NtlmFlag.KEY_EXCH).toBe(0);
    expect([auth.user, auth.domain]).toEqual(['', '']);
    a.finish(encodeNegTokenResp({ negState: NegState.ACCEPT_COMPLETED }));
    expect(a.sessionKey.length).toBe(0);
  });

  it('enforces the call order', () => {
    const a = new NtlmSpnegoAuthenticator({ user: 'u', password: 'p' });
    expect(() => a.respond(serverToken(V.CHALLENGE_MESSAGE))).toThrow(SmbError);
    expect(() => a.sessionKey).toThrow(SmbError);
    a.initialToken();
    expect(() => a.initialToken()).toThrow(SmbError);
    expect(() => a.finish(undefined)).toThrow(SmbError);
  });

  it('a server choosing another mechanism or rejecting is reported, not crashed on', () => {
    const a = new NtlmSpnegoAuthenticator({ user: 'u', password: 'p' });
    a.initialToken();
    expect(() => a.respond(encodeNegTokenResp({ negState: 1, supportedMech: '1.2.840.113554.1.2.2' }))).toThrow(
      expect.objectContaining({ code: 'unsupported' }),
    );
    const b = new NtlmSpnegoAuthenticator({ user: 'u', password: 'p' });
    b.initialToken();
    expect(() => b.respond(encodeNegTokenResp({ negState: NegState.REJECT }))).toThrow(expect.objectContaining({ code: 'auth' }));
  });

  it('respond() only ever throws SmbError on random or mutated server tokens', () => {
    const seed = serverToken(challengeWithTimestamp(1n));
    const mutated = fc
      .tuple(fc.array(fc.tuple(fc.nat(), fc.nat(255)), { maxLength: 6 }), fc.nat())
      .map(([edits, cut]) => {
        const b = Buffer.from(seed);
        for (const [at, v] of edits) b[at % b.length] = v;
        return b.subarray(0, cut % (b.length + 1));
      });
    const input = fc.oneof(fc.uint8Array({ maxLength: 150 }).map((u) => Buffer.from(u)), mutated);
    fc.assert(
      fc.property(input, fc.boolean(), (buf, anonymous) => {
        const a = new NtlmSpnegoAuthenticator(anonymous ? 'anonymous' : { user: 'u', password: 'p' });
        a.initialToken();
        try {
          a.respond(buf);
        } catch (e) {
          expect(e).toBeInstanceOf(SmbError);
        }
      }),
      { numRuns: 1500 },
    );
  });
});
