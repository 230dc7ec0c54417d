import { describe, expect, it } from 'vitest';
import { MalformedMessageError } from '../../errors.js';
import { Smb2Command } from '../constants.js';
import {
  FILE_ATTRIBUTE_ARCHIVE,
  FILE_DIRECTORY_FILE,
  FILE_NON_DIRECTORY_FILE,
  FILE_OPEN,
  FILE_OPENED,
  FILE_READ_ATTRIBUTES,
  FILE_READ_DATA,
  FILE_READ_EA,
  FILE_SHARE_DELETE,
  FILE_SHARE_READ,
  FILE_SHARE_WRITE,
  READ_CONTROL,
  SYNCHRONIZE,
} from '../create-constants.js';
import {
  SMB2_CREATE_QUERY_MAXIMAL_ACCESS_REQUEST,
  SMB2_CREATE_QUERY_ON_DISK_ID,
  decodeCreateRequest,
  decodeCreateResponse,
  encodeCreateRequest,
  encodeCreateResponse,
} from './create.js';
import { fuzzDecoder, hex, message } from './test-helpers.js';

const CMD = Smb2Command.CREATE;
const SHARE_ALL = FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE;
const READ = FILE_READ_DATA | FILE_READ_EA | FILE_READ_ATTRIBUTES | READ_CONTROL | SYNCHRONIZE;

// MS-SMB2 2.2.13 with one 2.2.13.2 context.
const REQUEST = hex(`
  3900                 // StructureSize 57
  00                   // SecurityFlags
  00                   // RequestedOplockLevel: NONE
  02000000             // ImpersonationLevel: Impersonation
  0000000000000000     // SmbCreateFlags
  0000000000000000     // Reserved
  89001200             // DesiredAccess 0x00120089
  00000000             // FileAttributes
  07000000             // ShareAccess: READ | WRITE | DELETE
  01000000             // CreateDisposition: FILE_OPEN
  40000000             // CreateOptions: FILE_NON_DIRECTORY_FILE
  7800                 // NameOffset 0x78 = 64 + 56
  1200                 // NameLength 18
  90000000             // CreateContextsOffset 0x90 = 0x78 + 24 (name padded to 8)
  14000000             // CreateContextsLength 20
  6400 6900 7200 5c00 6100 2e00 7400 7800 7400 // "dir\\a.txt"
  000000000000         // padding to 8
  00000000             // Next: last
  1000 0400            // NameOffset 16, NameLength 4
  0000                 // Reserved
  0000 00000000        // DataOffset 0, DataLength 0
  4d784163             // "MxAc"
`);

// The share root: NameLength 0 and the one Buffer byte 2.2.13 requires.
const ROOT_REQUEST = hex(`
  3900 00 00 02000000 0000000000000000 0000000000000000
  80001000             // DesiredAccess: FILE_READ_ATTRIBUTES | SYNCHRONIZE
  00000000 07000000 01000000
  01000000             // CreateOptions: FILE_DIRECTORY_FILE
  7800 0000            // NameOffset 0x78, NameLength 0
  00000000 00000000    // no contexts
  00                   // Buffer
`);

const fileIdHex = '0102030405060708090a0b0c0d0e0f10';
const qfid = Buffer.alloc(32, 0x5a);
// MS-SMB2 2.2.14 with two contexts: MxAc (2.2.14.2.5) and QFid (2.2.14.2.9).
const RESPONSE = hex(`
  5900                 // StructureSize 89
  00                   // OplockLevel
  00                   // Flags
  01000000             // CreateAction: FILE_OPENED
  e5d4c3b2a1c0d901     // CreationTime
  e6d4c3b2a1c0d901     // LastAccessTime
  e7d4c3b2a1c0d901     // LastWriteTime
  e8d4c3b2a1c0d901     // ChangeTime
  0010000000000000     // AllocationSize 4096
  0500000000000000     // EndofFile 5
  20000000             // FileAttributes: ARCHIVE
  00000000             // Reserved2
  ${fileIdHex}         // FileId
  98000000             // CreateContextsOffset 0x98 = 64 + 88
  58000000             // CreateContextsLength 88
  20000000 1000 0400 0000 1800 08000000 // Next 32, name at 16 (4), data at 24 (8)
  4d784163 00000000    // "MxAc", padding
  00000000 ff011f00    // QueryStatus STATUS_SUCCESS, MaximalAccess 0x001F01FF
  00000000 1000 0400 0000 1800 20000000 // last, name at 16 (4), data at 24 (32)
  51466964 00000000    // "QFid", padding
  ${qfid.toString('hex')}
`);

