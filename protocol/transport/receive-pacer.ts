// Hands received frames on at most one costly frame per event-loop turn. A sealed 2 MiB READ
// answer costs ~2 ms to decrypt (AES-128-GCM here; more for CCM and for our AES-CMAC signatures),
// and one socket wake-up can complete several: handled back to back they held the loop for 10-20
// ms, which a UI sharing the loop feels (issue 12: lag p99 <= 10 ms during an encrypted copy).
// Order is kept: once one frame waits, every later frame waits behind it.
const TRANSFORM_PROTOCOL_ID = 0x424d53fd; // 0xFD 'S' 'M' 'B' (MS-SMB2 2.2.41)
const SMB2_PROTOCOL_ID = 0x424d53fe; // 0xFE 'S' 'M' 'B' (MS-SMB2 2.2.1)
const SMB2_FLAGS_SIGNED = 0x08; // MS-SMB2 2.2.1.2
/** Below this a frame's crypto costs well under a millisecond. */
export const COSTLY_FRAME_BYTES = 256 * 1024;

/** True for a large frame that will be decrypted or have its signature checked. */
export function isCostlyFrame(frame: Buffer): boolean {
  if (frame.length < COSTLY_FRAME_BYTES) return false;
  const id = frame.readUInt32LE(0);
  return id === TRANSFORM_PROTOCOL_ID || (id === SMB2_PROTOCOL_ID && (frame.readUInt32LE(16) & SMB2_FLAGS_SIGNED) !== 0);
}

export class ReceivePacer {
  private readonly backlog: Buffer[] = [];
  private costlyThisTurn = false;
  private stopped = false;

  constructor(
    private readonly deliver: (frame: Buffer) => void,
    private readonly defer: (fn: () => void) => void = setImmediate,
  ) {}

  push(frame: Buffer): void {
    if (this.stopped) return;
    if (this.backlog.length > 0 || (this.costlyThisTurn && isCostlyFrame(frame))) {
      this.backlog.push(frame);
      return; // a drain is already scheduled: costlyThisTurn is set whenever the backlog is not empty
    }
    this.handOn(frame);
  }

  /** Hands on everything waiting now (the peer closed the connection after sending it). */
  flush(): void {
    while (this.backlog.length > 0 && !this.stopped) this.deliver(this.backlog.shift()!);
  }

  /** Drops what waits (the connection is closed). */
  stop(): void {
    this.stopped = true;
    this.backlog.length = 0;
  }

  /** Frames waiting for a later turn. */
  get waiting(): number {
    return this.backlog.length;
  }

  private handOn(frame: Buffer): void {
    if (isCostlyFrame(frame) && !this.costlyThisTurn) {
      this.costlyThisTurn = true;
      this.defer(() => {
        this.costlyThisTurn = false;
        this.drain();
      });
    }
    this.deliver(frame);
  }

  private drain(): void {
    while (this.backlog.length > 0 && !this.stopped) {
      if (this.costlyThisTurn && isCostlyFrame(this.backlog[0]!)) return; // handOn scheduled the next turn
      this.handOn(this.backlog.shift()!);
    }
  }
}
