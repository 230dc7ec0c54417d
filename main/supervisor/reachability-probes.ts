// While a drive is Unavailable because its server took no connections, a bare TCP connect every
// 1–1.5 s (jittered, so many drives do not probe in step) notices the moment it is back; the full
// reconnect starts then instead of at the next backoff step, which grows to 30 s.
import type { Reason } from './diagnosis.js';
import { acceptsConnections, type ProbeDeps } from './probe.js';
import type { SmbTarget } from './target.js';
import type { Clock, TimerHandle } from './timers.js';

const REACHABILITY_PROBE_MS = 1000;
const REACHABILITY_PROBE_TIMEOUT_MS = 750;
/** Failures a TCP probe can see end. A server that takes TCP but refuses SMB is left to the backoff. */
const PROBED_REASONS: ReadonlySet<Reason> = new Set<Reason>(['dns', 'no-route', 'tcp-refused', 'tcp-timeout']);

export interface ReachabilityDeps {
  clock: Clock;
  random: () => number;
  probe: ProbeDeps;
}

/** The probe timer of one drive (at most one); `onAccepted` hears of the first target that answers. */
export class ReachabilityProbes {
  private timer: TimerHandle | undefined;

  constructor(
    private readonly targets: readonly SmbTarget[],
    private readonly deps: ReachabilityDeps,
    private readonly onAccepted: (target: SmbTarget) => void,
  ) {}

  /** Whether probes can see a failure of this kind end (and a bare TCP connect is there to probe with). */
  canSee(reason: Reason): boolean {
    return PROBED_REASONS.has(reason) && Boolean(this.deps.probe.tcpProbe);
  }

  /**
   * Reachability probes of every target, one starting every 1–1.5 s whatever the last one does
   * (each gives up before the next starts), until one is accepted or the state moves on. So the
   * wait after the server comes back is at most one interval plus a connect. `wanted()` is asked
   * when a round's answers are in: false means the state moved on and the answer is dropped.
   */
  start(wanted: () => boolean): void {
    this.stop();
    const delay = REACHABILITY_PROBE_MS * (1 + this.deps.random() / 2);
    this.timer = this.deps.clock.setTimeout(() => {
      this.start(wanted);
      void this.probeOnce(wanted);
    }, delay);
  }

  stop(): void {
    this.deps.clock.clearTimeout(this.timer);
    this.timer = undefined;
  }

  private async probeOnce(wanted: () => boolean): Promise<void> {
    const answers = await Promise.all(this.targets.map((t) => acceptsConnections(t, this.deps.probe, REACHABILITY_PROBE_TIMEOUT_MS)));
    if (!wanted() || !answers.includes(true)) return;
    this.onAccepted(this.targets[answers.indexOf(true)]!);
  }
}
