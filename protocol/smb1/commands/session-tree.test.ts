// Golden bytes: SESSION_SETUP_ANDX both forms (MS-SMB 2.2.4.6, MS-CIFS 2.2.4.53), TREE_CONNECT_ANDX
// (MS-CIFS 2.2.4.55, MS-SMB 2.2.4.7), LOGOFF_ANDX (2.2.4.54), TREE_DISCONNECT (2.2.4.51).
import { describe, expect, it } from 'vitest';
import { SMB_FLAGS2_NT_STATUS, Smb1Command } from '../constants.js';
import { fuzzSmb1Decoder, hex, reply } from '../smb1.test-helpers.js';
import { decodeSessionSetupResponse, encodeSessionSetupExtendedRequest, encodeSessionSetupRequest } from './session-setup.js';
import { decodeTreeConnectResponse, encodeTreeConnectRequest } from './tree-connect.js';
import { decodeLogoffResponse, encodeLogoffRequest, encodeTreeDisconnectRequest } from './simple.js';

const SHAREKEEPER = '530068006100720065004b0065006500700065007200 0000'; // "ShareKeeper\0" UTF-16LE

const common = { maxBufferSize: 0xffff, maxMpxCount: 50, vcNumber: 0, sessionKey: 0x11223344, capabilities: 0x800040d4 };

describe('SESSION_SETUP_ANDX', () => {
  it('extended security request', () => {
    expect(encodeSessionSetupExtendedRequest({ ...common, securityBlob: hex('a1b2c3') })).toEqual(
      hex(`
        0c                   // WordCount 12
        ff 00 0000           // AndXCommand none, AndXReserved, AndXOffset
        ffff 3200 0000       // MaxBufferSize, MaxMpxCount, VcNumber
        44332211             // SessionKey
        0300                 // SecurityBlobLength
        00000000             // Reserved
        d4400080             // Capabilities
        3300                 // ByteCount 51
        a1b2c3               // SecurityBlob (Bytes start at 59; it ends at 62: even, no pad)
        ${SHAREKEEPER}       // NativeOS
        ${SHAREKEEPER}       // NativeLanMan
      `),
    );
  });
  it('challenge/response request: OEM and Unicode passwords, then names', () => {
    expect(encodeSessionSetupRequest({ ...common, oemPassword: hex('aa'.repeat(24)), unicodePassword: hex('bb'.repeat(24)), account: 'u', primaryDomain: 'D' })).toEqual(
      hex(`
        0d ff 00 0000 ffff 3200 0000 44332211
        1800 1800            // OEMPasswordLen 24, UnicodePasswordLen 24
        00000000 d4400080
        6900                 // ByteCount 105
        ${'aa'.repeat(24)} ${'bb'.repeat(24)}
        00                   // pad: 61 + 48 = 109 is odd
        7500 0000            // AccountName "u"
        4400 0000            // PrimaryDomain "D"
        ${SHAREKEEPER} ${SHAREKEEPER}
      `),
    );
  });
  const extendedAnswer = reply(
    Smb1Command.SESSION_SETUP_ANDX,
    hex(`
      04 ff 00 0000          // WordCount 4, no AndX
      0100                   // Action: SMB_SETUP_GUEST
      0200                   // SecurityBlobLength
      0b00                   // ByteCount 11
      a1a2                   // SecurityBlob (ends at 45: odd, pad)
      00
      5500 0000              // NativeOS "U"
      4c00 0000              // NativeLanMan "L"
    `),
    { status: 0xc0000016 },
  );
  const plainAnswer = reply(Smb1Command.SESSION_SETUP_ANDX, hex('03 ff 00 0000 0000 0900 00 5500 0000 4c00 0000'));
  it('extended answer: Action, blob, names', () => {
    expect(decodeSessionSetupResponse(extendedAnswer)).toEqual({ action: 1, securityBlob: hex('a1a2'), nativeOs: 'U', nativeLanMan: 'L' });
  });
  it('challenge/response answer (WordCount 3)', () => {
    expect(decodeSessionSetupResponse(plainAnswer)).toEqual({ action: 0, securityBlob: Buffer.alloc(0), nativeOs: 'U', nativeLanMan: 'L' });
  });
  it('refuses a blob longer than the bytes', () => {
    const bad = Buffer.from(extendedAnswer);
    bad.writeUInt16LE(40, 32 + 7);
    expect(() => decodeSessionSetupResponse(bad)).toThrow(/SecurityBlobLength/);
  });
  it('fuzz', () => fuzzSmb1Decoder(decodeSessionSetupResponse, Smb1Command.SESSION_SETUP_ANDX, [extendedAnswer, plainAnswer]));
});

describe('TREE_CONNECT_ANDX', () => {
  it('request: empty password byte, Unicode path, "?????"', () => {
    expect(encodeTreeConnectRequest('\\\\h\\s')).toEqual(
      hex(`
        04 ff 00 0000        // WordCount 4, no AndX
        0800                 // Flags: TREE_CONNECT_ANDX_EXTENDED_RESPONSE
        0100                 // PasswordLength 1
        1300                 // ByteCount 19
        00                   // Password (Bytes start at 43; the path starts at 44, even)
        5c005c00 6800 5c00 7300 0000   // "\\\\h\\s"
        3f3f3f3f3f 00        // Service
      `),
    );
  });
  const ext = reply(Smb1Command.TREE_CONNECT_ANDX, hex('07 ff 00 0000 0100 ff011f00 00000000 0900 413a00 4e00 5400 0000'), { tid: 5 });
  const plain = reply(Smb1Command.TREE_CONNECT_ANDX, hex('03 ff 00 0000 0300 0400 49504300'));
  it('extended answer (WordCount 7)', () => {
    expect(decodeTreeConnectResponse(ext)).toEqual({ optionalSupport: 1, maximalAccess: 0x001f01ff, service: 'A:', nativeFileSystem: 'NT' });
  });
  it('plain answer (WordCount 3)', () => {
    expect(decodeTreeConnectResponse(plain)).toMatchObject({ optionalSupport: 3, maximalAccess: undefined, service: 'IPC' });
  });
  it('fuzz', () => fuzzSmb1Decoder(decodeTreeConnectResponse, Smb1Command.TREE_CONNECT_ANDX, [ext, plain]));
});

describe('LOGOFF_ANDX and TREE_DISCONNECT', () => {
  it('requests', () => {
    expect(encodeLogoffRequest()).toEqual(hex('02 ff00 0000 0000'));
    expect(encodeTreeDisconnectRequest()).toEqual(hex('00 0000'));
  });
  it('logoff answer', () => {
    const ok = reply(Smb1Command.LOGOFF_ANDX, hex('02 ff00 0000 0000'), { flags2: SMB_FLAGS2_NT_STATUS });
    expect(() => decodeLogoffResponse(ok)).not.toThrow();
    fuzzSmb1Decoder(decodeLogoffResponse, Smb1Command.LOGOFF_ANDX, [ok]);
  });
});
