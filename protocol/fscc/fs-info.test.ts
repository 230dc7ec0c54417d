import { describe, expect, it } from 'vitest';
import { fuzzStructure, hex } from '../smb2/commands/test-helpers.js';
import {
  allocationUnitBytes,
  decodeFileFsFullSizeInformation,
  decodeFileFsSizeInformation,
  encodeFileFsFullSizeInformation,
} from './fs-info.js';

// MS-FSCC 2.5.4
const FULL = hex(`
  0000100000000000     // TotalAllocationUnits 1 Mi
  0000080000000000     // CallerAvailableAllocationUnits 512 Ki
  0000090000000000     // ActualAvailableAllocationUnits 576 Ki
  08000000             // SectorsPerAllocationUnit 8
  00020000             // BytesPerSector 512
`);
// MS-FSCC 2.5.8
const SIZE = hex(`
  0000100000000000 0000080000000000 08000000 00020000
`);

describe('FSCC file system information (MS-FSCC 2.5)', () => {
  it('decodes FileFsFullSizeInformation', () => {
    const info = decodeFileFsFullSizeInformation(FULL);
    expect(info).toEqual({
      totalAllocationUnits: 0x100000n,
      callerAvailableAllocationUnits: 0x80000n,
      actualAvailableAllocationUnits: 0x90000n,
      sectorsPerAllocationUnit: 8,
      bytesPerSector: 512,
    });
    expect(info.totalAllocationUnits * allocationUnitBytes(info)).toBe(4n << 30n);
    expect(encodeFileFsFullSizeInformation(info).toString('hex')).toBe(FULL.toString('hex'));
  });

  it('decodes FileFsSizeInformation', () => {
    expect(decodeFileFsSizeInformation(SIZE)).toEqual({
      totalAllocationUnits: 0x100000n,
      availableAllocationUnits: 0x80000n,
      sectorsPerAllocationUnit: 8,
      bytesPerSector: 512,
    });
  });

  it('only ever throws MalformedMessageError on bad input', () => {
    fuzzStructure(decodeFileFsFullSizeInformation, [FULL], 0, 100);
    fuzzStructure(decodeFileFsSizeInformation, [SIZE], 0, 100);
  });
});
