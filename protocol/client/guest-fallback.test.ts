import { describe, expect, it } from 'vitest';
import { SmbError } from '../errors.js';
import { NO_CREDENTIALS, loginWithFallback, logonAttempts } from './guest-fallback.js';
import type { Credentials } from './types.js';

describe('a logon without credentials', () => {
  it('is a guest logon first, a null session second; other credentials are tried as given', () => {
    expect(logonAttempts(NO_CREDENTIALS)).toEqual([{ kind: 'guest' }, { kind: 'anonymous' }]);
    expect(logonAttempts({ kind: 'guest', user: 'visitor', orAnonymous: true })).toEqual([{ kind: 'guest', user: 'visitor' }, { kind: 'anonymous' }]);
    for (const c of [{ kind: 'guest' }, { kind: 'anonymous' }, { kind: 'user', user: 'u', password: 'p' }] as Credentials[]) {
      expect(logonAttempts(c)).toEqual([c]);
    }
  });

  it('moves on only when the server refuses the logon', async () => {
    const tried: string[] = [];
    const refuseGuest = async (c: Credentials): Promise<string> => {
      tried.push(c.kind);
      if (c.kind === 'guest') throw new SmbError('auth', 'STATUS_LOGON_FAILURE', { operation: 'session setup' });
      return c.kind;
    };
    await expect(loginWithFallback(NO_CREDENTIALS, refuseGuest)).resolves.toBe('anonymous');
    expect(tried).toEqual(['guest', 'anonymous']);
  });

  it('a guest logon that works is kept; a failure other than a refusal is the answer', async () => {
    await expect(loginWithFallback(NO_CREDENTIALS, async (c) => c.kind)).resolves.toBe('guest');
    const tried: string[] = [];
    const down = async (c: Credentials): Promise<string> => {
      tried.push(c.kind);
      throw new SmbError('security', 'signing is required but the server gave a guest session, which cannot sign', { operation: 'session setup' });
    };
    await expect(loginWithFallback(NO_CREDENTIALS, down)).rejects.toMatchObject({ code: 'security' });
    expect(tried).toEqual(['guest']);
  });

  it('the last refusal is what the caller sees', async () => {
    const refuse = async (c: Credentials): Promise<string> => {
      throw new SmbError('auth', `refused ${c.kind}`, { operation: 'session setup' });
    };
    await expect(loginWithFallback(NO_CREDENTIALS, refuse)).rejects.toThrow('refused anonymous');
  });
});
