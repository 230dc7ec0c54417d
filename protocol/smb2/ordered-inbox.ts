// Frames whose decryption runs off the main thread (GCM through WebCrypto), and every frame that
// arrives after one of them, are dispatched in arrival order once their turn comes: responses and
// their credits are seen in the order the server sent them. The decryptions themselves run side by
// side on the thread pool.

export interface InboxSink {
  /** One plaintext frame, with the session that decrypted it (undefined: it came in plaintext). */
  dispatch(plain: Buffer, sealedBy: bigint | undefined): void;
  /** A ciphertext frame whose bytes are spent. */
  recycle(frame: Buffer): void;
  fail(e: unknown): void;
}

export class OrderedInbox {
  /** The last frame's turn; undefined when nothing waits. */
  private last: Promise<void> | undefined;

  constructor(private readonly sink: InboxSink) {}

  /** Nothing waits: a frame that needs no asynchronous work can be dispatched at once. */
  get idle(): boolean {
    return this.last === undefined;
  }

  /** `open` decrypts a transformed frame (whose SessionId is at offset 44, MS-SMB2 2.2.41). */
  add(frame: Buffer, open: ((frame: Buffer) => Promise<Buffer>) | undefined): void {
    const sealedBy = open ? frame.readBigUInt64LE(44) : undefined;
    const plain = open ? open(frame) : Promise.resolve(frame);
    plain.catch(() => undefined); // awaited in its turn below
    const turn = (this.last ?? Promise.resolve())
      .then(async () => {
        const message = await plain;
        if (open) this.sink.recycle(frame);
        this.sink.dispatch(message, sealedBy);
      })
      .catch((e: unknown) => this.sink.fail(e))
      .finally(() => {
        if (this.last === turn) this.last = undefined;
      });
    this.last = turn;
  }
}
