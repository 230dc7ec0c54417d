// SMB2 TRANSFORM_HEADER (MS-SMB2 2.2.41) and message sealing: 3.1.4.3 (encrypting the message)
// and 3.2.5.1.1 (decrypting the message). 52 bytes, little-endian:
//   0  ProtocolId 0xFD 'S' 'M' 'B'
//   4  Signature (16): the AEAD tag
//  20  Nonce (16): AES_CCM_Nonce (11 bytes) or AES_GCM_Nonce (12 bytes), the rest reserved
//  36  OriginalMessageSize (4)
//  40  Reserved (2)
//  42  Flags (3.1.1) / EncryptionAlgorithm (3.0, 3.0.2): 0x0001 either way
//  44  SessionId (8)
// The AEAD's associated data is the header from Nonce through SessionId (32 bytes); the plaintext
// is the whole SMB2 message (every member of a compound), and the ciphertext follows the header.
import { offloadAvailable, openSealedInWorker, ownsItsBuffer } from '../crypto/aead-offload.js';
import { isLent, moveLoan } from '../transport/buffer-pool.js';
import { randomBytes } from 'node:crypto';
import { countAeadOutput, countSealedOutput } from '../crypto/crypto-garbage.js';
import { getCryptoProvider } from '../crypto/crypto-provider.js';
import type { SmbCipher } from '../crypto/smb-keys.js';
import { MalformedMessageError } from '../errors.js';
import { ByteReader } from '../wire/byte-reader.js';
import { ByteWriter } from '../wire/byte-writer.js';

export const SMB2_TRANSFORM_PROTOCOL_ID = 0x424d53fd; // 0xFD 'S' 'M' 'B' read little-endian
export const SMB2_TRANSFORM_HEADER_SIZE = 52;
/** 3.1.1 Flags: the message is encrypted. */
export const SMB2_TRANSFORM_FLAG_ENCRYPTED = 0x0001;
/** 3.0/3.0.2 EncryptionAlgorithm (same field, same value). */
export const SMB2_ENCRYPTION_AES128_CCM = 0x0001;

const STRUCTURE = 'SMB2 TRANSFORM_HEADER';
const SIGNATURE_OFFSET = 4;
const NONCE_OFFSET = 20;
const NONCE_FIELD = 16;
const TAG_LENGTH = 16;

export interface TransformHeader {
  signature: Buffer;
  /** The whole 16-byte Nonce field. */
  nonce: Buffer;
  originalMessageSize: number;
  flags: number;
  sessionId: bigint;
}

/** MS-SMB2 2.2.41: how much of the Nonce field the cipher uses. */
export function aeadNonceLength(cipher: SmbCipher): 11 | 12 {
  return cipher === 'AES-128-CCM' || cipher === 'AES-256-CCM' ? 11 : 12;
}

export function isTransformFrame(frame: Buffer): boolean {
  return frame.length >= 4 && frame.readUInt32LE(0) === SMB2_TRANSFORM_PROTOCOL_ID;
}

// MS-SMB2 3.1.4.3 only asks for a Nonce "not used for any other encrypted message within the
// session". CCM and GCM lose all security if a nonce repeats under one key, and random 96-bit
// GCM nonces are limited to 2^32 messages per key (SP 800-38D 8.3), so the nonce is a 64-bit
// counter (little-endian, first 8 bytes) followed by 3 (CCM) or 4 (GCM) random bytes. The counter
// is process-wide and starts at a random value, so it never repeats within a process whatever the
// key, and separate processes (which never share session keys anyway) start far apart.
let nonceCounter = randomBytes(8).readBigUInt64LE() >> 1n;

/** A fresh Nonce field for `cipher`: the used bytes filled, the reserved tail zero. */
export function newTransformNonce(cipher: SmbCipher): Buffer {
  const nonce = Buffer.alloc(NONCE_FIELD);
  nonce.writeBigUInt64LE(nonceCounter, 0);
  nonceCounter = (nonceCounter + 1n) & 0xffffffffffffffffn;
  const used = aeadNonceLength(cipher);
  randomBytes(used - 8).copy(nonce, 8);
  return nonce;
}

