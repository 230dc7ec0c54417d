// The same machine state before every timed run of either side.
//
// This machine is a VM whose balloon device takes free memory back: Linux's free page reporting
// (virtio-balloon, VIRTIO_BALLOON_F_REPORTING) hands pages that stay free to the host, in passes
// about 2 s apart (256 MiB each, measured: a removed 1 GiB file was reported in four passes over
// 6.4 s). A page the host took back costs a host fault when the guest uses it again. Measured for
// the same 1 GiB get: 0.8 s when the previous run's freed page cache was still in the guest, 2.6-
// 2.9 s when it had been reported; smbclient 0.7 s and 2.7-3.2 s. Which of the two a run met was
// chance (rm, sync, then the run: a 2 s pass may or may not have come), so a row's ratio swung
// between runs by 2x. Every timed run now starts after reporting has gone quiet: both sides pay the
// same page faults, every run. On a machine without page reporting this waits for nothing.
import { execFile } from 'node:child_process';
import { readFile, rm } from 'node:fs/promises';
import { promisify } from 'node:util';

const run = promisify(execFile);
const REPORTED_KIB = '/sys/module/page_reporting/parameters/reported_kib';
/** Longer than the 2 s between reporting passes: no change for this long means none is due. */
const QUIET_MS = 2500;
/** A bench never waits forever: after this the run starts anyway. */
const MAX_WAIT_MS = 15_000;
const POLL_MS = 200;

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

async function reportedKib(): Promise<number | undefined> {
  try {
    return Number((await readFile(REPORTED_KIB, 'utf8')).trim());
  } catch {
    return undefined; // no page reporting here
  }
}

/** Waits until free page reporting has handed back what it will (see above); returns the ms waited. */
export async function settleFreedMemory(): Promise<number> {
  const start = Date.now();
  let last = await reportedKib();
  if (last === undefined) return 0;
  let quietSince = start;
  while (Date.now() - quietSince < QUIET_MS && Date.now() - start < MAX_WAIT_MS) {
    await sleep(POLL_MS);
    const now = await reportedKib();
    if (now !== last) quietSince = Date.now();
    last = now;
  }
  return Date.now() - start;
}

/** Removes `path` and flushes dirty pages, so neither side pays for the other's writeback. */
export async function fresh(path: string): Promise<void> {
  await rm(path, { force: true });
  await run('sync', []);
}
