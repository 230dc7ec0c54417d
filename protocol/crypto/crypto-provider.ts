// The AEADs SMB 3.x encrypts with (MS-SMB2 3.1.4.3: AES-128-CCM for 3.0/3.0.2, the negotiated
// cipher of 2.2.3.1.2 for 3.1.1), chosen by what the runtime can do rather than which runtime it is.
// Node's OpenSSL has CCM and GCM; Electron's BoringSSL has GCM, CTR, CBC and ECB but no CCM, so CCM
// falls back to our construction over native AES (aes-ccm.ts). GCM has no fallback: every runtime
// we ship on has it.
//
// The capabilities are probed once, at first use, by listing getCiphers() and encrypting a few
// bytes with each (a listed cipher can still fail). SHAREKEEPER_CRYPTO=fallback, read at first use,
// forces our CCM even where native CCM exists, so the fallback path runs under plain Node too.
import { createCipheriv, createDecipheriv, getCiphers } from 'node:crypto';
import { SmbError } from '../errors.js';
import { ccmDecrypt, ccmEncrypt, type AesModes } from './aes-ccm.js';
import type { SmbCipher } from './smb-keys.js';

export type AeadAlgorithm = SmbCipher;

export interface AeadResult {
  /**
   * The ciphertext, in pieces whose concatenation is the whole: GCM gives one per plaintext part
   * and they are sent as they are (joining a WRITE's header and 2 MiB payload copied the payload
   * into a second 2 MiB buffer per message). CCM gives one.
   */
  ciphertext: readonly Buffer[];
  tag: Buffer;
}

export interface CryptoProvider {
  /** 'native' (the runtime's CCM and GCM) or 'fallback' (our CCM over native AES, native GCM). */
  readonly name: string;
  /** Which AEADs this provider runs on the runtime's own implementation. */
  readonly native: { readonly ccm: boolean; readonly gcm: boolean };
  /** Encrypts the concatenation of `plaintext`; 16-byte tag (MS-SMB2 2.2.41 Signature). */
  aeadEncrypt(
    alg: AeadAlgorithm,
    key: Buffer,
    nonce: Buffer,
    aad: Buffer | readonly Buffer[],
    plaintext: readonly Buffer[],
  ): AeadResult;
  /** Throws SmbError('security', 'decryption failed: bad tag') when authentication fails. */
  aeadDecrypt(alg: AeadAlgorithm, key: Buffer, nonce: Buffer, aad: Buffer | readonly Buffer[], ciphertext: Buffer, tag: Buffer): Buffer;
}

export type CryptoProviderMode = 'native' | 'fallback';

const TAG_LENGTH = 16;

interface Capabilities {
  ccm128: boolean;
  ccm256: boolean;
  gcm128: boolean;
  gcm256: boolean;
  ecb: boolean;
  modes: AesModes;
}

type NodeCipherName = 'aes-128-ccm' | 'aes-256-ccm' | 'aes-128-gcm' | 'aes-256-gcm';

/** What CipherCCM and CipherGCM share (GCM ignores plaintextLength). */
interface AeadCipher {
  setAAD(aad: Buffer, options: { plaintextLength: number }): unknown;
  update(data: Buffer): Buffer;
  final(): Buffer;
  getAuthTag(): Buffer;
}

interface AeadDecipher {
  setAuthTag(tag: Buffer): unknown;
  setAAD(aad: Buffer, options: { plaintextLength: number }): unknown;
  update(data: Buffer): Buffer;
  final(): Buffer;
}

const isCcmName = (name: NodeCipherName): name is 'aes-128-ccm' | 'aes-256-ccm' => name.endsWith('-ccm');

function nodeCipher(name: NodeCipherName, key: Buffer, iv: Buffer): AeadCipher {
  const opts = { authTagLength: TAG_LENGTH };
  return isCcmName(name) ? createCipheriv(name, key, iv, opts) : createCipheriv(name, key, iv, opts);
}

function nodeDecipher(name: NodeCipherName, key: Buffer, iv: Buffer): AeadDecipher {
  const opts = { authTagLength: TAG_LENGTH };
  return isCcmName(name) ? createDecipheriv(name, key, iv, opts) : createDecipheriv(name, key, iv, opts);
}

