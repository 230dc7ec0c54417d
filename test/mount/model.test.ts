// Model-based: random sequences of create / write at an offset / truncate / read / rename / unlink
// applied to the mount and to a local folder (the model), compared after every step: the file set,
// each file's bytes, and each operation's outcome (success or the same errno).
import { constants } from 'node:fs';
import { mkdir, open, readdir, readFile, rename, truncate, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openMountRig, skipReason, type MountRig } from './mount-rig.js';

const NAMES = ['a', 'b', 'c', 'd.txt'];
type Op =
  | { kind: 'create'; name: string }
  | { kind: 'write'; name: string; offset: number; data: Uint8Array }
  | { kind: 'truncate'; name: string; size: number }
  | { kind: 'read'; name: string; offset: number; length: number }
  | { kind: 'rename'; from: string; to: string }
  | { kind: 'unlink'; name: string };

const name = fc.constantFrom(...NAMES);
const op: fc.Arbitrary<Op> = fc.oneof(
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('create' as const), name }) },
  { weight: 5, arbitrary: fc.record({ kind: fc.constant('write' as const), name, offset: fc.integer({ min: 0, max: 300_000 }), data: fc.uint8Array({ minLength: 1, maxLength: 200_000 }) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('truncate' as const), name, size: fc.integer({ min: 0, max: 400_000 }) }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('read' as const), name, offset: fc.integer({ min: 0, max: 400_000 }), length: fc.integer({ min: 1, max: 300_000 }) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('rename' as const), from: name, to: name }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('unlink' as const), name }) },
);

/** Runs one op on a folder (one call at a time: this process also serves the mount). */
async function apply(dir: string, o: Op): Promise<string> {
  try {
    switch (o.kind) {
      case 'create':
        await (await open(join(dir, o.name), 'a')).close();
        return 'ok';
      case 'write': {
        // pwrite at the offset, creating the file when missing (O_APPEND would ignore the offset).
        const f = await open(join(dir, o.name), constants.O_RDWR | constants.O_CREAT);
        try {
          await f.write(o.data, 0, o.data.length, o.offset);
        } finally {
          await f.close();
        }
        return 'ok';
      }
      case 'truncate':
        await truncate(join(dir, o.name), o.size);
        return 'ok';
      case 'read': {
        const f = await open(join(dir, o.name), 'r');
        try {
          const buf = Buffer.alloc(o.length);
          const { bytesRead } = await f.read(buf, 0, o.length, o.offset);
          return `ok:${buf.subarray(0, bytesRead).toString('base64')}`;
        } finally {
          await f.close();
        }
      }
      case 'rename':
        await rename(join(dir, o.from), join(dir, o.to));
        return 'ok';
      case 'unlink':
        await unlink(join(dir, o.name));
        return 'ok';
    }
  } catch (e) {
    return (e as NodeJS.ErrnoException).code ?? 'error';
  }
}

async function snapshot(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const n of (await readdir(dir)).sort()) out[n] = (await readFile(join(dir, n))).toString('base64');
  return out;
}

describe.skipIf(skipReason !== undefined)('the mount behaves like a local folder', () => {
  let rig: MountRig;
  let run = 0;
  let applied = 0;
  beforeAll(async () => {
    rig = await openMountRig();
  });
  afterAll(async () => {
    await rig?.close();
  });

  it('random operation sequences, compared after every step', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(op, { minLength: 1, maxLength: 30 }), async (ops) => {
        run++;
        const remote = join(rig.dir, `m${run}`);
        const local = join(rig.scratch, `m${run}`);
        await mkdir(remote);
        await mkdir(local);
        for (const [i, o] of ops.entries()) {
          const want = await apply(local, o);
          const got = await apply(remote, o);
          expect(got, `step ${i} ${o.kind}`).toBe(want);
          if (want.startsWith('ok')) applied++;
          expect(await snapshot(remote), `after step ${i} ${o.kind}`).toEqual(await snapshot(local));
        }
      }),
      { numRuns: Number(process.env['SK_MODEL_RUNS'] ?? 60), seed: Number(process.env['SK_MODEL_SEED'] ?? 20261201) },
    );
    console.log(`[mount] model: ${run} sequences, ${applied} operations that succeeded on both`);
    expect(applied).toBeGreaterThan(150);
  });
});
