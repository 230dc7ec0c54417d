import { describe, expect, it } from 'vitest';
import { accessAllowsChanges } from './share-access.js';

describe('accessAllowsChanges (MS-DTYP 2.4.3 masks)', () => {
  it('a full-control mask and a write-only one allow changes', () => {
    expect(accessAllowsChanges(0x001f01ff)).toBe(true); // FILE_ALL_ACCESS (Samba's writable share)
    expect(accessAllowsChanges(0x00000100)).toBe(true); // FILE_WRITE_ATTRIBUTES
    expect(accessAllowsChanges(0x00000002)).toBe(true); // FILE_WRITE_DATA
    expect(accessAllowsChanges(0x40000000)).toBe(true); // GENERIC_WRITE
    expect(accessAllowsChanges(0x10000000)).toBe(true); // GENERIC_ALL (high bit set: still unsigned)
  });

  it('a read-only mask does not', () => {
    expect(accessAllowsChanges(0x001200a9)).toBe(false); // read data, EA, attributes, execute, READ_CONTROL, SYNCHRONIZE
    expect(accessAllowsChanges(0x80000000 | 0x20000000)).toBe(false); // GENERIC_READ | GENERIC_EXECUTE
    expect(accessAllowsChanges(0x001f00a9)).toBe(false); // Samba 4.17's read-only share: standard rights kept
    expect(accessAllowsChanges(0)).toBe(false);
  });
});
