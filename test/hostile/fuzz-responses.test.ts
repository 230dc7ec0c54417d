// A seeded mutation fuzzer over real Samba traffic (issue 7 item 5). Each case opens a connection
// through the tamper proxy (guest on `public`, or the test user on `private` with requireSigning),
// picks one response by command and occurrence, mutates it (bit flips, byte sets, truncation,
// extension, length and header fields, a drop) and drives connect → login → tree → stat → readdir →
// readFile with a short timeout. It asserts: every case settles before its deadline; every rejection
// is an SmbError; nothing is thrown outside a promise (no uncaught exception, no unhandled
// rejection); on the signed session a call that resolves returns exactly the real data.
// SHAREKEEPER_FUZZ_SEED replays a run, SHAREKEEPER_FUZZ_CASES and SHAREKEEPER_FUZZ_BUDGET_MS size it.
import { randomBytes, randomInt } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Dialect, SmbClient, SmbError, type DialectValue, type SmbTree } from '../../protocol/index.js';
import { Smb2Command, commandName } from '../harness/mitm/smb2-pdu.js';
import { startSamba, type SambaServer } from '../harness/samba-server.js';
import { startTamperProxy, type TamperProxy } from '../harness/tamper-proxy.js';
import { makeMutation, mulberry32, pickKind, type Mutation, type Rng } from './fuzz-mutations.js';

const envInt = (name: string, fallback: number): number => {
  const v = process.env[name];
  return v === undefined || v === '' ? fallback : Number.parseInt(v, 10);
};
const SEED = envInt('SHAREKEEPER_FUZZ_SEED', randomInt(2 ** 31));
const CASES = envInt('SHAREKEEPER_FUZZ_CASES', 3000);
const BUDGET_MS = envInt('SHAREKEEPER_FUZZ_BUDGET_MS', 60_000);
/** Per request; a mutation that swallows an answer costs this much (Samba answers in ms on loopback). */
const REQUEST_TIMEOUT_MS = 400;
/** A case that has not settled by now is a hang. */
const CASE_DEADLINE_MS = 10_000;

const FILE = 'fuzz.bin';
const DIR = 'fuzzdir';
const DIR_NAMES = ['one.txt', 'two.txt', 'three.txt'];
const DIALECTS: DialectValue[] = [Dialect.SMB2_02, Dialect.SMB2_10, Dialect.SMB3_00, Dialect.SMB3_02, Dialect.SMB3_11];

interface Target {
  command: number;
  nth: number;
}

/** Responses worth mutating, weighted towards the ones that carry data. */
function pickTarget(rng: Rng, dialect: DialectValue): Target {
  const c = Smb2Command;
  const table: [number, number, number][] = [
    [c.NEGOTIATE, 1, 8],
    [c.SESSION_SETUP, 2, 10],
    [c.TREE_CONNECT, 1, 6],
    [c.CREATE, 3, 16],
    [c.CLOSE, 3, 6],
    [c.QUERY_DIRECTORY, 2, 16],
    [c.READ, 1, 16],
    ...(dialect === Dialect.SMB3_00 || dialect === Dialect.SMB3_02 ? ([[c.IOCTL, 1, 6]] as [number, number, number][]) : []),
  ];
  let x = rng.int(table.reduce((s, [, , w]) => s + w, 0));
  for (const [command, maxNth, w] of table) {
    x -= w;
    if (x < 0) return { command, nth: 1 + rng.int(maxNth) };
  }
  return { command: c.READ, nth: 1 };
}

interface Current {
  connection: number;
  target: Target;
  mutation: Mutation;
  seen: number;
  fired: boolean;
}

interface Truth {
  size: number;
  data: Buffer;
}

interface CaseResult {
  /** The calls that resolved, with what they returned. */
  stat?: number;
  names?: string[];
  data?: Buffer;
  error?: unknown;
}

let server: SambaServer;
let proxy: TamperProxy;
let truth: Truth;
let current: Current | undefined;
const outOfBand: string[] = [];
const onUncaught = (e: unknown): void => void outOfBand.push(`uncaught exception: ${String(e instanceof Error ? e.stack : e)}`);
const onUnhandled = (e: unknown): void => void outOfBand.push(`unhandled rejection: ${String(e instanceof Error ? e.stack : e)}`);

beforeAll(async () => {
  server = await startSamba();
  const data = randomBytes(96 * 1024);
  truth = { size: data.length, data };
  for (const share of ['public', 'private']) {
    await writeFile(join(server.shareDir(share), FILE), data);
    await mkdir(join(server.shareDir(share), DIR));
    for (const n of DIR_NAMES) await writeFile(join(server.shareDir(share), DIR, n), n);
  }
  proxy = await startTamperProxy({ host: server.host, port: server.port });
  proxy.onResponse((pdu, ctx) => {
    const c = current;
    if (c === undefined || c.fired || ctx.connection !== c.connection || ctx.header.interim || ctx.header.command !== c.target.command) return undefined;
    if (++c.seen !== c.target.nth) return undefined;
    c.fired = true;
    return c.mutation.apply(pdu);
  });
  process.on('uncaughtException', onUncaught);
  process.on('unhandledRejection', onUnhandled);
});
afterAll(async () => {
  for (const live of pool.values()) await live.client.close().catch(() => undefined);
  process.off('uncaughtException', onUncaught);
  process.off('unhandledRejection', onUnhandled);
  await proxy?.close();
  await server?.stop();
});

type Client = Awaited<ReturnType<typeof SmbClient.connect>>;
interface Live {
  client: Client;
  tree: SmbTree;
  connection: number;
}

