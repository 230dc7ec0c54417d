// Issue 7, defect 3 and the NextEntryOffset findings: a listing the server drives must end. The
// proxy answers every QUERY_DIRECTORY on the listed folder itself (MS-SMB2 2.2.34) with fresh,
// unique FileIdBothDirectoryInformation entries (MS-FSCC 2.4.17) and never STATUS_NO_MORE_FILES:
// `ls` must stop with a typed error past its documented bound, streaming as it goes, so its memory
// stays small. The same exact batch twice is an error at once. An entry whose NextEntryOffset points
// back (to itself, an earlier entry, through 32-bit wrap-around) is malformed, never a spin.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createRequestName, directoryBuffer, parseDirEntries, queryDirectoryBody, queryDirectoryOutputLength, uniqueEntries } from '../harness/mitm/bodies.js';
import { HEADER_SIZE, Smb2Command, STATUS_SUCCESS } from '../harness/mitm/smb2-pdu.js';
import { startSamba, type SambaServer } from '../harness/samba-server.js';
import { assertBuilt, expectEndedWithin, expectNoProxyErrors, expectOneLineFailure, rigFor, runBounded, type Rig } from './hostile-helpers.js';

const ENDLESS = 'endless';
const LOOPS = 'loops';
/** The documented default bound is 10 million entries; at ~2,000 per answer that is ~5,000 answers. */
const UNIQUE_BOUND_MS = 150_000;
const UNIQUE_KILL_MS = 200_000;
const MAX_RSS_MIB = 300;

let server: SambaServer;
let rig: Rig;

beforeAll(async () => {
  assertBuilt();
  server = await startSamba();
  for (const dir of [ENDLESS, LOOPS]) {
    await mkdir(join(server.shareDir('public'), dir));
    for (const n of ['a.txt', 'b.txt', 'c.txt', 'd.txt']) await writeFile(join(server.shareDir('public'), dir, n), n);
  }
});
afterAll(async () => server?.stop());
beforeEach(async () => {
  rig = await rigFor(server);
});
afterEach(async () => {
  expectNoProxyErrors(rig.proxy);
  await rig.proxy.close();
});

/** FileIds (MS-SMB2 2.2.14: body + 64) of the handles opened on `folder`, learned from CREATE responses. */
function handlesOf(folder: string): Set<string> {
  const ids = new Set<string>();
  rig.proxy.onResponse((pdu, ctx) => {
    if (ctx.header.command !== Smb2Command.CREATE || ctx.header.status !== STATUS_SUCCESS || ctx.request === undefined) return undefined;
    if (createRequestName(ctx.request.bytes) === folder) ids.add(pdu.toString('hex', HEADER_SIZE + 64, HEADER_SIZE + 80));
    return undefined;
  });
  return ids;
}

/** QUERY_DIRECTORY on those handles (2.2.33: FileId at body + 8) answered by the proxy with `batch()`. */
function answerListings(folder: string, batch: (outputLength: number) => Buffer): { answers: () => number } {
  const handles = handlesOf(folder);
  let answers = 0;
  rig.proxy.onRequest((pdu, ctx) => {
    if (ctx.header.command !== Smb2Command.QUERY_DIRECTORY || !handles.has(pdu.toString('hex', HEADER_SIZE + 8, HEADER_SIZE + 24))) return undefined;
    answers++;
    return ctx.respond(STATUS_SUCCESS, queryDirectoryBody(batch(queryDirectoryOutputLength(pdu))));
  });
  return { answers: () => answers };
}

describe('a listing that never ends', () => {
  it('ls stops with a typed error past its bound, with peak memory under 300 MiB, when every answer holds fresh unique entries', async () => {
    let next = 0;
    const listing = answerListings(ENDLESS, (space) => {
      const b = uniqueEntries('endless-', next, space - 64);
      next = b.next;
      return b.buffer;
    });
    const r = await runBounded(['ls', `${rig.base}/public/${ENDLESS}`, '-N', '-t', '5'], { killAfterMs: UNIQUE_KILL_MS, maxRssMiB: MAX_RSS_MIB, env: rig.env, stdoutCapBytes: 64 * 1024 });
    console.log(`unique-entries listing: ${r.ms} ms, ${next} entries in ${listing.answers()} answers, peak RSS ${r.peakRssMiB} MiB, ${r.stdoutTotal} bytes printed`);
    expect(r.killed === 'memory' ? `peak RSS over ${MAX_RSS_MIB} MiB after ${r.ms} ms (${next} entries sent)` : 'ok').toBe('ok');
    expectEndedWithin(r, UNIQUE_BOUND_MS);
    expectOneLineFailure(r, [3]);
    expect(r.peakRssMiB).toBeLessThan(MAX_RSS_MIB);
    // Streamed: the first rows were printed before the error, not held back.
    expect(r.stdoutTotal).toBeGreaterThan(0);
  });

  it('ls fails fast (malformed, exit 3) when the server answers with the exact same batch again and again', async () => {
    const same = uniqueEntries('again-', 0, 16 * 1024).buffer;
    const listing = answerListings(ENDLESS, () => same);
    const r = await runBounded(['ls', `${rig.base}/public/${ENDLESS}`, '-N', '-t', '5'], { killAfterMs: 30_000, maxRssMiB: MAX_RSS_MIB, env: rig.env });
    expectEndedWithin(r, 10_000);
    expectOneLineFailure(r, [3]);
    expect(r.stderr).toMatch(/malformed/i);
    expect(listing.answers()).toBeLessThan(100);
  });
});

describe('NextEntryOffset loops in a QUERY_DIRECTORY answer', () => {
  // NextEntryOffset is a u32 step from the entry and 0 ends the chain, so an entry cannot name itself
  // exactly: "back" is only reachable through 32-bit wrap-around, "into itself" is a step shorter
  // than the entry. A walker that adds in 32 bits, or trusts the step, would spin on these.
  const loops: Record<string, (at: number[]) => [index: number, next: number]> = {
    'the third entry pointing back to the first (wrap-around)': (at) => [2, 2 ** 32 - (at[2]! - at[0]!)],
    'the last entry pointing back to the second (wrap-around)': (at) => [at.length - 1, 2 ** 32 - (at[at.length - 1]! - at[1]!)],
    'an entry pointing 8 bytes on, into itself': () => [1, 8],
  };
  for (const [what, loop] of Object.entries(loops)) {
    it(`ls fails with a typed malformed error, no hang: ${what}`, async () => {
      let fired = false;
      rig.proxy.onResponse((pdu, ctx) => {
        if (fired || ctx.header.command !== Smb2Command.QUERY_DIRECTORY || ctx.header.status !== STATUS_SUCCESS) return undefined;
        const buf = directoryBuffer(pdu); // a view into pdu: edits land in the message
        const at = parseDirEntries(buf).map((e) => e.at);
        if (at.length < 4) return undefined;
        const [index, next] = loop(at);
        buf.writeUInt32LE(next >>> 0, at[index]!);
        fired = true;
        return pdu;
      });
      const r = await runBounded(['ls', `${rig.base}/public/${LOOPS}`, '-N', '-t', '5'], { killAfterMs: 30_000, maxRssMiB: MAX_RSS_MIB, env: rig.env });
      expect(fired).toBe(true);
      expectEndedWithin(r, 10_000);
      expectOneLineFailure(r, [3]);
      expect(r.stderr).toMatch(/malformed/i);
    });
  }
});