/** The 16-byte Nonce field from a caller's nonce: exactly the cipher's length, or the full field. */
function nonceField(cipher: SmbCipher, nonce: Buffer | undefined): Buffer {
  if (!nonce) return newTransformNonce(cipher);
  if (nonce.length === NONCE_FIELD) return nonce;
  if (nonce.length !== aeadNonceLength(cipher)) {
    throw new RangeError(`${cipher} nonce must be ${aeadNonceLength(cipher)} or ${NONCE_FIELD} bytes, got ${nonce.length}`);
  }
  const field = Buffer.alloc(NONCE_FIELD);
  nonce.copy(field);
  return field;
}

export function encodeTransformHeader(h: TransformHeader): Buffer {
  if (h.signature.length !== TAG_LENGTH || h.nonce.length !== NONCE_FIELD) {
    throw new RangeError('transform header: Signature and Nonce are 16 bytes each');
  }
  return new ByteWriter(SMB2_TRANSFORM_HEADER_SIZE)
    .u32(SMB2_TRANSFORM_PROTOCOL_ID)
    .bytes(h.signature)
    .bytes(h.nonce)
    .u32(h.originalMessageSize)
    .u16(0) // Reserved
    .u16(h.flags)
    .u64(h.sessionId).buf;
}

/** Parses the 52-byte header at the start of `frame` (views, no copies). */
export function decodeTransformHeader(frame: Buffer): TransformHeader {
  const r = new ByteReader(frame, STRUCTURE);
  if (r.u32('ProtocolId') !== SMB2_TRANSFORM_PROTOCOL_ID) {
    throw new MalformedMessageError(STRUCTURE, 'ProtocolId', 'not 0xFD SMB');
  }
  const signature = r.bytes(TAG_LENGTH, 'Signature');
  const nonce = r.bytes(NONCE_FIELD, 'Nonce');
  const originalMessageSize = r.u32('OriginalMessageSize');
  r.skip(2, 'Reserved');
  const flags = r.u16('Flags');
  const sessionId = r.u64('SessionId');
  return { signature, nonce, originalMessageSize, flags, sessionId };
}

/**
 * Seals one SMB2 message (MS-SMB2 3.1.4.3): `parts` concatenated are the plaintext (header first).
 * Returns [transform header, ciphertext], to be framed back to back. `nonce` is for tests and
 * published vectors; normally a fresh one is made (see newTransformNonce).
 */
export function encryptMessage(
  cipher: SmbCipher,
  key: Buffer,
  sessionId: bigint,
  parts: readonly Buffer[],
  nonce?: Buffer,
): Buffer[] {
  let size = 0;
  for (const p of parts) size += p.length;
  if (size === 0 || size > 0xffffffff) throw new RangeError(`cannot encrypt a message of ${size} bytes`);
  const header = encodeTransformHeader({
    signature: Buffer.alloc(TAG_LENGTH),
    nonce: nonceField(cipher, nonce),
    originalMessageSize: size,
    flags: SMB2_TRANSFORM_FLAG_ENCRYPTED,
    sessionId,
  });
  const aeadNonce = header.subarray(NONCE_OFFSET, NONCE_OFFSET + aeadNonceLength(cipher));
  const aad = header.subarray(NONCE_OFFSET, SMB2_TRANSFORM_HEADER_SIZE);
  const { ciphertext, tag } = getCryptoProvider().aeadEncrypt(cipher, key, aeadNonce, aad, parts);
  tag.copy(header, SIGNATURE_OFFSET);
  // Spent once sent; freed at a young collection once the socket drained (crypto-garbage.ts).
  countSealedOutput(size);
  return [header, ...ciphertext];
}

