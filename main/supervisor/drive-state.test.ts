import { describe, expect, it } from 'vitest';
import { canTransition, DriveStateMachine, type DriveState, type TransitionEvent } from './drive-state.js';

const st = (kind: 'connecting' | 'disconnected' | 'auth-failed' | 'disabled', since: number): DriveState => ({
  kind,
  since,
  diagnosis: { reason: 'user', message: kind },
});

describe('drive state machine', () => {
  it('emits {driveId, from, to, reason, at} and keeps the last N', () => {
    const events: TransitionEvent[] = [];
    const m = new DriveStateMachine('d1', st('disconnected', 0), (e) => events.push(e), 3);
    m.transition(st('connecting', 1));
    m.transition(st('disconnected', 2));
    m.transition(st('connecting', 3));
    m.transition(st('auth-failed', 4));
    expect(events[0]).toMatchObject({ driveId: 'd1', from: 'disconnected', to: 'connecting', reason: 'user', at: 1 });
    expect(m.history.map((e) => e.at)).toEqual([2, 3, 4]);
    expect(m.state.kind).toBe('auth-failed');
  });

  it('refuses impossible moves', () => {
    const m = new DriveStateMachine('d1', st('disabled', 0), () => undefined);
    expect(() => m.transition(st('connecting', 1))).toThrow(/disabled -> connecting/);
    expect(canTransition('auth-failed', 'reconnecting')).toBe(false);
    expect(canTransition('connected', 'reconnecting')).toBe(true);
  });
});
