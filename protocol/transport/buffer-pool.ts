// Large I/O buffers used again instead of allocated per READ or WRITE. A 1 GiB copy moves ~500
// buffers of 2 MiB; freshly allocated, they are external memory V8 frees only at its next
// external-pressure GC (~64 MiB later), which is what held our peak RSS near 140 MiB while the
// live data is a window of a few buffers. A buffer goes back to its pool when whoever holds its
// bytes last says so (`releaseBuffer`), so only code that knows the bytes are spent may call it:
// the stream sinks after their write completed, the connection after it decrypted a frame.
const lent = new WeakMap<ArrayBuffer, Loan>();

interface Loan {
  pool: BufferPool;
  /** Bytes still to be released (`bytes` loans), or 1 for a loan that any release ends (`whole`). */
  outstanding: number;
  mode: 'bytes' | 'whole';
}

/** Buffers smaller than this are cheap enough to allocate (and Node pools the small ones itself). */
export const MIN_POOLED_BYTES = 64 * 1024;

export class BufferPool {
  private readonly free: ArrayBuffer[] = [];

  /** `maxFree`: buffers kept for reuse; more released than that are left to the GC. */
  constructor(private readonly maxFree: number) {}

  /**
   * A buffer of `length` bytes (contents undefined), lent until `releaseBuffer` is called on it
   * (`whole`: one release of any view of it; `bytes`: releases adding up to `lentBytes`).
   */
  take(length: number, mode: 'bytes' | 'whole' = 'whole', lentBytes = length): Buffer {
    if (length < MIN_POOLED_BYTES) return Buffer.allocUnsafe(length);
    const i = this.free.findIndex((b) => b.byteLength >= length);
    // allocUnsafeSlow: a buffer of its own (not a slice of Node's small-buffer pool), not zero-filled.
    const ab = i < 0 ? (Buffer.allocUnsafeSlow(length).buffer as ArrayBuffer) : this.free.splice(i, 1)[0]!;
    lent.set(ab, { pool: this, outstanding: mode === 'whole' ? 1 : lentBytes, mode });
    return Buffer.from(ab, 0, length);
  }

  /** Changes how many bytes of a `bytes` loan are outstanding (a read filled less than it took). */
  static setLentBytes(buf: Uint8Array, bytes: number): void {
    const loan = lent.get(buf.buffer as ArrayBuffer);
    if (loan?.mode === 'bytes') loan.outstanding = bytes;
  }

  /** Free buffers held now (for tests and memory figures). */
  get size(): number {
    return this.free.length;
  }

  /** @internal */
  putBack(ab: ArrayBuffer): void {
    if (this.free.length < this.maxFree) this.free.push(ab);
  }
}

/**
 * Says the bytes of `view` are spent. A view of a pooled buffer brings the buffer back once its
 * loan is fully released; anything else (a buffer no pool lent, a second release) is ignored.
 */
export function releaseBuffer(view: Uint8Array): void {
  const ab = view.buffer as ArrayBuffer;
  const loan = lent.get(ab);
  if (!loan || loan.outstanding <= 0) return;
  loan.outstanding = loan.mode === 'whole' ? 0 : loan.outstanding - view.byteLength;
  if (loan.outstanding > 0) return;
  lent.delete(ab);
  loan.pool.putBack(ab);
}

/**
 * Ends the loan of `view`'s buffer without giving it back to its pool. For a buffer whose bytes
 * have several holders none of which can tell it is the last (the members of a compound answer,
 * MS-SMB2 3.2.5.1.9: two READ payloads in one frame): a release by one would hand the buffer to
 * the next frame under the others' feet. The GC takes it once every holder is gone.
 */
export function keepFromPool(view: Uint8Array): void {
  lent.delete(view.buffer as ArrayBuffer);
}

/** Whether `view`'s buffer is on loan from a pool (a buffer of its own, not shared with others). */
export function isLent(view: Uint8Array): boolean {
  return lent.has(view.buffer as ArrayBuffer);
}

/**
 * Carries the loan of `from` over to `to`: the same memory after it went to another thread and
 * came back (postMessage transfer detaches `from` and arrives as a new ArrayBuffer object).
 */
export function moveLoan(from: ArrayBuffer, to: ArrayBuffer): void {
  const loan = lent.get(from);
  if (!loan) return;
  lent.delete(from);
  lent.set(to, loan);
}
