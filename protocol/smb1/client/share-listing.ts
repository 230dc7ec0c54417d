// Share listing over SMB1: srvsvc NetShareEnumAll (MS-SRVS 3.1.4.8) over \PIPE\srvsvc opened on
// IPC$, the RPC bytes carried by SMB_COM_TRANSACTION TRANS_TRANSACT_NMPIPE (MS-CIFS 2.2.5.10) and
// READ_ANDX/WRITE_ANDX when an answer or a request does not fit; and, for servers without srvsvc,
// RAP NetShareEnum (MS-RAP 3.2.5.31) over \PIPE\LANMAN.
import type { ShareInfo } from '../../client/types.js';
import { MalformedMessageError, SmbError, SmbStatusError } from '../../errors.js';
import { listSharesOverPipe, type RpcPipe } from '../../rpc/share-enum.js';
import { shareTypeOf } from '../../rpc/srvsvc.js';
import { NtStatus } from '../../smb2/nt-status.js';
import { ByteReader } from '../../wire/byte-reader.js';
import { ByteWriter } from '../../wire/byte-writer.js';
import { Smb1Command, TRANS_TRANSACT_NMPIPE } from '../constants.js';
import { decodeReadAndXResponse, encodeReadAndXRequest } from '../commands/read-andx.js';
import { decodeWriteAndXResponse, encodeWriteAndXRequest } from '../commands/write-andx.js';
import { closeSmb1File, ntCreate, type Smb1OpenFile } from './file-ops.js';
import { transact, treeCall, type Smb1TreeContext } from './tree-context.js';

const PIPE_ANSWER_LIMIT = 0xfff0;
const OVERFLOW = [NtStatus.STATUS_SUCCESS, NtStatus.STATUS_BUFFER_OVERFLOW];

export async function listSmb1Shares(ipc: Smb1TreeContext, host: string, log?: (level: number, m: string) => void, via?: 'srvsvc' | 'rap'): Promise<ShareInfo[]> {
  if (via === 'rap') return viaRap(ipc);
  if (via === 'srvsvc') return viaSrvsvc(ipc, host);
  try {
    return await viaSrvsvc(ipc, host);
  } catch (e) {
    // A server without srvsvc (old NAS firmware, Windows 9x) still answers RAP.
    if (!(e instanceof SmbStatusError) || e.code !== 'status') throw e;
    log?.(2, `srvsvc share listing failed (${e.statusName}); trying RAP NetShareEnum`);
    return viaRap(ipc);
  }
}

async function viaSrvsvc(ipc: Smb1TreeContext, host: string): Promise<ShareInfo[]> {
  const pipe = await ntCreate(ipc, 'srvsvc', {
    desiredAccess: 0x1 | 0x2 | 0x80 | 0x100000, // FILE_READ_DATA | FILE_WRITE_DATA | FILE_READ_ATTRIBUTES | SYNCHRONIZE
    shareAccess: 0x1 | 0x2,
    createDisposition: 1, // FILE_OPEN
    createOptions: 0,
    operation: 'open srvsvc',
  });
  try {
    const shares = await listSharesOverPipe(pipeOver(ipc, pipe), `\\\\${host}`);
    return shares.map((s) => ({ name: s.name, ...shareTypeOf(s.type), comment: s.comment }));
  } finally {
    await closeSmb1File(ipc, pipe.fid).catch(() => undefined);
  }
}

