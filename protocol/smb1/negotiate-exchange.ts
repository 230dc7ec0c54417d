// What an NT LM 0.12 NEGOTIATE answer settles for the connection (MS-CIFS 3.2.5.2): limits,
// capabilities, security mode, the challenge or SPNEGO hint, the server's time zone; and the
// capabilities we then claim in SESSION_SETUP (MS-CIFS 3.2.4.2.4).
import { SmbError } from '../errors.js';
import {
  CAP_EXTENDED_SECURITY,
  CAP_INFOLEVEL_PASSTHRU,
  CAP_LARGE_FILES,
  CAP_LARGE_READX,
  CAP_LARGE_WRITEX,
  CAP_NT_FIND,
  CAP_NT_SMBS,
  CAP_STATUS32,
  CAP_UNICODE,
  NEGOTIATE_ENCRYPT_PASSWORDS,
  NEGOTIATE_SECURITY_SIGNATURES_ENABLED,
  NEGOTIATE_SECURITY_SIGNATURES_REQUIRED,
  NEGOTIATE_USER_SECURITY,
  SMB_FLAGS2_EXTENDED_SECURITY,
  SMB_FLAGS2_IS_LONG_NAME,
  SMB_FLAGS2_LONG_NAMES,
  SMB_FLAGS2_NT_STATUS,
  SMB_FLAGS2_UNICODE,
} from './constants.js';
import type { NegotiateResponse } from './commands/negotiate.js';

/** What we may claim (MS-CIFS 2.2.4.53.1 Capabilities), if the server has it too. */
const CLIENT_CAPS = CAP_UNICODE | CAP_LARGE_FILES | CAP_NT_SMBS | CAP_STATUS32 | CAP_NT_FIND | CAP_LARGE_READX | CAP_LARGE_WRITEX;

/** Flags2 of our NEGOTIATE: what we speak (NT status, Unicode, long names, extended security). */
export const NEGOTIATE_FLAGS2 = SMB_FLAGS2_LONG_NAMES | SMB_FLAGS2_IS_LONG_NAME | SMB_FLAGS2_NT_STATUS | SMB_FLAGS2_UNICODE | SMB_FLAGS2_EXTENDED_SECURITY;

/**
 * Largest READ_ANDX payload with CAP_LARGE_READX. MS-SMB 2.2.4.2.1 allows up to 0xFFFFFF - headers
 * and Samba serves that unsigned. 4 MiB: a 1 GiB get is 256 READs, not 1,024 (measured against
 * Samba NT1, interleaved runs: client user CPU 0.56-0.75 s with 1 MiB, 0.32-0.40 s with 4 MiB;
 * peak RSS 71 → 86 MiB with 4 in flight).
 */
export const LARGE_READ_MAX = 4 * 1024 * 1024;
/**
 * Largest WRITE_ANDX payload with CAP_LARGE_WRITEX. Samba takes one bit of DataLengthHigh and no
 * request over 128 KiB + 1 KiB (measured: a 128 KiB write is taken as 0 bytes), so 124 KiB, a
 * multiple of 4 KiB below that limit with room for the headers.
 */
export const LARGE_WRITE_MAX = 0x1f000;
/**
 * On a signed connection Samba reads and verifies every request whole and answers reads of at
 * most 128 KiB (measured: 131,011 bytes), so signed I/O stays at this size.
 */
export const SIGNED_IO_MAX = 0x1f000;

/** The I/O sizes of a connection, smaller once it signs. */
export function ioLimits(neg: Smb1Negotiated, signing: boolean): { maxRead: number; maxWrite: number } {
  if (!signing) return { maxRead: neg.maxRead, maxWrite: neg.maxWrite };
  return { maxRead: Math.min(neg.maxRead, SIGNED_IO_MAX), maxWrite: Math.min(neg.maxWrite, SIGNED_IO_MAX) };
}

