// The jobs ready to run, first in, first out, with add, remove and "the first one" in O(1)
// amortized. A JavaScript Set would do for membership, but taking its first element after many
// deletions walks the deleted slots before it (quadratic over a queue of 100,000 jobs): here a
// removed id stays in the array and is skipped once when the head reaches it.

/** The array is compacted when this many consumed slots have piled up at its front. */
const COMPACT_AT = 1024;

export class ReadyQueue {
  private items: string[] = [];
  private head = 0;
  private readonly live = new Set<string>();

  get size(): number {
    return this.live.size;
  }

  has(id: string): boolean {
    return this.live.has(id);
  }

  add(id: string): void {
    if (this.live.has(id)) return;
    this.live.add(id);
    this.items.push(id);
  }

  delete(id: string): void {
    this.live.delete(id);
  }

  /** The longest-waiting ready id, left in the queue. */
  first(): string | undefined {
    while (this.head < this.items.length && !this.live.has(this.items[this.head] as string)) this.head++;
    if (this.head >= COMPACT_AT && this.head * 2 >= this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    return this.items[this.head];
  }

  /** Every ready id (in no particular order). */
  ids(): IterableIterator<string> {
    return this.live.values();
  }
}