/** Responses that come after the tree is connected: their cases may reuse a live connection. */
const AFTER_TREE: ReadonlySet<number> = new Set([Smb2Command.CREATE, Smb2Command.CLOSE, Smb2Command.QUERY_DIRECTORY, Smb2Command.READ]);
/** One live tree per (signed, dialect), kept while mutations leave its connection standing. */
const pool = new Map<string, Live>();

async function openTree(signed: boolean, dialect: DialectValue): Promise<Live> {
  const connection = proxy.counters().connections + 1;
  if (current) current.connection = connection;
  const client = await SmbClient.connect({ host: '127.0.0.1', port: proxy.port, timeoutMs: REQUEST_TIMEOUT_MS, maxDialect: dialect, requireSigning: signed });
  try {
    const session = await client.login(signed ? { kind: 'user', user: server.user, password: server.password } : { kind: 'guest' });
    return { client, tree: await session.connectTree(signed ? 'private' : 'public'), connection };
  } catch (e) {
    await client.close().catch(() => undefined);
    throw e;
  }
}

async function drive(signed: boolean, dialect: DialectValue, target: Target): Promise<CaseResult> {
  const out: CaseResult = {};
  const key = `${signed}:${dialect}`;
  let live = pool.get(key);
  pool.delete(key);
  try {
    if (live !== undefined && (live.client.closed || !AFTER_TREE.has(target.command))) {
      await live.client.close().catch(() => undefined);
      live = undefined;
    }
    if (live !== undefined && current) current.connection = live.connection;
    live ??= await openTree(signed, dialect);
    out.stat = (await live.tree.stat(FILE)).size;
    out.names = (await live.tree.readdir(DIR)).map((e) => e.name).sort();
    out.data = await live.tree.readFile(FILE);
  } catch (e) {
    out.error = e;
  }
  if (live !== undefined && !live.client.closed && out.error === undefined) pool.set(key, live);
  else await live?.client.close().catch(() => undefined);
  return out;
}

function settleWithin<T>(p: Promise<T>, ms: number): Promise<T | 'hang'> {
  let timer: NodeJS.Timeout | undefined;
  const hang = new Promise<'hang'>((r) => (timer = setTimeout(() => r('hang'), ms)));
  return Promise.race([p, hang]).finally(() => clearTimeout(timer));
}

/** What is wrong with one case's outcome, if anything. */
function judge(r: CaseResult, signed: boolean): string[] {
  const problems: string[] = [];
  if (r.error !== undefined && !(r.error instanceof SmbError)) {
    problems.push(`rejected with a non-SmbError: ${r.error instanceof Error ? (r.error.stack ?? r.error.message) : String(r.error)}`);
  }
  if (!signed) return problems;
  // A signed session never hands back altered data: whatever resolved is the truth.
  if (r.stat !== undefined && r.stat !== truth.size) problems.push(`signed stat resolved with size ${r.stat}, not ${truth.size}`);
  if (r.names !== undefined && r.names.join('/') !== [...DIR_NAMES].sort().join('/')) problems.push(`signed readdir resolved with ${JSON.stringify(r.names)}`);
  if (r.data !== undefined && !r.data.equals(truth.data)) problems.push(`signed readFile resolved with ${r.data.length} bytes that differ from the file`);
  return problems;
}

describe('mutation fuzzer over real Samba responses', () => {
  it(`no crash, no hang, only SmbError, never altered data on a signed session (seed ${SEED})`, { timeout: BUDGET_MS + 60_000 }, async () => {
    console.log(`fuzz: seed ${SEED} (SHAREKEEPER_FUZZ_SEED=${SEED} replays it), up to ${CASES} cases in ${BUDGET_MS} ms`);
    const rng = mulberry32(SEED);
    const started = Date.now();
    const failures: string[] = [];
    const outcomes = new Map<string, number>();
    const bump = (k: string): void => void outcomes.set(k, (outcomes.get(k) ?? 0) + 1);
    let ran = 0;
    let fired = 0;
    for (let i = 0; i < CASES && Date.now() - started < BUDGET_MS; i++) {
      const signed = rng.int(2) === 0;
      const dialect = rng.pick(DIALECTS);
      const target = pickTarget(rng, dialect);
      const kind = pickKind(rng);
      const mutation = makeMutation(rng, kind, target.command);
      const label = `case ${i} (seed ${SEED}): ${signed ? 'signed' : 'guest'} 0x${dialect.toString(16)}, ${commandName(target.command)} #${target.nth}: ${mutation.describe}`;
      current = { connection: -1, target, mutation, seen: 0, fired: false };
      const r = await settleWithin(drive(signed, dialect, target), CASE_DEADLINE_MS);
      const c = current;
      current = undefined;
      ran++;
      if (c.fired) fired++;
      if (r === 'hang') {
        failures.push(`${label}: did not settle within ${CASE_DEADLINE_MS} ms`);
        proxy.dropConnections();
        continue;
      }
      bump(r.error === undefined ? 'resolved' : r.error instanceof SmbError ? `SmbError ${r.error.code}` : 'other error');
      for (const p of [...judge(r, signed), ...outOfBand.splice(0)]) failures.push(`${label}: ${p}`);
      if (failures.length >= 20) break;
    }
    const ms = Date.now() - started;
    console.log(`fuzz: ${ran} cases (${fired} mutated a response) in ${ms} ms (${(ms / Math.max(1, ran)).toFixed(1)} ms/case); outcomes ${JSON.stringify(Object.fromEntries(outcomes))}`);
    expect(failures.slice(0, 10)).toEqual([]);
    expect(proxy.errors().map((e) => e.message)).toEqual([]);
    // Not vacuous: most cases really changed a response, and a fair number ran at all.
    expect(fired).toBeGreaterThan(ran * 0.7);
    expect(ran).toBeGreaterThan(Math.min(CASES, 200));
  });
});