/** Encrypts a few bytes; false when the cipher is missing or does not work. */
function works(name: string, keyLength: number, ivLength: number | null, listed: ReadonlySet<string>): boolean {
  if (!listed.has(name)) return false;
  try {
    const key = Buffer.alloc(keyLength, 2);
    const data = Buffer.alloc(16, 4);
    if (name.endsWith('-ccm') || name.endsWith('-gcm')) {
      const c = nodeCipher(name as NodeCipherName, key, Buffer.alloc(ivLength ?? 12, 1));
      c.setAAD(Buffer.alloc(4, 3), { plaintextLength: data.length });
      c.update(data);
      c.final();
      return c.getAuthTag().length === TAG_LENGTH;
    }
    const c = createCipheriv(name, key, ivLength === null ? null : Buffer.alloc(ivLength, 1)).setAutoPadding(false);
    return c.update(data).length + c.final().length === data.length;
  } catch {
    return false;
  }
}

let probed: Capabilities | undefined;

function capabilities(): Capabilities {
  if (probed) return probed;
  const listed = new Set(getCiphers());
  const ctr = works('aes-128-ctr', 16, 16, listed) && works('aes-256-ctr', 32, 16, listed);
  const cbc = works('aes-128-cbc', 16, 16, listed) && works('aes-256-cbc', 32, 16, listed);
  probed = {
    ccm128: works('aes-128-ccm', 16, 11, listed),
    ccm256: works('aes-256-ccm', 32, 11, listed),
    gcm128: works('aes-128-gcm', 16, 12, listed),
    gcm256: works('aes-256-gcm', 32, 12, listed),
    ecb: works('aes-128-ecb', 16, null, listed) && works('aes-256-ecb', 32, null, listed),
    modes: { ctr, cbc },
  };
  return probed;
}

const isCcm = (alg: AeadAlgorithm): boolean => alg === 'AES-128-CCM' || alg === 'AES-256-CCM';

function checkKeyAndNonce(alg: AeadAlgorithm, key: Buffer, nonce: Buffer): void {
  const keyLength = alg.startsWith('AES-256') ? 32 : 16;
  if (key.length !== keyLength) throw new RangeError(`${alg} needs a ${keyLength}-byte key, got ${key.length}`);
  // MS-SMB2 2.2.41: AES_CCM_Nonce is 11 bytes, AES_GCM_Nonce 12.
  const nonceLength = isCcm(alg) ? 11 : 12;
  if (nonce.length !== nonceLength) throw new RangeError(`${alg} needs a ${nonceLength}-byte nonce, got ${nonce.length}`);
}

const asParts = (aad: Buffer | readonly Buffer[]): readonly Buffer[] => (Buffer.isBuffer(aad) ? [aad] : aad);
const joined = (parts: readonly Buffer[]): Buffer => (parts.length === 1 && parts[0] ? parts[0] : Buffer.concat(parts));
/**
 * A zero-length Buffer may have no backing store, and OpenSSL's CCM reads a NULL input as "set the
 * length only" and then never computes the tag. A view into a real allocation is never NULL.
 */
const EMPTY_VIEW = Buffer.alloc(16).subarray(0, 0);
const nonNull = (b: Buffer): Buffer => (b.length > 0 ? b : EMPTY_VIEW);
const nodeName = (alg: AeadAlgorithm): NodeCipherName => alg.toLowerCase() as NodeCipherName;

function badTag(cause: unknown): SmbError {
  return new SmbError('security', 'decryption failed: bad tag', { operation: 'decrypt', cause });
}

function nativeEncrypt(alg: AeadAlgorithm, key: Buffer, nonce: Buffer, aad: readonly Buffer[], plaintext: readonly Buffer[]): AeadResult {
  const c = nodeCipher(nodeName(alg), key, nonce);
  let ciphertext: Buffer[];
  if (isCcm(alg)) {
    // OpenSSL CCM takes the AAD and the payload in one call each.
    const data = joined(plaintext);
    c.setAAD(joined(aad), { plaintextLength: data.length });
    ciphertext = [c.update(nonNull(data))];
  } else {
    // GCM is a stream mode: update() returns as many bytes as it is given, so each part's output
    // is that part's ciphertext.
    const length = plaintext.reduce((n, p) => n + p.length, 0);
    for (const a of aad) if (a.length > 0) c.setAAD(a, { plaintextLength: length });
    ciphertext = plaintext.filter((p) => p.length > 0).map((p) => c.update(p));
  }
  c.final();
  return { ciphertext, tag: c.getAuthTag() };
}

