// One attempt at a time per server: attempts for drives on the same host:port queue behind each
// other, so a server that comes back is not hit by every drive at once and a dead one costs one
// timeout at a time. Each queued job has its own deadlines, so the queue always drains.
export class HostGate {
  private readonly tails = new Map<string, Promise<unknown>>();

  run<T>(key: string, job: () => Promise<T>): Promise<T> {
    const before = this.tails.get(key) ?? Promise.resolve();
    const result = before.then(job, job);
    const tail = result.then(
      () => undefined,
      () => undefined,
    );
    this.tails.set(key, tail);
    void tail.then(() => {
      if (this.tails.get(key) === tail) this.tails.delete(key);
    });
    return result;
  }

  get busyKeys(): string[] {
    return [...this.tails.keys()];
  }
}