function pipeOver(t: Smb1TreeContext, f: Smb1OpenFile): RpcPipe {
  return {
    async transceive(request, maxResponse) {
      const max = Math.min(maxResponse, PIPE_ANSWER_LIMIT);
      const r = await transact(
        t,
        { command: Smb1Command.TRANSACTION, setup: [TRANS_TRANSACT_NMPIPE, f.fid], name: '\\PIPE\\', params: Buffer.alloc(0), data: request, maxParameterCount: 0, maxDataCount: max, operation: 'rpc transceive' },
        OVERFLOW,
      );
      return { data: r.data, more: r.status === NtStatus.STATUS_BUFFER_OVERFLOW };
    },
    async read(maxResponse) {
      const max = Math.min(maxResponse, PIPE_ANSWER_LIMIT);
      const res = await treeCall(t, { command: Smb1Command.READ_ANDX, body: [encodeReadAndXRequest({ fid: f.fid, offset: 0, length: max })], operation: 'rpc read' }, OVERFLOW);
      return { data: decodeReadAndXResponse(res.msg, max), more: res.status === NtStatus.STATUS_BUFFER_OVERFLOW };
    },
    async write(data) {
      const res = await treeCall(t, { command: Smb1Command.WRITE_ANDX, body: [encodeWriteAndXRequest({ fid: f.fid, offset: 0, length: data.length }), data], operation: 'rpc write' });
      if (decodeWriteAndXResponse(res.msg, data.length) !== data.length) throw new SmbError('malformed', 'the server took part of an RPC request', { operation: 'rpc write' });
    },
  };
}

/** MS-RAP 2.5.21 NetShareEnum request: opcode 0, "WrLeh", "B13BWz", level 1, receive buffer size. */
export function encodeRapNetShareEnum(bufferSize: number): Buffer {
  const param = Buffer.from('WrLeh\0', 'latin1');
  const dataDesc = Buffer.from('B13BWz\0', 'latin1');
  const w = new ByteWriter(2 + param.length + dataDesc.length + 4);
  w.u16(0).bytes(param).bytes(dataDesc).u16(1).u16(bufferSize);
  return w.finish();
}

const RAP_TYPES: Record<number, ShareInfo['type']> = { 0: 'disk', 1: 'printer', 2: 'device', 3: 'ipc' };

/** MS-RAP 2.5.21 response: Status, Converter, EntriesReturned, EntriesAvailable; SHARE_INFO_1 entries. */
export function decodeRapNetShareEnum(params: Buffer, data: Buffer): ShareInfo[] {
  const p = new ByteReader(params, 'RAP NetShareEnum Response Parameters');
  const status = p.u16('Win32ErrorCode');
  const converter = p.u16('Converter');
  const count = p.u16('EntriesReturned');
  p.u16('EntriesAvailable');
  // 0 NERR_Success, 234 ERROR_MORE_DATA (the entries that fit are still valid).
  if (status !== 0 && status !== 234) throw new SmbError('status', `RAP NetShareEnum failed: error ${status}`, { operation: 'NetShareEnum' });
  const r = new ByteReader(data, 'RAP SHARE_INFO_1');
  const out: ShareInfo[] = [];
  for (let i = 0; i < count; i++) {
    const nameBytes = r.bytes(13, 'NetworkName');
    r.skip(1, 'Pad');
    const type = r.u16('Type');
    const remarkOffset = r.u32('RemarkOffset') & 0xffff;
    const name = nameBytes.subarray(0, nameBytes.indexOf(0) < 0 ? 13 : nameBytes.indexOf(0)).toString('latin1');
    const at = remarkOffset - converter;
    let comment = '';
    if (remarkOffset !== 0) {
      if (at < 0 || at >= data.length) throw new MalformedMessageError('RAP SHARE_INFO_1', 'RemarkOffset', `${remarkOffset} (converter ${converter}) outside ${data.length} bytes`);
      const end = data.indexOf(0, at);
      comment = data.subarray(at, end < 0 ? data.length : end).toString('latin1');
    }
    out.push({ name, type: RAP_TYPES[type & 0xff] ?? 'disk', special: name.endsWith('$'), comment });
  }
  return out;
}

async function viaRap(ipc: Smb1TreeContext): Promise<ShareInfo[]> {
  const r = await transact(ipc, {
    command: Smb1Command.TRANSACTION,
    setup: [],
    name: '\\PIPE\\LANMAN',
    params: encodeRapNetShareEnum(PIPE_ANSWER_LIMIT),
    maxParameterCount: 8,
    maxDataCount: PIPE_ANSWER_LIMIT,
    operation: 'NetShareEnum',
  });
  return decodeRapNetShareEnum(r.params, r.data);
}
