// Credit accounting (MS-SMB2 3.2.4.1.5, 3.2.5.1.4). The server grants credits in every response;
// each request spends CreditCharge of them (one per 64 KiB of payload, at least one) and uses that
// many consecutive MessageIds. Requests that cannot be paid for wait here in FIFO order, so a
// sliding window of large READs never overruns what the server allowed.
import { MalformedMessageError } from '../errors.js';

/** MS-SMB2 3.2.4.1.5: CreditCharge = (max(send, expected response) - 1) / 65536 + 1. */
export function creditChargeFor(payloadSize: number): number {
  return payloadSize <= 0 ? 1 : Math.floor((payloadSize - 1) / 65536) + 1;
}

function noCredits(): MalformedMessageError {
  return new MalformedMessageError('SMB2 header', 'CreditResponse', 'the server granted no credits and none are outstanding, so nothing can be sent');
}

interface Waiter {
  charge: number;
  resolve: () => void;
  reject: (e: Error) => void;
}

export class CreditWindow {
  private balance: number;
  private readonly waiters: Waiter[] = [];
  /** Credits spent by requests that have not been answered yet. */
  private outstanding = 0;

  constructor(initial = 1) {
    this.balance = initial;
  }

  get available(): number {
    return this.balance;
  }

  get inFlight(): number {
    return this.outstanding;
  }

  /**
   * Resolves once `charge` credits are reserved. If nothing is in flight there is no response
   * that could ever grant more, so waiting would hang: with at least one credit, take what there
   * is and let the server judge (it answers with an error rather than silence); with none, the
   * server has left us unable to send anything at all (MS-SMB2 3.3.1.2 has it keep at least one
   * credit granted), which is its fault and fails with a typed error.
   */
  acquire(charge: number): Promise<void> {
    if (this.waiters.length === 0 && (this.balance >= charge || this.outstanding === 0)) {
      if (this.balance < 1) return Promise.reject(noCredits());
      this.take(charge);
      return Promise.resolve();
    }
    return new Promise((resolve, reject) => this.waiters.push({ charge, resolve, reject }));
  }

  /** A response arrived: its request no longer holds credits, and it may grant new ones. */
  settle(charge: number, granted: number): void {
    this.outstanding = Math.max(0, this.outstanding - charge);
    this.grant(granted);
  }

  /** Interim responses grant credits without settling the request (MS-SMB2 3.2.5.1.4). */
  grant(granted: number): void {
    this.balance += granted;
    this.drain();
  }

  /** How many credits to ask for in the next request: keep a comfortable balance. */
  requestFor(charge: number, target: number): number {
    const held = this.balance + this.outstanding;
    return Math.min(0xffff, held < target ? charge + Math.min(target - held, 512) : charge);
  }

  failAll(error: Error): void {
    for (const w of this.waiters.splice(0)) w.reject(error);
  }

  private take(charge: number): void {
    this.balance -= charge;
    this.outstanding += charge;
  }

  private drain(): void {
    while (this.waiters.length > 0) {
      const w = this.waiters[0]!;
      if (this.balance < w.charge && this.outstanding > 0) return;
      if (this.balance < 1) return this.failAll(noCredits());
      this.waiters.shift();
      this.take(w.charge);
      w.resolve();
    }
  }
}
