import { describe, expect, it } from 'vitest';
import { resolveHost, ResolveError } from './resolve-host.js';

describe('resolveHost', () => {
  it('an IP literal skips DNS', async () => {
    expect(await resolveHost('192.0.2.7', 10)).toEqual([{ address: '192.0.2.7', family: 4 }]);
    expect(await resolveHost('::1', 10)).toEqual([{ address: '::1', family: 6 }]);
  });

  it('a name from /etc/hosts (localhost) resolves', async () => {
    const out = await resolveHost('localhost', 3000);
    expect(out.some((a) => a.address === '127.0.0.1' || a.address === '::1')).toBe(true);
  });

  it('a name in the reserved .invalid domain fails with a code', async () => {
    const err = await resolveHost('no-such-host.invalid', 3000).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ResolveError);
  });
});
