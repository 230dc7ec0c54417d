import { describe, expect, it } from 'vitest';
import { SmbError } from '../../protocol/index.js';
import { DriveUnavailableError, type DriveState, type Reason } from '../supervisor/index.js';
import { isSilentServer } from '../transfers/transfer-errors.js';
import { SupervisorTreeProvider, type SupervisorLike } from './supervisor-tree-provider.js';

function failingWith(kind: DriveState['kind'], reason: Reason = 'tcp-refused'): SupervisorLike {
  const state = { kind, since: 0, diagnosis: { reason, message: 'connection refused' } } as DriveState;
  return {
    acquire: async () => {
      throw new DriveUnavailableError('d', state);
    },
    onTransition: () => () => undefined,
  };
}

describe('SupervisorTreeProvider.acquire', () => {
  it('another share of the drive server comes from the other-shares provider; without one it is unsupported', async () => {
    const own = { own: true } as never;
    const other = { other: true } as never;
    const asked: [string, string | undefined][] = [];
    const supervisor: SupervisorLike = { acquire: async () => own, onTransition: () => () => undefined };
    const p = new SupervisorTreeProvider(supervisor, {
      acquire: async (driveId, share) => {
        asked.push([driveId, share]);
        return other;
      },
    });
    expect(await p.acquire('d')).toBe(own);
    expect(await p.acquire('d', 'Media')).toBe(other);
    expect(asked).toEqual([['d', 'Media']]);
    const e = await new SupervisorTreeProvider(supervisor).acquire('d', 'Media').catch((x: unknown) => x);
    expect((e as SmbError).code).toBe('unsupported');
  });

  it('a drive unreachable for now is a transport error (the queue pauses the job)', async () => {
    for (const kind of ['unavailable', 'reconnecting', 'connecting'] as const) {
      const e = await new SupervisorTreeProvider(failingWith(kind)).acquire('d').catch((x: unknown) => x);
      expect(e).toBeInstanceOf(SmbError);
      expect((e as SmbError).code).toBe('transport');
      expect(isSilentServer(e)).toBe(false);
    }
  });

  it('a server that accepted the connection and went quiet is a timeout that counts toward the bound on drops', async () => {
    for (const reason of ['negotiate-failed', 'keepalive-timeout', 'connection-lost'] as const) {
      const e = await new SupervisorTreeProvider(failingWith('unavailable', reason)).acquire('d').catch((x: unknown) => x);
      expect((e as SmbError).code).toBe('timeout');
      expect(isSilentServer(e)).toBe(true);
    }
  });

  it('refused credentials are an auth error, a disabled drive stays as it is', async () => {
    const auth = await new SupervisorTreeProvider(failingWith('auth-failed')).acquire('d').catch((x: unknown) => x);
    expect((auth as SmbError).code).toBe('auth');
    const off = await new SupervisorTreeProvider(failingWith('disabled')).acquire('d').catch((x: unknown) => x);
    expect(off).toBeInstanceOf(DriveUnavailableError);
  });
});
