// The NEGOTIATE exchange (MS-SMB2 3.2.4.2.2.2 request, 3.2.5.2 response): offer the dialects the
// caller allows, and for 3.1.1 the preauth-integrity and signing-capabilities contexts.
import { randomBytes } from 'node:crypto';
import { MalformedMessageError, SmbError, SmbStatusError } from '../errors.js';
import { encodeNegotiateRequest, decodeNegotiateResponse, type NegotiateResponse } from './commands/negotiate.js';
import type { Smb2Connection } from './connection.js';
import type { SmbCipher } from '../crypto/smb-keys.js';
import {
  ALL_DIALECTS,
  Dialect,
  SMB2_GLOBAL_CAP_ENCRYPTION,
  SMB2_GLOBAL_CAP_LARGE_MTU,
  SMB2_NEGOTIATE_SIGNING_ENABLED,
  SMB2_NEGOTIATE_SIGNING_REQUIRED,
  Smb2Command,
  dialectName,
} from './constants.js';
import { PreauthHash, SHA512_HASH_ID } from './preauth-integrity.js';
import type { SigningAlgorithm } from './signing.js';

/** MS-SMB2 2.2.3.1.7 SigningAlgorithms ids. */
export const SIGNING_ID = { 'HMAC-SHA256': 0, 'AES-CMAC': 1, 'AES-GMAC': 2 } as const;

/** MS-SMB2 2.2.3.1.2 Ciphers ids. */
export const CIPHER_ID: Record<SmbCipher, number> = { 'AES-128-CCM': 1, 'AES-128-GCM': 2, 'AES-256-CCM': 3, 'AES-256-GCM': 4 };

/** Our preference, GCM first (faster, and the only AEAD BoringSSL has natively). */
export const DEFAULT_CIPHERS: readonly SmbCipher[] = ['AES-128-GCM', 'AES-256-GCM', 'AES-128-CCM', 'AES-256-CCM'];

/** What we sent in NEGOTIATE, kept for FSCTL_VALIDATE_NEGOTIATE_INFO (MS-SMB2 3.2.5.14.12). */
export interface NegotiateOffer {
  dialects: readonly number[];
  securityMode: number;
  capabilities: number;
  clientGuid: Buffer;
}

export interface NegotiatedConnection {
  dialect: number;
  serverGuid: Buffer;
  serverCapabilities: number;
  serverRequiresSigning: boolean;
  maxReadSize: number;
  maxWriteSize: number;
  maxTransactSize: number;
  signingAlgorithm: SigningAlgorithm;
  /** The cipher sessions encrypt with, or undefined when the server offers none we do. */
  cipher: SmbCipher | undefined;
  serverSecurityMode: number;
  offer: NegotiateOffer;
  /** Connection.PreauthIntegrityHashValue after NEGOTIATE (3.1.1 only). */
  preauth: PreauthHash | undefined;
  /** The server's SPNEGO hint; unused beyond logging. */
  securityBuffer: Buffer;
}

export interface NegotiateOptions {
  minDialect: number;
  maxDialect: number;
  requireSigning: boolean;
  ciphers?: readonly SmbCipher[];
  /** Kept across reconnects so durable opens can be reclaimed (MS-SMB2 3.3.5.9.12 checks it). */
  clientGuid?: Buffer;
}

/**
 * Below this a server's MaxReadSize/MaxWriteSize/MaxTransactSize cannot be meant: every dialect's
 * servers allow at least 64 KiB (MS-SMB2 3.3.5.4 has 2.0.2 at 65536). A 0 or 1 here would turn a
 * small file into thousands of one-byte requests, a hang in all but name.
 */
const MIN_IO_LIMIT = 4096;

function checkIoLimits(neg: { maxReadSize: number; maxWriteSize: number; maxTransactSize: number }): void {
  for (const [field, value] of [
    ['MaxReadSize', neg.maxReadSize],
    ['MaxWriteSize', neg.maxWriteSize],
    ['MaxTransactSize', neg.maxTransactSize],
  ] as const) {
    if (value < MIN_IO_LIMIT) throw new MalformedMessageError('SMB2 NEGOTIATE Response', field, `${value} < ${MIN_IO_LIMIT}`);
  }
}

