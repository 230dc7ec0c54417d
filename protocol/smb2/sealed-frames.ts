// Received frames that are sealed (MS-SMB2 2.2.41 TRANSFORM_HEADER, 3.2.5.1.1): which session's
// key opens them, opened here, or handed to the decryption worker (SessionEncryption.decryptInPlace).
import { MalformedMessageError, SmbError } from '../errors.js';
import type { SessionSecurity } from './connection-types.js';

const TRANSFORM_PROTOCOL_ID = 0x424d53fd; // 0xFD 'S' 'M' 'B' (MS-SMB2 2.2.41)
const TRANSFORM_HEADER_SIZE = 52;
const SESSION_ID_OFFSET = 44;

export function isSealed(frame: Buffer): boolean {
  return frame.length >= 4 && frame.readUInt32LE(0) === TRANSFORM_PROTOCOL_ID;
}

/** Finds the session named in the transform header and decrypts with its key. */
export function openSealed(frame: Buffer, sessions: ReadonlyMap<bigint, SessionSecurity>): { plain: Buffer; sessionId: bigint } {
  if (frame.length < TRANSFORM_HEADER_SIZE) throw new MalformedMessageError('SMB2 TRANSFORM_HEADER', 'size', `${frame.length} bytes`);
  const sessionId = frame.readBigUInt64LE(SESSION_ID_OFFSET);
  const encryption = sessions.get(sessionId)?.encryption;
  if (!encryption) throw new SmbError('security', `encrypted message for session ${sessionId}, which has no keys`, { operation: 'receive' });
  return { plain: encryption.decrypt(frame), sessionId };
}

/** A large sealed frame on its way to the decryption worker (`frame` is then unusable here), or undefined. */
export function openSealedElsewhere(frame: Buffer, sessions: ReadonlyMap<bigint, SessionSecurity>): { opened: Promise<Buffer>; sessionId: bigint } | undefined {
  if (frame.length < TRANSFORM_HEADER_SIZE || !isSealed(frame)) return undefined;
  const sessionId = frame.readBigUInt64LE(SESSION_ID_OFFSET);
  const opened = sessions.get(sessionId)?.encryption?.decryptInPlace?.(frame);
  return opened && { opened, sessionId };
}