function nativeDecrypt(alg: AeadAlgorithm, key: Buffer, nonce: Buffer, aad: readonly Buffer[], ciphertext: Buffer, tag: Buffer): Buffer {
  if (tag.length !== TAG_LENGTH) throw badTag(undefined);
  const d = nodeDecipher(nodeName(alg), key, nonce);
  d.setAuthTag(tag);
  if (isCcm(alg)) d.setAAD(joined(aad), { plaintextLength: ciphertext.length });
  else for (const a of aad) if (a.length > 0) d.setAAD(a, { plaintextLength: ciphertext.length });
  const plaintext = d.update(nonNull(ciphertext));
  try {
    d.final(); // OpenSSL checks the tag here (CCM: update already did, final reports it)
  } catch (e) {
    plaintext.fill(0);
    throw badTag(e);
  }
  return plaintext;
}

function unsupported(alg: AeadAlgorithm): SmbError {
  return new SmbError('unsupported', `${alg} is not available in this runtime's crypto library`, { operation: 'encrypt' });
}

/** A provider in the given mode over this runtime's probed capabilities. */
export function createCryptoProvider(mode: CryptoProviderMode): CryptoProvider {
  const caps = capabilities();
  const nativeCcm = mode === 'native' && caps.ccm128 && caps.ccm256;
  const has = (alg: AeadAlgorithm): boolean =>
    ({ 'AES-128-CCM': caps.ccm128, 'AES-256-CCM': caps.ccm256, 'AES-128-GCM': caps.gcm128, 'AES-256-GCM': caps.gcm256 })[alg];
  const useNative = (alg: AeadAlgorithm): boolean => (isCcm(alg) ? mode === 'native' && has(alg) : true);
  const ccmUsable = caps.ecb || (caps.modes.ctr && caps.modes.cbc);
  const check = (alg: AeadAlgorithm, key: Buffer, nonce: Buffer): void => {
    checkKeyAndNonce(alg, key, nonce);
    if (useNative(alg) ? !has(alg) : !ccmUsable) throw unsupported(alg);
  };
  return {
    name: nativeCcm ? 'native' : 'fallback',
    native: { ccm: nativeCcm, gcm: caps.gcm128 && caps.gcm256 },
    aeadEncrypt(alg, key, nonce, aad, plaintext) {
      check(alg, key, nonce);
      if (useNative(alg)) return nativeEncrypt(alg, key, nonce, asParts(aad), plaintext);
      const { ciphertext, tag } = ccmEncrypt(key, nonce, asParts(aad), plaintext, { tagLength: TAG_LENGTH, modes: caps.modes });
      return { ciphertext: [ciphertext], tag };
    },
    aeadDecrypt(alg, key, nonce, aad, ciphertext, tag) {
      check(alg, key, nonce);
      if (useNative(alg)) return nativeDecrypt(alg, key, nonce, asParts(aad), ciphertext, tag);
      if (tag.length !== TAG_LENGTH) throw badTag(undefined);
      return ccmDecrypt(key, nonce, asParts(aad), ciphertext, tag, { modes: caps.modes });
    },
  };
}

let current: CryptoProvider | undefined;
let forced: CryptoProviderMode | undefined;

/** The process-wide provider, built at first use. */
export function getCryptoProvider(): CryptoProvider {
  if (!current) {
    current = createCryptoProvider(cryptoProviderMode());
  }
  return current;
}

/** The mode the process-wide provider runs in (what a decryption worker must use too). */
export function cryptoProviderMode(): CryptoProviderMode {
  return forced ?? (process.env['SHAREKEEPER_CRYPTO'] === 'fallback' ? 'fallback' : 'native');
}

/** Forces a mode (null: back to the environment's choice). For tests only. */
export function setCryptoProviderForTests(mode: CryptoProviderMode | null): void {
  forced = mode ?? undefined;
  current = undefined;
}
