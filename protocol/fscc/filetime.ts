// MS-FSCC 2.1.1 / MS-DTYP 2.3.3 FILETIME: unsigned count of 100-nanosecond intervals since 1601-01-01 UTC.
//
// Conversions go through bigint so no precision is lost on the 64-bit value; a Date keeps milliseconds, so
// filetimeToDate floors the sub-millisecond part. Use the nanosecond helpers where that matters.
// 0 (the protocol's "no time" / "do not change") converts to the Date 1601-01-01T00:00:00Z, not null: callers that
// care test the FILETIME for 0 before converting (see isFiletimeUnset).

/** 100-ns intervals from 1601-01-01 to 1970-01-01. */
export const FILETIME_UNIX_EPOCH = 116444736000000000n;
const TICKS_PER_MS = 10000n;

export function isFiletimeUnset(ft: bigint): boolean {
  return ft === 0n;
}

export function filetimeToDate(ft: bigint): Date {
  const ticks = ft - FILETIME_UNIX_EPOCH;
  let ms = ticks / TICKS_PER_MS;
  if (ticks < 0n && ticks % TICKS_PER_MS !== 0n) ms -= 1n; // floor, not truncation, before 1970
  return new Date(Number(ms));
}

export function dateToFiletime(d: Date): bigint {
  const ms = d.getTime();
  if (!Number.isFinite(ms)) throw new RangeError('dateToFiletime: invalid Date');
  const ft = BigInt(ms) * TICKS_PER_MS + FILETIME_UNIX_EPOCH;
  if (ft < 0n || ft > 0xffffffffffffffffn) throw new RangeError(`dateToFiletime: ${d.toISOString()} is outside FILETIME`);
  return ft;
}

/** Nanoseconds since the Unix epoch, exact (FILETIME resolution is 100 ns). */
export function filetimeToUnixNanoseconds(ft: bigint): bigint {
  return (ft - FILETIME_UNIX_EPOCH) * 100n;
}

/** Inverse of filetimeToUnixNanoseconds; sub-100-ns digits are floored. */
export function unixNanosecondsToFiletime(ns: bigint): bigint {
  let ticks = ns / 100n;
  if (ns < 0n && ns % 100n !== 0n) ticks -= 1n;
  const ft = ticks + FILETIME_UNIX_EPOCH;
  if (ft < 0n || ft > 0xffffffffffffffffn) throw new RangeError('unixNanosecondsToFiletime: outside FILETIME');
  return ft;
}
