// Opening sealed frames on another thread (issue: crypto off the main thread). AES-GCM/CCM of a
// 2 MiB READ answer takes the event loop 2-3 ms of CPU and leaves a 2 MiB plaintext
// buffer behind for V8 to collect; a window of them made the loop's lag and the GC pauses. Here
// the frame's memory is transferred (not copied) to one decryption worker, decrypted in place, and
// transferred back, so the main thread neither computes nor allocates the plaintext. The worker
// uses the same provider mode (native or our fallback CCM for Electron's BoringSSL).
// Callers keep the order of messages (smb2/ordered-receive.ts); the worker answers in order too.
// Opt-in (SHAREKEEPER_CRYPTO_WORKER=on): on two cores it measured worse than opening frames on the
// main thread in every figure (workerScript says which), so by default frames open in place there
// (smb2/transform.ts decryptMessage), with the same young-generation collections (crypto-garbage.ts).
import { existsSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { createRequire } from 'node:module';
import type { Worker } from 'node:worker_threads';
import { SmbError } from '../errors.js';
import { cryptoProviderMode, type AeadAlgorithm } from './crypto-provider.js';
import type { OpenJob, OpenResult, WorkerReady } from './aead-worker.js';

/** Where the frame's parts are, as views into it. */
export interface SealedParts {
  nonce: Buffer;
  aad: Buffer;
  ciphertext: Buffer;
  tag: Buffer;
}

interface Waiting {
  resolve: (frame: ArrayBuffer) => void;
  reject: (e: SmbError) => void;
}

let worker: Worker | undefined;
let broken: SmbError | undefined;
let nextId = 1;
let answered = 0;
const waiting = new Map<number, Waiting>();

/**
 * The worker is off unless SHAREKEEPER_CRYPTO_WORKER=on (offloadAvailable). Measured on the project's machine (2
 * cores, Samba on one; an in-process encrypted 1 GiB get, 10 runs each way): event-loop lag p99
 * 7.5-9.8 ms opening frames on this thread against 7.9-10.5 on the worker, the get ~15% faster,
 * and the CLI's peak RSS 90 MiB against 103 (the worker's isolate, ~13 MiB, and its 2 MiB AEAD
 * outputs, which also cost ~1 s of system time per GiB in page faults). A 2 MiB frame opens here
 * in ~2.3 ms (native AES-GCM; 2.6 ms with our fallback CCM), so no single frame blocks the loop
 * for long; what remains of the lag is waiting for a core, which a third busy thread only adds to.
 *
 * The worker's script: the compiled aead-worker.js beside this module. A runner that loads the
 * TypeScript sources (vitest) has none there and names the compiled one in
 * SHAREKEEPER_CRYPTO_WORKER_SCRIPT; without a script frames are decrypted on the main thread.
 */
function workerScript(): URL | undefined {
  const named = process.env['SHAREKEEPER_CRYPTO_WORKER_SCRIPT'];
  const url = named ? pathToFileURL(named) : new URL('./aead-worker.js', import.meta.url);
  return existsSync(url) ? url : undefined;
}

let script: URL | null | undefined;

let online = false;

/**
 * Whether frames can be opened on the worker now: false without its script, once it failed, and
 * until it said it is ready (the first call starts it; a session with keys calls it at once).
 * Frames meanwhile stay on this thread, so a worker that cannot start (say, from inside an
 * archive) never costs a frame.
 */
export function offloadAvailable(): boolean {
  if (process.env['SHAREKEEPER_CRYPTO_WORKER'] !== 'on') return false; // read each time: tests turn it on
  if (script === undefined) script = workerScript() ?? null;
  if (broken !== undefined || script === null) return false;
  if (!worker) startWorker(script);
  return online;
}

function failAll(e: SmbError): void {
  broken = e;
  worker = undefined;
  online = false;
  for (const [, w] of waiting) w.reject(e);
  waiting.clear();
}

/** node:worker_threads loads only when the worker is turned on (~2.5 ms of every CLI start otherwise). */
const requireBuiltin = createRequire(import.meta.url);

function startWorker(from: URL): void {
  let w: Worker;
  try {
    const threads = requireBuiltin('node:worker_threads') as typeof import('node:worker_threads');
    w = new threads.Worker(from);
  } catch (e) {
    broken = new SmbError('security', `decryption worker did not start: ${(e as Error).message}`, { operation: 'decrypt' });
    return;
  }
  w.on('message', (r: OpenResult | WorkerReady) => {
    if ('ready' in r) return void (online = true);
    const entry = waiting.get(r.id);
    waiting.delete(r.id);
    answered++;
    if (waiting.size === 0) w.unref();
    if (!entry) return;
    if (r.error) entry.reject(new SmbError(r.error.code === 'malformed' ? 'malformed' : 'security', r.error.message, { operation: 'decrypt' }));
    else entry.resolve(r.frame);
  });
  w.on('error', (e) => failAll(new SmbError('security', `decryption worker failed: ${e.message}`, { operation: 'decrypt' })));
  w.on('exit', (code) => failAll(new SmbError('security', `decryption worker exited (${code})`, { operation: 'decrypt' })));
  // Not a reason to keep the process alive: a CLI exits when its work is done. (After the
  // listeners: attaching 'message' refs the worker's port again.)
  w.unref();
  worker = w;
}

/** Frames the worker has answered in this process (opened or refused): for tests and figures. */
export function framesOpenedInWorker(): number {
  return answered;
}

/** A buffer of its own (offset 0, its whole ArrayBuffer): what may be transferred to the worker. */
export function ownsItsBuffer(frame: Buffer): boolean {
  return frame.byteOffset === 0 && frame.buffer.byteLength === frame.length;
}

const range = (frame: Buffer, part: Buffer): [number, number] => [part.byteOffset - frame.byteOffset, part.length];

/**
 * Decrypts `frame` (a buffer of its own: offset 0, its whole ArrayBuffer) in place on the worker.
 * `frame` is unusable from the call on; the result is the same memory, plaintext where the
 * ciphertext was. Rejects with SmbError('security') on a bad tag.
 */
export function openSealedInWorker(alg: AeadAlgorithm, key: Buffer, frame: Buffer, parts: SealedParts): Promise<ArrayBuffer> {
  if (broken) return Promise.reject(broken);
  const w = worker;
  if (!w || !online) return Promise.reject(new SmbError('security', 'the decryption worker is not running', { operation: 'decrypt' }));
  if (!ownsItsBuffer(frame)) return Promise.reject(new RangeError('a frame sent to the decryption worker must own its buffer'));
  const id = nextId++;
  const job: OpenJob = {
    id,
    mode: cryptoProviderMode(),
    alg,
    key: new Uint8Array(key),
    frame: frame.buffer as ArrayBuffer,
    nonce: range(frame, parts.nonce),
    aad: range(frame, parts.aad),
    ciphertext: range(frame, parts.ciphertext),
    tag: range(frame, parts.tag),
  };
  return new Promise<ArrayBuffer>((resolve, reject) => {
    waiting.set(id, { resolve, reject });
    // Kept alive while answers are owed, so a waiting request is not cut short by an exit.
    w.ref();
    w.postMessage(job, [job.frame]);
  });
}
