// NextEntryOffset loops in a QUERY_DIRECTORY answer (MS-FSCC 2.4.17 entries chained by a u32 step):
// an entry pointing back to an earlier one through 32-bit wrap-around, or into itself, is a typed
// malformed error, never a spin. (The endless listing of defect 3 is in never-ending.test.ts.)
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { directoryBuffer, parseDirEntries } from '../harness/mitm/bodies.js';
import { Smb2Command, STATUS_SUCCESS } from '../harness/mitm/smb2-pdu.js';
import { startSamba, type SambaServer } from '../harness/samba-server.js';
import { assertBuilt, expectEndedWithin, expectNoProxyErrors, expectOneLineFailure, rigFor, runBounded, type Rig } from './hostile-helpers.js';

const LOOPS = 'loops';
const MAX_RSS_MIB = 300;

let server: SambaServer;
let rig: Rig;

beforeAll(async () => {
  assertBuilt();
  server = await startSamba();
  await mkdir(join(server.shareDir('public'), LOOPS));
  for (const n of ['a.txt', 'b.txt', 'c.txt', 'd.txt']) await writeFile(join(server.shareDir('public'), LOOPS, n), n);
});
afterAll(async () => server?.stop());
beforeEach(async () => {
  rig = await rigFor(server);
});
afterEach(async () => {
  expectNoProxyErrors(rig.proxy);
  await rig.proxy.close();
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
