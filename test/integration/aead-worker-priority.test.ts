// The decryption thread runs below the main thread's priority (aead-worker.ts says why), and only
// it: the process and its main thread keep theirs. Read from /proc, thread by thread.
import { readdirSync, readFileSync } from 'node:fs';
import { getPriority } from 'node:os';
import { resolve } from 'node:path';
import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';

/** Each thread's nice value (field 19 of /proc/self/task/TID/stat, after the command name). */
function threadNices(): number[] {
  return readdirSync('/proc/self/task').map((tid) => {
    const stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16]);
  });
}

describe.runIf(process.platform === 'linux')('the AEAD worker thread', () => {
  it('lowers its own priority to nice 10 and leaves the main thread and other threads at 0', async () => {
    const before = threadNices();
    expect(before.every((n) => n === 0)).toBe(true);
    const worker = new Worker(resolve(process.env['SHAREKEEPER_CRYPTO_WORKER_SCRIPT'] ?? 'dist/protocol/crypto/aead-worker.js'));
    try {
      await new Promise<void>((done, reject) => {
        worker.once('message', () => done());
        worker.once('error', reject);
      });
      const after = threadNices();
      expect(after.filter((n) => n === 10)).toHaveLength(1);
      expect(after.filter((n) => n !== 0 && n !== 10)).toEqual([]);
      expect(getPriority()).toBe(0);
    } finally {
      await worker.terminate();
    }
  });
});
