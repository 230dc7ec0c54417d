// NT_TRANSACT_NOTIFY_CHANGE (MS-CIFS 2.2.7.4), an SMB_COM_NT_TRANSACT subcommand (nt-transact.ts).
// Request (2.2.7.4.1): WordCount 0x17, MaxSetupCount 0, MaxDataCount 0, Function 0x0004,
//   SetupCount 4: Setup = CompletionFilter (4) FID (2) WatchTree (1) Reserved (1); no parameters,
//   no data. MaxParameterCount is the size of the buffer the server collects changes in (2.2.7.4,
//   3.2.4.39) and the most it may answer.
// Response (2.2.7.4.2): NT_Trans_Parameters = FILE_NOTIFY_INFORMATION entries (MS-FSCC 2.7.1,
//   fscc/file-notify-information.ts), no data; STATUS_NOTIFY_ENUM_DIR with nothing when more
//   changed than fit (2.2.7.4).
// The server holds the request until something changes or an NT_CANCEL names it (3.2.4.39), so it
// is sent as a long poll (Smb1Request.untilAborted), see client/smb1-directory-watch.ts.
import { MalformedMessageError } from '../../errors.js';
import { decodeFileNotifyInformation, type FileNotifyInformation } from '../../fscc/file-notify-information.js';
import { ByteReader } from '../../wire/byte-reader.js';
import { ByteWriter } from '../../wire/byte-writer.js';
import { NtTransact } from '../constants.js';
import { decodeNtTransRequest, encodeNtTransRequest, encodeNtTransResponse, readNtTransPiece } from './nt-transact.js';
import { TransAnswer, decodeTransResponse, type TransResult } from './transaction.js';

const RESPONSE = 'NT_TRANSACT_NOTIFY_CHANGE Response';
const REQUEST = 'NT_TRANSACT_NOTIFY_CHANGE Request';
const SETUP_BYTES = 8;

export interface NotifyChangeRequest {
  fid: number;
  /** FILE_NOTIFY_CHANGE_* (the same values as MS-SMB2 2.2.35, smb2/commands/change-notify.ts). */
  completionFilter: number;
  watchTree: boolean;
  /** The server's change buffer and the most it may answer. */
  maxParameterCount: number;
}

export function encodeNotifyChangeRequest(r: NotifyChangeRequest): Buffer {
  const setup = new ByteWriter(SETUP_BYTES).u32(r.completionFilter).u16(r.fid).u8(r.watchTree ? 1 : 0).u8(0).finish();
  return encodeNtTransRequest({
    function: NtTransact.NOTIFY_CHANGE,
    setup,
    params: Buffer.alloc(0),
    data: Buffer.alloc(0),
    maxParameterCount: r.maxParameterCount,
    maxDataCount: 0,
    maxSetupCount: 0,
  });
}

/**
 * Collects the answer (Smb1Request.complete): TotalParameterCount above what we asked for, or any
 * data at all (MaxDataCount 0), is malformed before a byte is kept.
 */
export function notifyChangeAnswer(maxParameterCount: number): TransAnswer {
  return new TransAnswer(RESPONSE, maxParameterCount, 0, readNtTransPiece);
}

/**
 * The entries of a successful answer. Their number is bounded by the buffer: at most one per 12
 * bytes of at most MaxParameterCount (decodeFileNotifyInformation walks no further).
 */
export function decodeNotifyChangeResult(r: TransResult): FileNotifyInformation[] {
  if (r.setup.length !== 0) throw new MalformedMessageError(RESPONSE, 'SetupCount', `${r.setup.length}, expected 0`);
  return decodeFileNotifyInformation(r.params);
}

/** One-message answer (tests; the client goes through notifyChangeAnswer). */
export function decodeNotifyChangeResponse(msg: Buffer, maxParameterCount: number): FileNotifyInformation[] {
  return decodeNotifyChangeResult(decodeTransResponse(msg, RESPONSE, maxParameterCount, 0, readNtTransPiece));
}

/** Test-proxy side: what a server reads. */
export function decodeNotifyChangeRequest(msg: Buffer): NotifyChangeRequest {
  const t = decodeNtTransRequest(msg);
  if (t.function !== NtTransact.NOTIFY_CHANGE) throw new MalformedMessageError(REQUEST, 'Function', `0x${t.function.toString(16)}`);
  if (t.setup.length !== SETUP_BYTES) throw new MalformedMessageError(REQUEST, 'SetupCount', `${t.setup.length / 2}, expected 4`);
  const s = new ByteReader(t.setup, REQUEST);
  const completionFilter = s.u32('CompletionFilter');
  const fid = s.u16('FID');
  const watchTree = s.u8('WatchTree') !== 0;
  return { fid, completionFilter, watchTree, maxParameterCount: t.maxParameterCount };
}

/** Test-proxy side: a server's answer listing `entries` (already laid out as FILE_NOTIFY_INFORMATION). */
export function encodeNotifyChangeResponse(entries: Buffer): Buffer {
  return encodeNtTransResponse({ params: entries });
}
