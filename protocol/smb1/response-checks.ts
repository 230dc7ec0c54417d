// What every SMB1 answer is checked against before the connection hands it on (MS-CIFS 3.2.5.1):
// it answers the request with its MID, on that request's command, PID, UID and TID; and the
// NTSTATUS it carries, whether the server speaks NT status or DOS errors (2.2.1.5, 2.2.2.4).
import { MalformedMessageError, SmbError } from '../errors.js';
import { Smb1Command, smb1CommandName } from './constants.js';
import { dosToNtStatus } from './dos-errors.js';
import { dosStatusOf, hasNtStatus, type Smb1Header } from './header.js';

/** What of a request its answer must repeat. */
export interface AnsweredRequest {
  command: number;
  uid?: number;
  tid?: number;
  assignsUid?: boolean;
  assignsTid?: boolean;
}

/** The answer is to `req`: its command, our PID, its UID and TID (except the ones the answer assigns). */
export function checkAnswer(header: Smb1Header, req: AnsweredRequest, pid: number): void {
  const where = smb1CommandName(req.command);
  if (header.command !== req.command) {
    throw new MalformedMessageError('SMB1 header', 'Command', `expected ${where}, got ${smb1CommandName(header.command)}`);
  }
  if (header.pid !== pid) throw new MalformedMessageError('SMB1 header', 'PID', `${header.pid} in the answer to ${where}`);
  if (!req.assignsUid && header.uid !== (req.uid ?? 0)) {
    throw new SmbError('security', `${where} answered for UID ${header.uid}, not the request's ${req.uid ?? 0}`, { command: where });
  }
  if (!req.assignsTid && header.tid !== (req.tid ?? 0) && req.command !== Smb1Command.NEGOTIATE) {
    throw new SmbError('security', `${where} answered for TID ${header.tid}, not the request's ${req.tid ?? 0}`, { command: where });
  }
}

/** The NTSTATUS of a header: its own with SMB_FLAGS2_NT_STATUS, else its DOS pair through the table. */
export function statusOf(header: Smb1Header): number {
  if (hasNtStatus(header)) return header.status >>> 0;
  const { errorClass, errorCode } = dosStatusOf(header);
  return dosToNtStatus(errorClass, errorCode);
}

/** MS-ERREF 2.3: severity 2 (warning), e.g. STATUS_BUFFER_OVERFLOW, still carries data. */
export function isWarning(status: number): boolean {
  return status >>> 30 === 2;
}
