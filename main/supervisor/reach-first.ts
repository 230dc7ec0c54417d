// The connection race of one attempt: TCP + NEGOTIATE to a drive's targets (the primary, then its
// alternates), staggered, the first to answer wins. No logon happens here: drive-runner.ts logs in
// the winner only, so the same password is never tried on two servers at once.
import { classifyFailure, type Diagnosis } from './diagnosis.js';
import type { HostGate } from './host-gate.js';
import { reach, type ClientLike, type ProbeDeps } from './probe.js';
import { serverKey, where, type SmbTarget } from './target.js';
import type { Clock, TimerHandle } from './timers.js';

/** How long a target gets to answer before the next one in the list is tried beside it. */
const RACE_STAGGER_MS = 250;

export interface RaceWinner {
  target: SmbTarget;
  client: ClientLike;
  address: string;
}

/** The winner if any, and by target index each failure (undefined: not tried, or it won). */
export interface RaceResult {
  winner?: RaceWinner;
  failures: (Diagnosis | undefined)[];
}

export interface RaceDeps {
  clock: Clock;
  gate: HostGate;
  probe: ProbeDeps;
}

/**
 * TCP + NEGOTIATE to the targets in order of preference, staggered: the next one starts when the
 * one before fails, or after RACE_STAGGER_MS without an answer (a silently dead path after a VPN
 * change would otherwise cost a whole connect timeout before the alternate is tried). The first
 * to answer wins; later answers are closed. Once `current()` is false (the attempt was ended) no
 * target starts and the race ends at the next answer.
 */
export function reachFirst(targets: readonly SmbTarget[], deps: RaceDeps, current: () => boolean): Promise<RaceResult> {
  const failures: (Diagnosis | undefined)[] = targets.map(() => undefined);
  return new Promise((resolve) => {
    let started = 0;
    let settled = 0;
    let done = false;
    let timer: TimerHandle | undefined;
    const finish = (winner?: RaceWinner) => {
      done = true;
      deps.clock.clearTimeout(timer);
      resolve(winner ? { winner, failures } : { failures });
    };
    const startNext = (): void => {
      if (done || started >= targets.length) return;
      const i = started++;
      const target = targets[i]!;
      deps.clock.clearTimeout(timer);
      if (started < targets.length) timer = deps.clock.setTimeout(startNext, RACE_STAGGER_MS);
      void deps.gate
        .run(serverKey(target), async () => (current() && !done ? reach(target, deps.probe) : undefined))
        // reach() reports failures as values; anything thrown past it still counts as one.
        .catch((e: unknown) => ({ ok: false as const, diagnosis: classifyFailure(e, 'connect', where(target)) }))
        .then((r) => {
          settled++;
          if (r?.ok) {
            if (done) void r.client.close().catch(() => undefined);
            else finish({ target, client: r.client, address: r.address });
            return;
          }
          if (r) failures[i] = r.diagnosis;
          if (done) return;
          if (settled === targets.length || !current()) finish();
          else startNext();
        });
    };
    startNext();
  });
}
