import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SmbError } from '../errors.js';
import { MsvAv, decodeAvPairs, encodeAvPairs } from './ntlm-av-pairs.js';
import {
  NtlmFlag,
  decodeAuthenticateMessage,
  decodeChallengeMessage,
  encodeAuthenticateMessage,
  encodeNegotiateMessage,
} from './ntlm-messages.js';
import * as V from './ntlm-vectors.test-data.js';

describe('NTLM messages', () => {
  it('decodes the 4.2.4.3 CHALLENGE_MESSAGE', () => {
    const c = decodeChallengeMessage(V.CHALLENGE_MESSAGE);
    expect(c.flags).toBe(0xe28a8233);
    expect(c.serverChallenge.equals(V.SERVER_CHALLENGE)).toBe(true);
    expect(c.targetName.toString('utf16le')).toBe('Server');
    expect(c.targetInfo.equals(V.TARGET_INFO)).toBe(true);
    expect(c.version?.toString('hex')).toBe('060070170000000f');
    const pairs = decodeAvPairs(c.targetInfo);
    expect(pairs.map((p) => [p.id, p.value.toString('utf16le')])).toEqual([
      [MsvAv.NbDomainName, 'Domain'],
      [MsvAv.NbComputerName, 'Server'],
    ]);
    expect(encodeAvPairs(pairs).equals(V.TARGET_INFO)).toBe(true);
  });

  it('encodes the 4.2.4.3 AUTHENTICATE_MESSAGE byte for byte', () => {
    const { message, micOffset } = encodeAuthenticateMessage({
      flags: 0xe2888235,
      lmChallengeResponse: V.LMV2_RESPONSE,
      ntChallengeResponse: V.AUTHENTICATE_MESSAGE.subarray(0x84, 0x84 + 84),
      domain: V.DOMAIN,
      user: V.USER,
      workstation: V.WORKSTATION,
      encryptedRandomSessionKey: V.ENCRYPTED_SESSION_KEY,
      version: Buffer.from('0501280a0000000f', 'hex'),
      withMic: false,
    });
    expect(micOffset).toBe(-1);
    expect(message.toString('hex')).toBe(V.AUTHENTICATE_MESSAGE.toString('hex'));
    const d = decodeAuthenticateMessage(message);
    expect([d.domain, d.user, d.workstation, d.flags]).toEqual([V.DOMAIN, V.USER, V.WORKSTATION, 0xe2888235]);
  });

  it('reserves the MIC field after Version when asked', () => {
    const { message, micOffset } = encodeAuthenticateMessage({
      flags: 0xe2888235,
      lmChallengeResponse: Buffer.alloc(24),
      ntChallengeResponse: Buffer.alloc(50, 1),
      domain: 'D',
      user: 'u',
      workstation: '',
      encryptedRandomSessionKey: Buffer.alloc(16, 2),
      version: Buffer.alloc(8),
      withMic: true,
    });
    expect(micOffset).toBe(72);
    expect(message.readUInt32LE(0x1c + 4)).toBe(88); // DomainName offset: payload starts after the MIC
    expect(decodeAuthenticateMessage(message).user).toBe('u');
  });

  it('encodes a 40-byte NEGOTIATE_MESSAGE', () => {
    const m = encodeNegotiateMessage(0xe2888235);
    expect(m.length).toBe(40);
    expect(m.subarray(0, 12).toString('hex')).toBe('4e544c4d5353500001000000');
    expect(m.readUInt32LE(12)).toBe(0xe2888235);
  });

  it('rejects a wrong signature, type or truncated message with a typed error', () => {
    const bad = Buffer.from(V.CHALLENGE_MESSAGE);
    bad[0] = 0x41;
    expect(() => decodeChallengeMessage(bad)).toThrow(SmbError);
    expect(() => decodeChallengeMessage(V.AUTHENTICATE_MESSAGE)).toThrow(/MessageType/);
    expect(() => decodeChallengeMessage(V.CHALLENGE_MESSAGE.subarray(0, 30))).toThrow(SmbError);
    const lying = Buffer.from(V.CHALLENGE_MESSAGE);
    lying.writeUInt16LE(0x400, 40); // TargetInfoLen beyond the message
    expect(() => decodeChallengeMessage(lying)).toThrow(/TargetInfo/);
    expect(NtlmFlag.KEY_EXCH).toBe(0x40000000);
  });

  it('decoders only ever throw SmbError on random and mutated input', () => {
    const seeds = [V.CHALLENGE_MESSAGE, V.AUTHENTICATE_MESSAGE, V.TARGET_INFO];
    const decoders = [decodeChallengeMessage, decodeAuthenticateMessage, decodeAvPairs];
    const mutated = fc
      .tuple(fc.constantFrom(...seeds), fc.array(fc.tuple(fc.nat(), fc.nat(255)), { maxLength: 8 }), fc.nat())
      .map(([seed, edits, cut]) => {
        const b = Buffer.from(seed);
        for (const [at, v] of edits) b[at % b.length] = v;
        return b.subarray(0, cut % (b.length + 1));
      });
    const input = fc.oneof(fc.uint8Array({ maxLength: 200 }).map((u) => Buffer.from(u)), mutated);
    fc.assert(
      fc.property(input, (buf) => {
        for (const decode of decoders) {
          try {
            decode(buf);
          } catch (e) {
            expect(e).toBeInstanceOf(SmbError);
          }
        }
      }),
      { numRuns: 2000 },
    );
  });
});
