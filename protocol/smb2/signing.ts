// SMB2/3 message signing. MS-SMB2 3.1.4.1 (signing an outgoing message), 3.1.5.1 (verifying an
// incoming one), 3.2.4.1.1 (when the client signs) and 3.2.5.1.3 (when it verifies).
//   2.0.2, 2.1      HMAC-SHA256(SigningKey = Session.SessionKey), first 16 bytes
//   3.0, 3.0.2      AES-128-CMAC (RFC 4493)
//   3.1.1           AES-128-CMAC, or the algorithm chosen by SMB2_SIGNING_CAPABILITIES
//                   (id 2 = AES-128-GMAC, RFC 4543: GCM with empty plaintext, the message as AAD)
// The hash covers the whole message with the Signature field zeroed, including any padding of a
// compound member.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { aesCmac } from '../crypto/aes-cmac.js';
import { getCryptoProvider } from '../crypto/crypto-provider.js';
import { SMB2_FLAGS_SERVER_TO_REDIR, SMB2_FLAGS_SIGNED, SMB2_HEADER_SIZE, Smb2Command } from './constants.js';
import { SIGNATURE_LENGTH, SIGNATURE_OFFSET } from './header.js';

export type SigningAlgorithm = 'HMAC-SHA256' | 'AES-CMAC' | 'AES-GMAC';

const FLAGS_OFFSET = 16;
const COMMAND_OFFSET = 12;
const MESSAGE_ID_OFFSET = 24;

/**
 * MS-SMB2 3.1.4.1: the 12-byte GMAC nonce is the 8-byte MessageId followed by 4 bytes whose least
 * significant bit is 1 when the sender is the server, and whose next bit is 1 for an SMB2 CANCEL
 * request; the other 30 bits are zero.
 */
function gmacNonce(header: Buffer): Buffer {
  const nonce = Buffer.alloc(12);
  header.copy(nonce, 0, MESSAGE_ID_OFFSET, MESSAGE_ID_OFFSET + 8);
  const flags = header.readUInt32LE(FLAGS_OFFSET);
  const fromServer = (flags & SMB2_FLAGS_SERVER_TO_REDIR) !== 0;
  const isCancelRequest = !fromServer && header.readUInt16LE(COMMAND_OFFSET) === Smb2Command.CANCEL;
  nonce.writeUInt32LE((fromServer ? 1 : 0) | (isCancelRequest ? 2 : 0), 8);
  return nonce;
}

/** The 16-byte signature over `parts` (header first, Signature field already zeroed). */
function computeSignature(alg: SigningAlgorithm, key: Buffer, parts: readonly Buffer[]): Buffer {
  switch (alg) {
    case 'HMAC-SHA256': {
      const h = createHmac('sha256', key);
      for (const p of parts) h.update(p);
      return h.digest().subarray(0, SIGNATURE_LENGTH);
    }
    case 'AES-CMAC':
      return aesCmac(key, parts);
    case 'AES-GMAC': {
      const [header] = parts;
      if (!header) throw new RangeError('no message to sign');
      // GMAC is GCM over an empty plaintext with the whole message as AAD (RFC 4543).
      return getCryptoProvider().aeadEncrypt('AES-128-GCM', key, gmacNonce(header), parts, []).tag;
    }
  }
}

/**
 * Signs a message in place: sets SMB2_FLAGS_SIGNED, zeroes the Signature field, computes the
 * signature over all parts in order and writes it into parts[0] at offset 48.
 * parts[0] must begin with the 64-byte SMB2 header.
 */
export function signMessage(alg: SigningAlgorithm, key: Buffer, parts: readonly Buffer[]): void {
  const header = parts[0];
  if (!header || header.length < SMB2_HEADER_SIZE) throw new RangeError('signMessage: parts[0] must hold the SMB2 header');
  header.writeUInt32LE((header.readUInt32LE(FLAGS_OFFSET) | SMB2_FLAGS_SIGNED) >>> 0, FLAGS_OFFSET);
  header.fill(0, SIGNATURE_OFFSET, SIGNATURE_OFFSET + SIGNATURE_LENGTH);
  computeSignature(alg, key, parts).copy(header, SIGNATURE_OFFSET);
}

/**
 * Checks the signature of one received message (header at offset 0, ending where the message or its
 * compound member ends, padding included). The Signature bytes are zeroed for the computation and
 * put back before returning, so `msg` is unchanged. The comparison is constant-time.
 */
export function verifyMessage(alg: SigningAlgorithm, key: Buffer, msg: Buffer): boolean {
  if (msg.length < SMB2_HEADER_SIZE) return false;
  const received = Buffer.from(msg.subarray(SIGNATURE_OFFSET, SIGNATURE_OFFSET + SIGNATURE_LENGTH));
  msg.fill(0, SIGNATURE_OFFSET, SIGNATURE_OFFSET + SIGNATURE_LENGTH);
  let expected: Buffer;
  try {
    expected = computeSignature(alg, key, [msg]);
  } finally {
    received.copy(msg, SIGNATURE_OFFSET);
  }
  return timingSafeEqual(expected, received);
}
