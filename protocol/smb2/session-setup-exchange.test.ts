import { describe, expect, it } from 'vitest';
import { previousFor } from './session-setup-exchange.js';

describe('PreviousSessionId on each SESSION_SETUP leg (MS-SMB2 3.2.4.2.3, 3.3.5.5.3)', () => {
  it('is 0 on a first logon and the old session on a logon after a drop', () => {
    expect(previousFor(0n, undefined)).toBe(0n);
    expect(previousFor(0n, 0x42n)).toBe(0x42n);
    expect(previousFor(0x99n, 0x42n)).toBe(0x42n); // the second leg carries the new SessionId
  });

  it('is never equal to the SessionId of the leg (the server would fail it with INVALID_PARAMETER)', () => {
    expect(previousFor(0x42n, 0x42n)).toBe(0n);
  });

  it('is 0 for a value that is no 64-bit session id', () => {
    expect(previousFor(0n, -1n)).toBe(0n);
    expect(previousFor(0n, 1n << 64n)).toBe(0n);
  });
});
