import { describe, expect, it } from 'vitest';
import { Smb2Command } from '../constants.js';
import { SMB2_FILEID_NONE } from './body.js';
import {
  FSCTL_PIPE_TRANSCEIVE,
  FSCTL_VALIDATE_NEGOTIATE_INFO,
  SMB2_0_IOCTL_IS_FSCTL,
  decodeIoctlRequest,
  decodeIoctlResponse,
  encodeIoctlRequest,
  encodeIoctlResponse,
} from './ioctl.js';
import { fuzzDecoder, hex, message } from './test-helpers.js';

const CMD = Smb2Command.IOCTL;
const fileId = Buffer.from('0102030405060708090a0b0c0d0e0f10', 'hex');

// MS-SMB2 2.2.31
const REQUEST = hex(`
  3900                 // StructureSize 57
  0000                 // Reserved
  17c01100             // CtlCode: FSCTL_PIPE_TRANSCEIVE 0x0011C017
  0102030405060708090a0b0c0d0e0f10 // FileId
  78000000             // InputOffset 0x78 = 64 + 56
  04000000             // InputCount 4
  00000000             // MaxInputResponse
  00000000             // OutputOffset
  00000000             // OutputCount
  b8100000             // MaxOutputResponse 4280
  01000000             // Flags: SMB2_0_IOCTL_IS_FSCTL
  00000000             // Reserved2
  05000b03             // input (start of a DCE/RPC bind)
`);
// MS-SMB2 2.2.32
const RESPONSE = hex(`
  3100                 // StructureSize 49
  0000                 // Reserved
  17c01100             // CtlCode
  0102030405060708090a0b0c0d0e0f10 // FileId
  70000000             // InputOffset 0x70 = 64 + 48
  00000000             // InputCount 0
  70000000             // OutputOffset 0x70
  04000000             // OutputCount 4
  00000000             // Flags
  00000000             // Reserved2
  05000c03             // output
`);

describe('IOCTL (MS-SMB2 2.2.31, 2.2.32)', () => {
  it('encodes the request', () => {
    const req = { ctlCode: FSCTL_PIPE_TRANSCEIVE, fileId, input: Buffer.from('05000b03', 'hex'), maxOutputResponse: 4280, flags: SMB2_0_IOCTL_IS_FSCTL };
    const body = encodeIoctlRequest(req);
    expect(body.toString('hex')).toBe(REQUEST.toString('hex'));
    expect(decodeIoctlRequest(message(CMD, body))).toEqual({ ...req, maxInputResponse: 0 });
  });

  it('sends one Buffer byte when there is no input', () => {
    const body = encodeIoctlRequest({ ctlCode: FSCTL_VALIDATE_NEGOTIATE_INFO, fileId: SMB2_FILEID_NONE, input: Buffer.alloc(0), maxOutputResponse: 24, flags: 1 });
    expect(body.length).toBe(57);
    expect(body.readUInt32LE(24)).toBe(0x78);
  });

  it('decodes the response, buffers as views', () => {
    const msg = message(CMD, RESPONSE);
    const res = decodeIoctlResponse(msg);
    expect(res.ctlCode).toBe(FSCTL_PIPE_TRANSCEIVE);
    expect(res.fileId).toEqual(fileId);
    expect(res.input.length).toBe(0);
    expect(res.output.toString('hex')).toBe('05000c03');
    expect(res.output.buffer).toBe(msg.buffer);
    expect(encodeIoctlResponse(res).toString('hex')).toBe(RESPONSE.toString('hex'));
  });

  it('ignores OutputOffset when OutputCount is 0 (3.2.5.14) and rejects an output past the message', () => {
    const empty = message(CMD, RESPONSE);
    empty.writeUInt32LE(0, 64 + 36);
    empty.writeUInt32LE(0xffffffff, 64 + 32);
    expect(decodeIoctlResponse(empty).output.length).toBe(0);
    const over = message(CMD, RESPONSE);
    over.writeUInt32LE(5, 64 + 36);
    expect(() => decodeIoctlResponse(over)).toThrow(/IOCTL response: Output/);
  });

  it('only ever throws MalformedMessageError on bad input', () => {
    fuzzDecoder(decodeIoctlResponse, CMD, [message(CMD, RESPONSE)]);
    fuzzDecoder(decodeIoctlRequest, CMD, [message(CMD, REQUEST)]);
  });
});
