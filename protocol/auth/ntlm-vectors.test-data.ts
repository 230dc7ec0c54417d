// MS-NLMP 4.2.1 common values and 4.2.4 (NTLMv2) results, shared by the NTLM tests.
const hex = (s: string): Buffer => Buffer.from(s.replace(/\s+/g, ''), 'hex');

export const USER = 'User';
export const DOMAIN = 'Domain';
export const PASSWORD = 'Password';
export const WORKSTATION = 'COMPUTER';
export const RANDOM_SESSION_KEY = Buffer.alloc(16, 0x55);
export const CLIENT_CHALLENGE = Buffer.alloc(8, 0xaa);
export const SERVER_CHALLENGE = hex('0123456789abcdef');
export const TIME = 0n;

// 4.2.4: AV pairs MsvAvNbDomainName "Domain", MsvAvNbComputerName "Server", MsvAvEOL.
export const TARGET_INFO = hex(`02000c00 44006f006d00610069006e00 01000c00 530065007200760065007200 00000000`);

export const NTOWFV2 = hex('0c868a403bfd7a93a3001ef22ef02e3f'); // 4.2.4.1.1
export const SESSION_BASE_KEY = hex('8de40ccadbc14a82f15cb0ad0de95ca3'); // 4.2.4.1.2
export const LMV2_RESPONSE = hex('86c35097ac9cec102554764a57cccc19 aaaaaaaaaaaaaaaa'); // 4.2.4.2.1
export const NT_PROOF_STR = hex('68cd0ab851e51c96aabc927bebef6a1c'); // 4.2.4.2.2
export const ENCRYPTED_SESSION_KEY = hex('c5dad2544fc9799094ce1ce90bc9d03e'); // 4.2.4.2.3

// 4.2.4.3 CHALLENGE_MESSAGE.
export const CHALLENGE_MESSAGE = hex(`
  4e544c4d53535000 02000000 0c000c00 38000000 33828ae2 0123456789abcdef 0000000000000000
  24002400 44000000 060070170000000f 530065007200760065007200
  02000c00 44006f006d00610069006e00 01000c00 530065007200760065007200 00000000`);

// 4.2.4.3 AUTHENTICATE_MESSAGE (no MIC field; Version 5.1.2600 rev 15).
export const AUTHENTICATE_MESSAGE = hex(`
  4e544c4d53535000 03000000 18001800 6c000000 54005400 84000000 0c000c00 48000000
  08000800 54000000 10001000 5c000000 10001000 d8000000 358288e2 0501280a0000000f
  44006f006d00610069006e00 5500730065007200 43004f004d0050005500540045005200
  86c35097ac9cec102554764a57cccc19 aaaaaaaaaaaaaaaa
  68cd0ab851e51c96aabc927bebef6a1c 0101000000000000 0000000000000000 aaaaaaaaaaaaaaaa 00000000
  02000c00 44006f006d00610069006e00 01000c00 530065007200760065007200 00000000 00000000
  c5dad2544fc9799094ce1ce90bc9d03e`);

// 4.2.4.4 GSS_WrapEx: signing key, sealed "Plaintext" and its signature.
export const CLIENT_SIGN_KEY = hex('4788dc861b4782f35d43fd98fe1a2d39');
export const WRAP_PLAINTEXT = Buffer.from('Plaintext', 'utf16le');
export const WRAP_SEALED = hex('54e50165bf1936dc996020c1811b0f06fb5f');
export const WRAP_SIGNATURE = hex('010000007fb38ec5c55d497600000000');
