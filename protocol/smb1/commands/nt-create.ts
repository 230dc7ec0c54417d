// SMB_COM_NT_CREATE_ANDX (MS-CIFS 2.2.4.64).
// Request WordCount 0x18: AndX (4) Reserved (1) NameLength (2) Flags (4) RootDirectoryFID (4)
//   DesiredAccess (4) AllocationSize (8) ExtFileAttributes (4) ShareAccess (4)
//   CreateDisposition (4) CreateOptions (4) ImpersonationLevel (4) SecurityFlags (1);
//   Bytes: pad, FileName (Unicode, null-terminated).
// Response WordCount 0x22 (MS-SMB 2.2.4.9.2 adds an extended 0x2A form): AndX (4) OpLockLevel (1)
//   FID (2) CreateDisposition (4) CreateTime (8) LastAccessTime (8) LastWriteTime (8)
//   LastChangeTime (8) ExtFileAttributes (4) AllocationSize (8) EndOfFile (8) ResourceType (2)
//   NMPipeStatus (2) Directory (1).
import { ByteWriter } from '../../wire/byte-writer.js';
import { SEC_IMPERSONATE, SMB_COM_NO_ANDX_COMMAND } from '../constants.js';
import { bytesOffsetFor, encodeBlock, readSingleAndX } from '../message.js';

export interface NtCreateRequest {
  path: string;
  desiredAccess: number;
  extFileAttributes: number;
  shareAccess: number;
  createDisposition: number;
  createOptions: number;
  flags?: number;
}

export function encodeNtCreateRequest(c: NtCreateRequest): Buffer {
  const name = Buffer.from(`${c.path}\0`, 'utf16le');
  const w = new ByteWriter(48);
  w.u8(SMB_COM_NO_ANDX_COMMAND).u8(0).u16(0);
  w.u8(0).u16(name.length - 2).u32(c.flags ?? 0).u32(0).u32(c.desiredAccess).u64(0n);
  w.u32(c.extFileAttributes).u32(c.shareAccess).u32(c.createDisposition).u32(c.createOptions).u32(SEC_IMPERSONATE).u8(0);
  const pad = Buffer.alloc(bytesOffsetFor(0x18) % 2);
  return encodeBlock(w.finish(), [pad, name]);
}

export interface NtCreateResponse {
  oplockLevel: number;
  fid: number;
  createDisposition: number;
  creationTime: bigint;
  lastAccessTime: bigint;
  lastWriteTime: bigint;
  changeTime: bigint;
  fileAttributes: number;
  allocationSize: number;
  endOfFile: number;
  resourceType: number;
  nmPipeStatus: number;
  directory: boolean;
}

const STRUCTURE = 'SMB_COM_NT_CREATE_ANDX Response';

export function decodeNtCreateResponse(msg: Buffer): NtCreateResponse {
  const b = readSingleAndX(msg, STRUCTURE, [0x22, 0x2a]);
  const w = b.words;
  return {
    oplockLevel: w.u8('OpLockLevel'),
    fid: w.u16('FID'),
    createDisposition: w.u32('CreateDisposition'),
    creationTime: w.u64('CreateTime'),
    lastAccessTime: w.u64('LastAccessTime'),
    lastWriteTime: w.u64('LastWriteTime'),
    changeTime: w.u64('LastChangeTime'),
    fileAttributes: w.u32('ExtFileAttributes'),
    allocationSize: w.u64Number('AllocationSize'),
    endOfFile: w.u64Number('EndOfFile'),
    resourceType: w.u16('ResourceType'),
    nmPipeStatus: w.u16('NMPipeStatus'),
    directory: w.u8('Directory') !== 0,
  };
}
