// NEGOTIATE answers shared by the tests (MS-CIFS 2.2.4.52.2, MS-SMB 2.2.4.5.2), assembled by hand.
import { Smb1Command } from '../constants.js';
import { hex, reply } from '../smb1.test-helpers.js';

export const EXTENDED = reply(
  Smb1Command.NEGOTIATE,
  hex(`
    11                  // WordCount 17
    0000                // DialectIndex 0 (NT LM 0.12)
    0f                  // SecurityMode: user, encrypt, signatures enabled + required
    3200                // MaxMpxCount 50
    0100                // MaxNumberVcs
    04410000            // MaxBufferSize 16644
    00000100            // MaxRawSize 65536
    00000000            // SessionKey
    fdf38080            // Capabilities (Samba's, incl. CAP_EXTENDED_SECURITY)
    0000000000000000    // SystemTime
    88ff                // ServerTimeZone -120
    00                  // ChallengeLength
    1b00                // ByteCount 27
    00112233445566778899aabbccddeeff   // ServerGUID
    60084806062b0601050502             // SecurityBlob (a short SPNEGO hint)
  `),
);

export const CHALLENGE = reply(
  Smb1Command.NEGOTIATE,
  hex(`
    11 0000 03 0a00 0100 ffff0000 00000100 78563412 74000000 0000000000000000 0000 08
    0f00                // ByteCount 15
    0123456789abcdef    // Challenge (Bytes start at 69, so the challenge ends at 77: odd)
    00                  // pad: Unicode strings start even from the header
    44003000 0000       // DomainName "D0\0"
  `),
);

