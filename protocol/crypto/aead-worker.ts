// The decryption thread (see aead-offload.ts): opens an AEAD-sealed frame in place. It receives
// the frame's memory (transferred, not copied), authenticates and decrypts the ciphertext with the
// same provider mode as the main thread, writes the plaintext over the ciphertext, and sends the
// memory back. Only the AEAD runs here; the transform header was checked before it was sent.
import { setPriority } from 'node:os';
import { isMainThread, parentPort } from 'node:worker_threads';
import { countAeadOutput } from './crypto-garbage.js';
import { createCryptoProvider, type AeadAlgorithm, type CryptoProvider, type CryptoProviderMode } from './crypto-provider.js';

/** One frame to open: byte ranges within `frame`. */
export interface OpenJob {
  id: number;
  mode: CryptoProviderMode;
  alg: AeadAlgorithm;
  key: Uint8Array;
  frame: ArrayBuffer;
  nonce: [offset: number, length: number];
  aad: [offset: number, length: number];
  ciphertext: [offset: number, length: number];
  tag: [offset: number, length: number];
}

export interface OpenResult {
  id: number;
  frame: ArrayBuffer;
  /** Set when it did not open: the SmbError code and message to fail the connection with. */
  error?: { code: string; message: string };
}

export interface WorkerReady {
  ready: true;
}

// This thread yields to the main one. On two cores with the server on one, the main thread (which
// reads the socket, writes the file and runs the UI's callbacks) otherwise waits for a core behind
// this one: measured event-loop lag p99 8-12 ms during an encrypted 1 GiB get, runs of 6-9 ms in
// which the main thread was not on a CPU at all. On Linux, setpriority(2) on "the calling process"
// (pid 0) sets the calling thread only, so this lowers only this thread (nice 10; lowering needs
// no privilege). Elsewhere it would lower the process: only Linux is asked. Never on the main
// thread (a test imports this module there).
if (process.platform === 'linux' && !isMainThread) {
  try {
    setPriority(10);
  } catch {
    // A runtime that refuses it: the thread keeps the process's priority.
  }
}

const providers = new Map<CryptoProviderMode, CryptoProvider>();

function provider(mode: CryptoProviderMode): CryptoProvider {
  let p = providers.get(mode);
  if (!p) providers.set(mode, (p = createCryptoProvider(mode)));
  return p;
}

export function openInPlace(job: OpenJob): OpenResult['error'] {
  const view = (r: [number, number]): Buffer => Buffer.from(job.frame, r[0], r[1]);
  try {
    const plain = provider(job.mode).aeadDecrypt(job.alg, Buffer.from(job.key), view(job.nonce), view(job.aad), view(job.ciphertext), Buffer.from(view(job.tag)));
    if (plain.length !== job.ciphertext[1]) return { code: 'security', message: `decryption gave ${plain.length} bytes for ${job.ciphertext[1]}` };
    plain.copy(view(job.ciphertext));
    return undefined;
  } catch (e) {
    const code = typeof (e as { code?: unknown }).code === 'string' ? (e as { code: string }).code : 'security';
    return { code, message: e instanceof Error ? e.message : String(e) };
  }
}

parentPort?.on('message', (job: OpenJob) => {
  const error = openInPlace(job);
  // The plaintext buffer openInPlace copied from is spent (crypto-garbage.ts).
  countAeadOutput(job.ciphertext[1]);
  const result: OpenResult = error ? { id: job.id, frame: job.frame, error } : { id: job.id, frame: job.frame };
  parentPort!.postMessage(result, [job.frame]);
});
// Every module loaded and listening: frames may come (aead-offload.ts sends none before this).
parentPort?.postMessage({ ready: true } satisfies WorkerReady);
