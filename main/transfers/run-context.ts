// What a running job gets from the queue, and what it reports back.
import { createHash } from 'node:crypto';
import { Transform, type Readable, type Stream } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { DurableSlot } from './durable-partial.js';
import type { ConflictDecision, ConflictInfo, TransferJob, TransferTree } from './types.js';

export interface RunContext {
  /** The live job: runners set bytesTotal, targetPath, resume, resumedFrom on it. */
  job: TransferJob;
  tree: TransferTree;
  signal: AbortSignal;
  /** `n` more bytes copied. */
  onBytes(n: number): void;
  /** Persist the job now (after a field that matters for resuming changed). */
  save(): void;
  /** Where an upload keeps its durable open across a drop (durable-partial.ts); absent: no durable opens. */
  durable?: DurableSlot;
}

export type RunOutcome = { kind: 'done' } | { kind: 'skipped' } | { kind: 'conflict'; info: ConflictInfo };

/** The decision for an existing destination: taken before, from the policy, or to ask (undefined). */
export function decisionFor(job: TransferJob): ConflictDecision | undefined {
  return job.decision ?? (job.conflict === 'ask' ? undefined : job.conflict);
}

/** A pass-through that reports the bytes going by. */
export function counter(onBytes: (n: number) => void): Transform {
  return new Transform({
    transform(chunk: Buffer, _enc, cb) {
      onBytes(chunk.length);
      cb(null, chunk);
    },
  });
}

export async function sha256Of(source: Readable, signal: AbortSignal): Promise<string> {
  const hash = createHash('sha256');
  await pipeline(source, hash, { signal });
  return hash.digest('hex');
}

/**
 * Runs a copy pipeline; when it fails, waits (bounded) until every stream has closed its handle,
 * so the partial can be removed at once (the SMB write handle is opened without sharing).
 */
export async function copyThrough(streams: [Readable, ...NodeJS.ReadWriteStream[], NodeJS.WritableStream], signal: AbortSignal): Promise<void> {
  try {
    await pipeline(streams, { signal });
  } catch (e) {
    await Promise.all(streams.map((s) => closed(s as Stream, 5000)));
    throw e;
  }
}

function closed(s: Stream, ms: number): Promise<void> {
  const st = s as Stream & { closed?: boolean; destroy?: () => void };
  if (st.closed) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    st.once('close', () => {
      clearTimeout(timer);
      resolve();
    });
    st.destroy?.();
  });
}