/**
 * Opens one transformed frame (MS-SMB2 3.2.5.1.1) and returns the SMB2 message inside. A frame that
 * is too short, has a Flags/EncryptionAlgorithm other than 0x0001 or an OriginalMessageSize that is
 * not the ciphertext length is malformed (the caller disconnects); a bad tag is SmbError('security').
 * Looking the session up by SessionId is the caller's job (decodeTransformHeader).
 */
/** The checked header and the AEAD inputs of a transformed frame (MS-SMB2 3.2.5.1.1). */
function openingParts(cipher: SmbCipher, frame: Buffer): { nonce: Buffer; aad: Buffer; ciphertext: Buffer; tag: Buffer } {
  const h = decodeTransformHeader(frame);
  const length = frame.length - SMB2_TRANSFORM_HEADER_SIZE;
  if (length === 0) throw new MalformedMessageError(STRUCTURE, 'size', 'no message after the transform header');
  if (h.flags !== SMB2_TRANSFORM_FLAG_ENCRYPTED) {
    throw new MalformedMessageError(STRUCTURE, 'Flags', `expected 0x0001, got 0x${h.flags.toString(16)}`);
  }
  if (h.originalMessageSize !== length) {
    throw new MalformedMessageError(STRUCTURE, 'OriginalMessageSize', `${h.originalMessageSize}, but ${length} bytes follow`);
  }
  return {
    nonce: h.nonce.subarray(0, aeadNonceLength(cipher)),
    aad: frame.subarray(NONCE_OFFSET, SMB2_TRANSFORM_HEADER_SIZE),
    ciphertext: frame.subarray(SMB2_TRANSFORM_HEADER_SIZE),
    tag: h.signature,
  };
}

/** Frames at least this large are opened on the decryption worker (smaller ones cost less than the trip). */
export const OFFLOAD_MIN_BYTES = 256 * 1024;

/**
 * Opens `frame` on the decryption worker, in place (crypto/aead-offload.ts): resolves to the SMB2
 * message, a view of the same memory; undefined when the frame stays on this thread (small, not a
 * buffer of its own, or no worker). The header is checked here first, as in decryptMessage.
 */
export function decryptMessageInPlace(cipher: SmbCipher, key: Buffer, frame: Buffer): Promise<Buffer> | undefined {
  if (frame.length < OFFLOAD_MIN_BYTES || !isLent(frame) || !ownsItsBuffer(frame) || !offloadAvailable()) return undefined;
  const p = openingParts(cipher, frame);
  const before = frame.buffer as ArrayBuffer;
  // Read now: the transfer leaves `frame` empty.
  const length = frame.length - SMB2_TRANSFORM_HEADER_SIZE;
  return openSealedInWorker(cipher, key, frame, p).then((after) => {
    moveLoan(before, after);
    return Buffer.from(after, SMB2_TRANSFORM_HEADER_SIZE, length);
  });
}

/**
 * Opens `frame` on this thread. A large pooled frame (the transport's, lent until its bytes are
 * written) gets its plaintext copied over the ciphertext and the result is a view of it, as the
 * worker does: the decryption's own output then dies at once, young, instead of living on as the
 * payload until the file write and reaching the old generation (measured: peak RSS 154 MiB for an
 * encrypted 1 GiB get opened here, and 122-132 MiB when the first ~50 MiB, before the worker was
 * ready, were). The caller tells by `result.buffer === frame.buffer` that the frame is still lent.
 */
export function decryptMessage(cipher: SmbCipher, key: Buffer, frame: Buffer): Buffer {
  const p = openingParts(cipher, frame);
  const plain = getCryptoProvider().aeadDecrypt(cipher, key, p.nonce, p.aad, p.ciphertext, p.tag);
  countAeadOutput(plain.length);
  if (frame.length < OFFLOAD_MIN_BYTES || !isLent(frame) || plain.length !== p.ciphertext.length) return plain;
  plain.copy(p.ciphertext);
  return p.ciphertext;
}