describe('CREATE request (MS-SMB2 2.2.13)', () => {
  it('encodes a path and a create context, 8-byte aligned', () => {
    const body = encodeCreateRequest({
      path: 'dir\\a.txt',
      desiredAccess: READ,
      fileAttributes: 0,
      shareAccess: SHARE_ALL,
      createDisposition: FILE_OPEN,
      createOptions: FILE_NON_DIRECTORY_FILE,
      contexts: [{ name: SMB2_CREATE_QUERY_MAXIMAL_ACCESS_REQUEST, data: Buffer.alloc(0) }],
    });
    expect(body.toString('hex')).toBe(REQUEST.toString('hex'));
  });

  it('sends one Buffer byte for the share root', () => {
    const body = encodeCreateRequest({
      path: '',
      desiredAccess: FILE_READ_ATTRIBUTES | SYNCHRONIZE,
      fileAttributes: 0,
      shareAccess: SHARE_ALL,
      createDisposition: FILE_OPEN,
      createOptions: FILE_DIRECTORY_FILE,
    });
    expect(body.toString('hex')).toBe(ROOT_REQUEST.toString('hex'));
    expect(decodeCreateRequest(message(CMD, body)).path).toBe('');
  });

  it('decodes its golden bytes back, with a Unicode name and data-carrying contexts', () => {
    expect(decodeCreateRequest(message(CMD, REQUEST))).toMatchObject({
      path: 'dir\\a.txt',
      desiredAccess: READ,
      contexts: [{ name: 'MxAc', data: Buffer.alloc(0) }],
    });
    const req = {
      path: 'Ordner mit Leerzeichen\\🎉 party.txt',
      desiredAccess: READ,
      fileAttributes: 0,
      shareAccess: SHARE_ALL,
      createDisposition: FILE_OPEN,
      createOptions: 0,
      requestedOplockLevel: 0,
      impersonationLevel: 2,
      contexts: [
        { name: 'DHnQ', data: Buffer.alloc(16) },
        { name: 'MxAc', data: Buffer.alloc(0) },
        { name: 'QFid', data: Buffer.alloc(0) },
      ],
    };
    const body = encodeCreateRequest(req);
    const offset = body.readUInt32LE(48);
    expect(offset % 8).toBe(0);
    expect(decodeCreateRequest(message(CMD, body))).toEqual(req);
  });
});

describe('CREATE response (MS-SMB2 2.2.14)', () => {
  it('decodes the golden bytes', () => {
    const res = decodeCreateResponse(message(CMD, RESPONSE));
    expect(res).toMatchObject({
      oplockLevel: 0,
      flags: 0,
      createAction: FILE_OPENED,
      creationTime: 0x01d9c0a1b2c3d4e5n,
      lastAccessTime: 0x01d9c0a1b2c3d4e6n,
      lastWriteTime: 0x01d9c0a1b2c3d4e7n,
      changeTime: 0x01d9c0a1b2c3d4e8n,
      allocationSize: 4096,
      endOfFile: 5,
      fileAttributes: FILE_ATTRIBUTE_ARCHIVE,
    });
    expect(res.fileId.toString('hex')).toBe(fileIdHex);
    expect(res.contexts).toEqual([
      { name: SMB2_CREATE_QUERY_MAXIMAL_ACCESS_REQUEST, data: Buffer.from('00000000ff011f00', 'hex') },
      { name: SMB2_CREATE_QUERY_ON_DISK_ID, data: qfid },
    ]);
    expect(encodeCreateResponse(res).toString('hex')).toBe(RESPONSE.toString('hex'));
  });

  it('decodes a response without contexts', () => {
    const body = Buffer.from(RESPONSE.subarray(0, 89));
    body.writeUInt32LE(0, 80);
    body.writeUInt32LE(0, 84);
    expect(decodeCreateResponse(message(CMD, body)).contexts).toEqual([]);
  });

  it('rejects context chains that loop, overrun or misalign', () => {
    const loop = message(CMD, RESPONSE);
    loop.writeUInt32LE(0, 64 + 88); // first Next = 0: fine, one context
    expect(decodeCreateResponse(loop).contexts).toHaveLength(1);
    const back = message(CMD, RESPONSE);
    back.writeUInt32LE(8, 64 + 88); // Next smaller than a context header
    expect(() => decodeCreateResponse(back)).toThrow(/Next/);
    const over = message(CMD, RESPONSE);
    over.writeUInt32LE(0x1000, 64 + 88);
    expect(() => decodeCreateResponse(over)).toThrow(MalformedMessageError);
    const data = message(CMD, RESPONSE);
    data.writeUInt32LE(0x100, 64 + 88 + 12); // DataLength beyond this context
    expect(() => decodeCreateResponse(data)).toThrow(/CreateContext.Data/);
  });

  it('only ever throws MalformedMessageError on bad input', () => {
    fuzzDecoder(decodeCreateResponse, CMD, [message(CMD, RESPONSE)]);
    fuzzDecoder(decodeCreateRequest, CMD, [message(CMD, REQUEST), message(CMD, ROOT_REQUEST)]);
  });
});
