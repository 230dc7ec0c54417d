import { describe, expect, it } from 'vitest';
import { createContextsLength, decodeCreateContexts, writeCreateContexts } from './create.js';
import { durableGrant, durableReconnectV1, durableReconnectV2, durableRequestV1, durableRequestV2 } from './durable-contexts.js';
import { fuzzStructure, hex } from './test-helpers.js';
import { ByteWriter } from '../../wire/byte-writer.js';

const guid = Buffer.from('00112233445566778899aabbccddeeff', 'hex');
const fileId = Buffer.from('0102030405060708090a0b0c0d0e0f10', 'hex');

describe('durable handle create contexts (MS-SMB2 2.2.13.2.3/4/11/12, 2.2.14.2.3/12)', () => {
  it('DH2Q request v2 (2.2.13.2.11)', () => {
    const c = durableRequestV2(guid, 60_000);
    expect(c.name).toBe('DH2Q');
    expect(c.data.toString('hex')).toBe(
      hex(`
        60ea0000           // Timeout 60000 ms
        00000000           // Flags: not persistent
        0000000000000000   // Reserved
        00112233445566778899aabbccddeeff // CreateGuid
      `).toString('hex'),
    );
  });

  it('DH2C reconnect v2 (2.2.13.2.12) and the v1 forms', () => {
    expect(durableReconnectV2(fileId, guid).data.toString('hex')).toBe(
      hex(`
        0102030405060708090a0b0c0d0e0f10 // FileId
        00112233445566778899aabbccddeeff // CreateGuid
        00000000                         // Flags
      `).toString('hex'),
    );
    expect(durableRequestV1()).toEqual({ name: 'DHnQ', data: Buffer.alloc(16) });
    expect(durableReconnectV1(fileId)).toEqual({ name: 'DHnC', data: fileId });
    expect(() => durableReconnectV2(Buffer.alloc(8), guid)).toThrow(RangeError);
  });

  it('reads the grant from the CREATE response contexts', () => {
    expect(durableGrant([{ name: 'DH2Q', data: hex('30750000 02000000') }])).toEqual({ version: 2, timeoutMs: 30_000, persistent: true });
    expect(durableGrant([{ name: 'MxAc', data: Buffer.alloc(8) }, { name: 'DHnQ', data: Buffer.alloc(8) }])).toEqual({ version: 1, timeoutMs: undefined, persistent: false });
    expect(durableGrant([])).toBeUndefined();
    expect(() => durableGrant([{ name: 'DH2Q', data: Buffer.alloc(4) }])).toThrow(/DataLength/);
  });

  it('a response chain with a DH2Q context only ever throws MalformedMessageError', () => {
    const w = new ByteWriter(createContextsLength([{ name: 'DH2Q', data: Buffer.alloc(8) }]));
    writeCreateContexts(w, [{ name: 'DH2Q', data: hex('30750000 00000000') }], 'test');
    const chain = w.finish();
    fuzzStructure((b) => durableGrant(decodeCreateContexts(b, 'CREATE response')), [chain]);
  });
});
