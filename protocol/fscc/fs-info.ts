// MS-FSCC 2.5 file system information: FileFsSizeInformation (2.5.8) and FileFsFullSizeInformation (2.5.4).
// Unit counts stay bigint: multiplied by sector and cluster sizes they can pass 2^53 on large volumes.
import { ByteReader } from '../wire/byte-reader.js';
import { ByteWriter } from '../wire/byte-writer.js';

export interface FileFsFullSizeInfo {
  totalAllocationUnits: bigint;
  callerAvailableAllocationUnits: bigint;
  actualAvailableAllocationUnits: bigint;
  sectorsPerAllocationUnit: number;
  bytesPerSector: number;
}

export interface FileFsSizeInfo {
  totalAllocationUnits: bigint;
  availableAllocationUnits: bigint;
  sectorsPerAllocationUnit: number;
  bytesPerSector: number;
}

export const FILE_FS_FULL_SIZE_INFORMATION_SIZE = 32;
export const FILE_FS_SIZE_INFORMATION_SIZE = 24;

export function decodeFileFsFullSizeInformation(buf: Buffer): FileFsFullSizeInfo {
  const r = new ByteReader(buf, 'FILE_FS_FULL_SIZE_INFORMATION');
  return {
    totalAllocationUnits: r.u64('TotalAllocationUnits'),
    callerAvailableAllocationUnits: r.u64('CallerAvailableAllocationUnits'),
    actualAvailableAllocationUnits: r.u64('ActualAvailableAllocationUnits'),
    sectorsPerAllocationUnit: r.u32('SectorsPerAllocationUnit'),
    bytesPerSector: r.u32('BytesPerSector'),
  };
}

export function decodeFileFsSizeInformation(buf: Buffer): FileFsSizeInfo {
  const r = new ByteReader(buf, 'FILE_FS_SIZE_INFORMATION');
  return {
    totalAllocationUnits: r.u64('TotalAllocationUnits'),
    availableAllocationUnits: r.u64('AvailableAllocationUnits'),
    sectorsPerAllocationUnit: r.u32('SectorsPerAllocationUnit'),
    bytesPerSector: r.u32('BytesPerSector'),
  };
}

/** Bytes per allocation unit; multiply the unit counts by it (as bigint). */
export function allocationUnitBytes(info: { sectorsPerAllocationUnit: number; bytesPerSector: number }): bigint {
  return BigInt(info.sectorsPerAllocationUnit) * BigInt(info.bytesPerSector);
}

/** Test-proxy encoder. */
export function encodeFileFsFullSizeInformation(info: FileFsFullSizeInfo): Buffer {
  const w = new ByteWriter(FILE_FS_FULL_SIZE_INFORMATION_SIZE);
  w.u64(info.totalAllocationUnits).u64(info.callerAvailableAllocationUnits).u64(info.actualAvailableAllocationUnits);
  return w.u32(info.sectorsPerAllocationUnit).u32(info.bytesPerSector).finish();
}
