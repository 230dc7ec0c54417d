import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  FILETIME_UNIX_EPOCH,
  dateToFiletime,
  filetimeToDate,
  filetimeToUnixNanoseconds,
  isFiletimeUnset,
  unixNanosecondsToFiletime,
} from './filetime.js';

describe('FILETIME (MS-DTYP 2.3.3)', () => {
  it('converts the known points', () => {
    expect(filetimeToDate(FILETIME_UNIX_EPOCH).toISOString()).toBe('1970-01-01T00:00:00.000Z');
    expect(filetimeToDate(0n).toISOString()).toBe('1601-01-01T00:00:00.000Z');
    expect(isFiletimeUnset(0n)).toBe(true);
    // 2024-01-01T00:00:00Z
    expect(dateToFiletime(new Date(Date.UTC(2024, 0, 1)))).toBe(133485408000000000n);
    expect(filetimeToDate(133485408000000000n + 12345n).toISOString()).toBe('2024-01-01T00:00:00.001Z');
    expect(filetimeToDate(0xffffffffffffffffn).getTime()).not.toBeNaN();
  });

  it('floors before 1970 instead of truncating', () => {
    expect(filetimeToDate(FILETIME_UNIX_EPOCH - 1n).getTime()).toBe(-1);
  });

  it('keeps 100-ns precision through the nanosecond helpers', () => {
    const ft = 133485408000000000n + 1234567n;
    expect(filetimeToUnixNanoseconds(ft)).toBe(1704067200000000000n + 123456700n);
    expect(unixNanosecondsToFiletime(filetimeToUnixNanoseconds(ft))).toBe(ft);
  });

  it('rejects dates FILETIME cannot hold', () => {
    expect(() => dateToFiletime(new Date(NaN))).toThrow(RangeError);
    expect(() => dateToFiletime(new Date(Date.UTC(1600, 0, 1)))).toThrow(RangeError);
  });

  it('round-trips every millisecond date from 1601 on', () => {
    const min = -11644473600000;
    const max = Number((0xffffffffffffffffn - FILETIME_UNIX_EPOCH) / 10000n); // FILETIME ends in the year 60056
    expect(() => dateToFiletime(new Date(max + 1))).toThrow(RangeError);
    fc.assert(
      fc.property(fc.integer({ min, max }), (ms) => {
        expect(filetimeToDate(dateToFiletime(new Date(ms))).getTime()).toBe(ms);
      }),
    );
  });
});
