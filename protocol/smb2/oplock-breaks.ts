// Oplock breaks (MS-SMB2 3.2.5.19) go to the handle that holds the oplock, which acknowledges them
// (3.2.5.19.1). We never ask for leases, and a break for a FileId we do not hold has nothing to
// give back, so those are dropped. Breaks are never signed (3.2.5.1.3): all a forged one can do is
// make us give up caching.
import { decodeBreakNotification } from './commands/oplock-break.js';

export class OplockBreaks {
  /** FileId (hex) → the handle holding an oplock on it. */
  private readonly holders = new Map<string, (newLevel: number) => void>();

  watch(fileId: Buffer, onBreak: (newLevel: number) => void): () => void {
    const key = fileId.toString('hex');
    this.holders.set(key, onBreak);
    return () => {
      if (this.holders.get(key) === onBreak) this.holders.delete(key);
    };
  }

  /** Hands a break notification to its holder; false when nobody holds it. Throws on a malformed one. */
  deliver(msg: Buffer): boolean {
    const note = decodeBreakNotification(msg);
    if (note.kind !== 'oplock') return false;
    const holder = this.holders.get(note.fileId.toString('hex'));
    holder?.(note.oplockLevel);
    return holder !== undefined;
  }
}