export interface Smb1Negotiated {
  capabilities: number;
  clientCapabilities: number;
  extendedSecurity: boolean;
  unicode: boolean;
  ntStatus: boolean;
  ntSmbs: boolean;
  passthrough: boolean;
  /** Open files with OPEN_ANDX (no CAP_NT_SMBS, or forced for a test: forcing.ts). */
  openAndX: boolean;
  largeFiles: boolean;
  signingEnabled: boolean;
  signingRequired: boolean;
  encryptPasswords: boolean;
  maxMpxCount: number;
  maxBufferSize: number;
  maxRead: number;
  maxWrite: number;
  sessionKey: number;
  challenge: Buffer;
  /** Minutes to add to server-local times (UTIME) to get UTC. */
  serverTimeZone: number;
  securityBlob: Buffer;
  /** Flags2 for every later request. */
  flags2: number;
}

export function smb1Negotiated(neg: NegotiateResponse): Smb1Negotiated {
  const caps = neg.capabilities;
  if (!(caps & CAP_UNICODE)) throw new SmbError('unsupported', 'this SMB1 server does not speak Unicode', { operation: 'negotiate' });
  if (!(neg.securityMode & NEGOTIATE_USER_SECURITY)) {
    throw new SmbError('unsupported', 'this SMB1 server uses share-level security (a password per share), which ShareKeeper does not support', { operation: 'negotiate' });
  }
  const extendedSecurity = (caps & CAP_EXTENDED_SECURITY) !== 0;
  if (!extendedSecurity && neg.challenge.length !== 8 && neg.securityMode & NEGOTIATE_ENCRYPT_PASSWORDS) {
    throw new SmbError('malformed', 'SMB1 NEGOTIATE response without extended security carries no challenge', { operation: 'negotiate' });
  }
  // MS-CIFS 2.2.4.52.2: the server's buffer bounds everything but large reads and writes; the
  // header and the READ_ANDX/WRITE_ANDX fixed parts (at most 64 bytes) must fit beside the data.
  const buffer = Math.max(1024, neg.maxBufferSize) - 64;
  const ntStatus = (caps & CAP_STATUS32) !== 0;
  return {
    capabilities: caps,
    clientCapabilities: (CLIENT_CAPS & caps) | (extendedSecurity ? CAP_EXTENDED_SECURITY : 0),
    extendedSecurity,
    unicode: true,
    ntStatus,
    ntSmbs: (caps & CAP_NT_SMBS) !== 0,
    passthrough: (caps & CAP_INFOLEVEL_PASSTHRU) !== 0,
    openAndX: (caps & CAP_NT_SMBS) === 0,
    largeFiles: (caps & CAP_LARGE_FILES) !== 0,
    signingEnabled: (neg.securityMode & (NEGOTIATE_SECURITY_SIGNATURES_ENABLED | NEGOTIATE_SECURITY_SIGNATURES_REQUIRED)) !== 0,
    signingRequired: (neg.securityMode & NEGOTIATE_SECURITY_SIGNATURES_REQUIRED) !== 0,
    encryptPasswords: (neg.securityMode & NEGOTIATE_ENCRYPT_PASSWORDS) !== 0,
    maxMpxCount: Math.max(1, neg.maxMpxCount),
    maxBufferSize: neg.maxBufferSize,
    maxRead: caps & CAP_LARGE_READX ? LARGE_READ_MAX : Math.min(0xffff, buffer),
    maxWrite: caps & CAP_LARGE_WRITEX ? LARGE_WRITE_MAX : Math.min(0xffff, buffer),
    sessionKey: neg.sessionKey,
    challenge: neg.challenge,
    serverTimeZone: neg.serverTimeZone,
    securityBlob: neg.securityBlob,
    // CAP_STATUS32: ask for NTSTATUS answers (MS-CIFS 2.2.3.1); else read the DOS table.
    flags2: SMB_FLAGS2_LONG_NAMES | SMB_FLAGS2_IS_LONG_NAME | SMB_FLAGS2_UNICODE | (ntStatus ? SMB_FLAGS2_NT_STATUS : 0) | (extendedSecurity ? SMB_FLAGS2_EXTENDED_SECURITY : 0),
  };
}
