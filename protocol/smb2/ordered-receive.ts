// Received frames handled in the order they arrived while some are being decrypted on another
// thread (crypto/aead-offload.ts). MS-SMB2 answers are matched by MessageId, but a connection's
// frames must still be handled in order: an interim STATUS_PENDING before its final answer, an
// oplock break before the CLOSE that follows it, credits granted before the next send. A frame
// that arrives while earlier ones are still out waits its turn, decrypted or not.
export class OrderedReceive {
  private tail: Promise<void> = Promise.resolve();
  private queued = 0;

  constructor(
    /** Handles one frame in turn: `plain` is the message the worker opened, or undefined for the frame as it came. */
    private readonly deliver: (frame: Buffer, plain: Buffer | undefined, sealedBy: bigint | undefined) => void,
    private readonly fail: (e: unknown) => void,
  ) {}

  /** Frames are waiting: a new one must queue behind them. */
  get busy(): boolean {
    return this.queued > 0;
  }

  /** Queues `frame`; `opened` is its plaintext on the way (decrypted by the session `sealedBy`). */
  push(frame: Buffer, opened?: Promise<Buffer>, sealedBy?: bigint): void {
    this.queued++;
    // Awaited in turn below; until then a failure must not count as an unhandled rejection.
    opened?.catch(() => undefined);
    this.tail = this.tail.then(async () => {
      try {
        this.deliver(frame, opened ? await opened : undefined, sealedBy);
      } catch (e) {
        this.fail(e);
      } finally {
        this.queued--;
      }
    });
  }
}
