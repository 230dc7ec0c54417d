// Node's AEAD has no encrypt-into or decrypt-into: every sealed or opened message comes back in a
// new buffer. V8 frees such external memory only at a collection, and external memory alone
// triggers one after ~64 MiB (V8's external allocation soft limit), so a 1 GiB encrypted transfer
// held up to 64 MiB of spent buffers: peak RSS 136-140 MiB for a get, 120 for a put, against 72
// and 77 unencrypted. A young-generation collection after every few megabytes of AEAD output frees
// them while they are still young (measured: 0.4-0.9 ms each; a full collection freed no more
// and took 5-7 ms).
import { createRequire } from 'node:module';

/** node:v8 and node:vm load only when a sealed session first needs a collection (~3 ms of every CLI start otherwise). */
const requireBuiltin = createRequire(import.meta.url);

/** Young-generation collections at most this far apart in AEAD output. */
export const COLLECT_EVERY_BYTES = 4 * 1024 * 1024;

type Collect = (opts: { type: 'minor' }) => void;

let collect: Collect | null | undefined;

function collector(): Collect | null {
  try {
    const { setFlagsFromString } = requireBuiltin('node:v8') as typeof import('node:v8');
    const { runInNewContext } = requireBuiltin('node:vm') as typeof import('node:vm');
    // Exposes gc() to contexts made from now on, as gc() in a fresh context here; the contexts
    // that exist (ours, a page's) do not get it.
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as unknown;
    return typeof gc === 'function' ? (gc as Collect) : null;
  } catch {
    return null; // a runtime that refuses the flag: memory is freed at V8's own pace
  }
}

let since = 0;
let sealedSince = 0;

function collectYoung(): void {
  if (collect === undefined) collect = collector();
  collect?.({ type: 'minor' });
}

/** Counts `bytes` of AEAD output just made; collects the young generation every COLLECT_EVERY_BYTES. */
export function countAeadOutput(bytes: number): void {
  since += bytes;
  if (since < COLLECT_EVERY_BYTES) return;
  since = 0;
  collectYoung();
}

/**
 * Counts `bytes` of sealed (encrypted) output waiting to be sent. A collection right after sealing
 * finds the new ciphertext still alive, queued on the socket; one that survives two young
 * collections is moved to the old generation and lives on until a full collection (64 MiB of
 * external memory later): measured, peak RSS 130 MiB for an encrypted 1 GiB put, where the
 * server's pace keeps several 4 MiB WRITEs queued. So sealed output is collected when the socket's
 * queue has drained (collectSealedIfDue), when every ciphertext sent so far is garbage.
 */
export function countSealedOutput(bytes: number): void {
  sealedSince += bytes;
}

/** For the transport, once everything it was given is written: collects if enough sealed output died. */
export function collectSealedIfDue(): void {
  if (sealedSince < COLLECT_EVERY_BYTES) return;
  sealedSince = 0;
  collectYoung();
}
