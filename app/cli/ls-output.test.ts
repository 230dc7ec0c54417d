import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { capture } from './capture-stream.test-helpers.js';
import { json, lsJson, lsTable } from './format.js';
import { printListingJson, printListingTable } from './ls-output.js';
import type { FileStat } from './smb-api.js';

const t = new Date('2026-03-04T05:06:07.000Z');
function entry(name: string, over: Partial<FileStat> = {}): FileStat {
  return { name, type: 'file', size: 12, allocationSize: 4096, created: t, modified: t, accessed: t, changed: t, attributes: 0x20, ...over };
}

/** A listing as tree.listDirectory gives it, recording how far the consumer has pulled. */
function batches(parts: FileStat[][], onPull?: (i: number) => void): AsyncIterable<FileStat[]> {
  return {
    async *[Symbol.asyncIterator]() {
      for (let i = 0; i < parts.length; i++) {
        onPull?.(i);
        yield parts[i] as FileStat[];
      }
    },
  };
}

describe('streamed ls output (issue 7, defect 7)', () => {
  const parts = [[entry('.'), entry('..'), entry('first.txt')], [], [entry('a much longer name than the first batch had in it.txt', { size: 123_456_789_012 })], [entry('z')]];

  it('--json is byte for byte what the whole-array writer prints', async () => {
    for (const p of [[], [[]], [[entry('.')]], parts.slice(0, 1), parts]) {
      const out = capture();
      await printListingJson(batches(p), out);
      expect(out.text).toBe(json(lsJson(p.flat())));
    }
  });

  it('the table takes its columns from the first batch and prints rows in arrival order', async () => {
    const out = capture();
    await printListingTable(batches(parts), out);
    const lines = out.text.trimEnd().split('\n');
    expect(lines.map((l) => l.trim().split(/ {2,}/)[0])).toEqual(['first.txt', 'a much longer name than the first batch had in it.txt', 'z']);
    expect(lines[0]).toBe(lsTable([entry('first.txt')]).trimEnd());
    expect(lines[2]?.indexOf(' A ')).toBe(lines[0]?.indexOf(' A '));
  });

  it('prints each batch before the next is fetched', async () => {
    const out = capture();
    const seen: string[] = [];
    await printListingTable(batches(parts, () => seen.push(out.text)), out);
    expect(seen[1]).toContain('first.txt');
    expect(seen[3]).toContain('a much longer name');
  });

  it('lists 200,000 entries in 400 batches, in both forms', async () => {
    const many = Array.from({ length: 400 }, (_, b) => Array.from({ length: 500 }, (_, i) => entry(`f-${b}-${i}`, { size: b * i })));
    let rows = 0;
    let brackets = '';
    const counting = new Writable({
      write(chunk: Buffer, _e, cb) {
        const s = String(chunk);
        for (let i = s.indexOf('\n'); i >= 0; i = s.indexOf('\n', i + 1)) rows++;
        brackets = (brackets + s).slice(-3);
        cb();
      },
    });
    await printListingTable(batches(many), counting);
    expect(rows).toBe(200_000);
    rows = 0;
    await printListingJson(batches(many), counting);
    expect(brackets).toBe('}\n]\n'.slice(-3));
  }, 60_000); // about 1 s alone; far more on a loaded 2-core machine

  it('waits for a slow reader (drain) instead of buffering the listing', async () => {
    let pending = 0;
    let maxPending = 0;
    const slow = new Writable({
      highWaterMark: 1024,
      write(_chunk, _e, cb) {
        pending++;
        maxPending = Math.max(maxPending, pending);
        setTimeout(() => {
          pending--;
          cb();
        }, 1);
      },
    });
    const many = Array.from({ length: 50 }, (_, b) => Array.from({ length: 100 }, (_, i) => entry(`f-${b}-${i}`)));
    await printListingTable(batches(many), slow);
    expect(maxPending).toBe(1);
    expect(slow.writableLength).toBeLessThan(20_000);
  });

  it('a reader that goes away (EPIPE) ends the listing with the error, no hang', async () => {
    const broken = new Writable({
      highWaterMark: 1,
      write(_chunk, _e, cb) {
        cb(Object.assign(new Error('write EPIPE'), { code: 'EPIPE' }));
      },
    });
    broken.on('error', () => undefined);
    await expect(printListingTable(batches([[entry('a')], [entry('b')]]), broken)).rejects.toThrow(/EPIPE/);
    await expect(printListingJson(batches([[entry('c')]]), broken)).rejects.toThrow(/EPIPE/);
  });
});