export async function negotiate(conn: Smb2Connection, opts: NegotiateOptions): Promise<NegotiatedConnection> {
  const dialects = ALL_DIALECTS.filter((d) => d >= opts.minDialect && d <= opts.maxDialect);
  if (dialects.length === 0) {
    throw new SmbError('unsupported', `no dialect between ${dialectName(opts.minDialect)} and ${dialectName(opts.maxDialect)}`);
  }
  const offers311 = dialects.includes(Dialect.SMB3_11);
  const preauth = offers311 ? new PreauthHash() : undefined;
  const ciphers = opts.ciphers ?? DEFAULT_CIPHERS;
  const offer: NegotiateOffer = {
    dialects,
    securityMode: opts.requireSigning ? SMB2_NEGOTIATE_SIGNING_REQUIRED : SMB2_NEGOTIATE_SIGNING_ENABLED,
    // MS-SMB2 2.2.3: CAP_ENCRYPTION is how 3.0/3.0.2 offer encryption (3.1.1 uses the context).
    capabilities:
      (dialects.some((d) => d >= Dialect.SMB2_10) ? SMB2_GLOBAL_CAP_LARGE_MTU : 0) |
      (ciphers.includes('AES-128-CCM') && dialects.some((d) => d >= Dialect.SMB3_00) ? SMB2_GLOBAL_CAP_ENCRYPTION : 0),
    clientGuid: opts.clientGuid ?? randomBytes(16),
  };
  const body = encodeNegotiateRequest({
    ...offer,
    dialects: [...dialects],
    ...(offers311
      ? {
          preauthSalt: randomBytes(32),
          signingAlgorithms: [SIGNING_ID['AES-GMAC'], SIGNING_ID['AES-CMAC'], SIGNING_ID['HMAC-SHA256']],
          ...(ciphers.length > 0 ? { ciphers: ciphers.map((c) => CIPHER_ID[c]) } : {}),
        }
      : {}),
  });
  const res = await conn
    .call({ command: Smb2Command.NEGOTIATE, body: [body], operation: 'negotiate', onSent: (parts) => preauth?.update(parts) })
    .catch((e: unknown) => {
      // A server that refuses NEGOTIATE (no dialect in our range) cannot be used at all.
      if (e instanceof SmbStatusError) throw new SmbError('unsupported', `server refused to negotiate: ${e.statusName}`, { operation: 'negotiate', cause: e });
      throw e;
    });
  const neg = decodeNegotiateResponse(res.msg);
  if (!dialects.includes(neg.dialect as (typeof dialects)[number])) {
    throw new SmbError('unsupported', `server chose dialect ${dialectName(neg.dialect)}, which was not offered`, { operation: 'negotiate' });
  }
  if (neg.dialect === Dialect.SMB3_11) {
    checkPreauthContext(neg);
    preauth!.update([res.msg]);
  }
  checkIoLimits(neg);
  conn.supportsMultiCredit = neg.dialect !== Dialect.SMB2_02 && (neg.capabilities & SMB2_GLOBAL_CAP_LARGE_MTU) !== 0;
  return {
    dialect: neg.dialect,
    serverGuid: neg.serverGuid,
    serverCapabilities: neg.capabilities,
    serverRequiresSigning: (neg.securityMode & SMB2_NEGOTIATE_SIGNING_REQUIRED) !== 0,
    maxReadSize: neg.maxReadSize,
    maxWriteSize: neg.maxWriteSize,
    maxTransactSize: neg.maxTransactSize,
    signingAlgorithm: signingAlgorithmFor(neg),
    cipher: cipherFor(neg, ciphers),
    serverSecurityMode: neg.securityMode,
    offer,
    preauth: neg.dialect === Dialect.SMB3_11 ? preauth : undefined,
    securityBuffer: neg.securityBuffer,
  };
}

/** MS-SMB2 3.2.5.2: 3.1.1 names the cipher in a context (0: none in common); 3.0/3.0.2 use CCM if capable. */
function cipherFor(neg: NegotiateResponse, offered: readonly SmbCipher[]): SmbCipher | undefined {
  if (neg.dialect < Dialect.SMB3_00) return undefined;
  if (neg.dialect === Dialect.SMB3_11) {
    const chosen = (Object.keys(CIPHER_ID) as SmbCipher[]).find((c) => CIPHER_ID[c] === neg.cipher);
    return chosen && offered.includes(chosen) ? chosen : undefined;
  }
  return neg.capabilities & SMB2_GLOBAL_CAP_ENCRYPTION && offered.includes('AES-128-CCM') ? 'AES-128-CCM' : undefined;
}

function checkPreauthContext(neg: NegotiateResponse): void {
  if (neg.preauthHashAlgorithm !== SHA512_HASH_ID) {
    throw new SmbError('security', 'SMB 3.1.1 server did not select SHA-512 preauth integrity', { operation: 'negotiate' });
  }
}

/** MS-SMB2 3.2.4.1.1 / 3.2.5.2: which algorithm signs this connection's sessions. */
function signingAlgorithmFor(neg: NegotiateResponse): SigningAlgorithm {
  if (neg.dialect < Dialect.SMB3_00) return 'HMAC-SHA256';
  if (neg.dialect === Dialect.SMB3_11 && neg.signingAlgorithm === SIGNING_ID['AES-GMAC']) return 'AES-GMAC';
  if (neg.dialect === Dialect.SMB3_11 && neg.signingAlgorithm === SIGNING_ID['HMAC-SHA256']) return 'HMAC-SHA256';
  return 'AES-CMAC';
}
