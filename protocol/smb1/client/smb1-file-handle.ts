// An open SMB1 file behind the dialect-independent FileHandle: READ_ANDX / WRITE_ANDX at any
// offset (OffsetHigh with CAP_LARGE_FILES), TRANS2 QUERY/SET_FILE_INFORMATION, FLUSH, CLOSE on
// one FID (MS-CIFS 3.2.4.14 …). Several reads or writes may be in flight; the connection keeps at
// most MaxMpxCount outstanding.
import type { DurableHandle, FileHandle, SetInfoOptions } from '../../client/api.js';
import type { FileStat } from '../../client/types.js';
import { SmbError } from '../../errors.js';
import { Smb1Command } from '../constants.js';
import { ioLimits } from '../negotiate-exchange.js';
import { decodeReadAndXResponse, encodeReadAndXRequest } from '../commands/read-andx.js';
import { decodeWriteAndXResponse, encodeWriteAndXRequest } from '../commands/write-andx.js';
import { closeSmb1File, flushSmb1File, setDeleteOnClose, setSize, setTimes, statOpen, type Smb1OpenFile } from './file-ops.js';
import { display, treeCall, type Smb1TreeContext } from './tree-context.js';

const FOUR_GIB = 0x100000000;

export class Smb1FileHandle implements FileHandle {
  private closing: Promise<void> | undefined;
  /** SMB1 has no durable opens. */
  readonly durable: DurableHandle | undefined = undefined;

  /** `\share\path` for errors, worked out once rather than per READ or WRITE. */
  private readonly where: string;

  constructor(
    private readonly t: Smb1TreeContext,
    private readonly f: Smb1OpenFile,
  ) {
    this.where = display(t, f.path);
  }

  get path(): string {
    return this.f.path;
  }

  get openStat(): FileStat {
    return this.f.stat;
  }

  /** The OPEN_ANDX answer's attribute data as decoded, when the file was opened that way (tests, diagnostics). */
  get openAndX(): Smb1OpenFile['openAndX'] {
    return this.f.openAndX;
  }

  get maxRead(): number {
    return ioLimits(this.t.neg, this.t.conn.isSigning).maxRead;
  }

  get maxWrite(): number {
    return ioLimits(this.t.neg, this.t.conn.isSigning).maxWrite;
  }

  /** As Smb1Tree.createReadStream: one READ_ANDX as large as the server allows. */
  get readChunk(): number {
    return this.maxRead;
  }

  /** As Smb1Tree.createWriteStream: WRITE_ANDX as large as it goes (LARGE_WRITE_MAX). */
  get writeChunk(): number {
    return this.maxWrite;
  }

  async readAt(offset: number, length: number): Promise<Buffer> {
    this.checkOffset(offset + length);
    const asked = Math.min(length, this.maxRead);
    const res = await treeCall(this.t, {
      command: Smb1Command.READ_ANDX,
      body: [encodeReadAndXRequest({ fid: this.f.fid, offset, length: asked })],
      operation: 'read',
      path: this.where,
    });
    return decodeReadAndXResponse(res.msg, asked);
  }

  async writeAt(offset: number, data: Buffer | readonly Buffer[]): Promise<number> {
    const parts = Buffer.isBuffer(data) ? [data] : data;
    let length = 0;
    for (const p of parts) length += p.length;
    if (length > this.maxWrite) throw new RangeError(`WRITE of ${length} bytes exceeds ${this.maxWrite}`);
    this.checkOffset(offset + length);
    const res = await treeCall(this.t, {
      command: Smb1Command.WRITE_ANDX,
      body: [encodeWriteAndXRequest({ fid: this.f.fid, offset, length }), ...parts],
      operation: 'write',
      path: this.where,
    });
    return decodeWriteAndXResponse(res.msg, length);
  }

  stat(): Promise<FileStat> {
    return statOpen(this.t, this.f);
  }

  async setInfo(info: SetInfoOptions): Promise<void> {
    if (info.size !== undefined) await setSize(this.t, this.f, info.size);
    if (info.times) await setTimes(this.t, this.f, info.times);
    if (info.deleteOnClose) await setDeleteOnClose(this.t, this.f);
  }

  flush(): Promise<void> {
    return flushSmb1File(this.t, this.f);
  }

  close(): Promise<void> {
    this.closing ??= closeSmb1File(this.t, this.f.fid);
    return this.closing;
  }

  /** Offsets past 4 GiB need CAP_LARGE_FILES (MS-CIFS 2.2.4.42.1 OffsetHigh). */
  private checkOffset(end: number): void {
    if (end > FOUR_GIB && !this.t.neg.largeFiles) {
      throw new SmbError('unsupported', `this SMB1 server cannot reach offsets past 4 GiB (${display(this.t, this.f.path)})`, { path: this.f.path });
    }
  }
}
