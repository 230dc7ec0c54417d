// The UI section of `npm run bench` (also `npm run bench:ui` alone): Debian's Chromium on
// `sharekeeper serve` against a real Samba, median of 5 runs. It reports, it never fails:
//   - opening a 20,000-entry folder: first rows painted, and the last row available;
//   - the frame time p95 while scrolling that folder end to end;
//   - the longest main-thread task while another drive's server is blackholed (a proxy that stops
//     forwarding, like a dead VPN path) and the person keeps browsing the good drive.
// Targets (issue 9): first rows <= 300 ms, whole listing <= 1.5 s, scroll p95 <= 16 ms, no task over 50 ms.
// Scrolling reports the main thread's work per frame (rAF to the first task after the frame): the
// rAF interval itself is quantized to the display's 16.7 ms, so its p95 can never read <= 16. Long
// tasks are also taken from Chromium's trace with their thread time: on a shared 2-core machine a
// task waits for a core as long as it works, and only the CPU figure says which it was.
import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer, connect, type Server, type Socket } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { makeManyFiles } from '../harness/fixtures.js';
import { startSamba } from '../harness/samba-server.js';
import { launchBrowser, openUi, startServe } from '../e2e/e2e-helpers.js';

const RUNS = Number(process.env.BENCH_UI_RUNS ?? 5);
const ENTRIES = Number(process.env.BENCH_ENTRIES ?? 20_000);

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? NaN : (s[Math.floor((s.length - 1) / 2)] as number);
}

/** A TCP forwarder that can be switched to a silent blackhole (bytes in, nothing out, no close). */
async function blackholeProxy(targetPort: number): Promise<{ port: number; blackhole(): void; close(): Promise<void> }> {
  let dead = false;
  const sockets = new Set<Socket>();
  const server: Server = createServer((client) => {
    const upstream = connect(targetPort, '127.0.0.1');
    sockets.add(client).add(upstream);
    client.on('data', (d) => !dead && upstream.write(d));
    upstream.on('data', (d) => !dead && client.write(d));
    const end = (): void => {
      if (dead) return;
      client.destroy();
      upstream.destroy();
    };
    client.on('close', end).on('error', end);
    upstream.on('close', end).on('error', end);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const address = server.address();
  return {
    port: typeof address === 'object' && address ? address.port : 0,
    blackhole: () => (dead = true),
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}

type StoreHandle = { getState: () => Record<string, unknown> & { drives: { id: string; name: string; status: { kind: string } }[] } };

async function addDrive(page: Page, name: string, target: string): Promise<string> {
  return page.evaluate(
    async ({ name, target }) => {
      const store = (globalThis as unknown as { __sharekeeper: { getState: () => { addDrive: (i: unknown, p: undefined, s: boolean) => Promise<{ ok: boolean; value?: { id: string }; error?: unknown }> } } }).__sharekeeper;
      const r = await store.getState().addDrive({ name, target }, undefined, false);
      if (!r.ok || !r.value) throw new Error(`add ${name}: ${JSON.stringify(r.error)}`);
      return r.value.id;
    },
    { name, target },
  );
}

/** Opens the folder through the store; times the first painted row and the listing's end. */
async function openFolder(page: Page, driveId: string, path: string): Promise<{ firstPaintMs: number; endMs: number }> {
  return page.evaluate(
    async ({ driveId, path }) => {
      const g = globalThis as unknown as {
        __sharekeeper: { getState: () => { open: (l: unknown) => Promise<void>; loading: boolean; listTiming: { start: number; end?: number } } };
        document: { querySelector: (s: string) => unknown };
        requestAnimationFrame: (f: () => void) => void;
        performance: { now: () => number };
      };
      const store = g.__sharekeeper;
      const t0 = g.performance.now();
      void store.getState().open({ driveId, share: 'public', path });
      let firstPaint = NaN;
      await new Promise<void>((resolve) => {
        const tick = (): void => {
          if (Number.isNaN(firstPaint) && g.document.querySelector('.grid-body [role="row"]')) {
            // The frame after the one that has the row: it has been painted.
            g.requestAnimationFrame(() => (firstPaint = g.performance.now() - t0));
          }
          const s = store.getState();
          if (!Number.isNaN(firstPaint) && !s.loading && s.listTiming.end !== undefined) resolve();
          else g.requestAnimationFrame(tick);
        };
        g.requestAnimationFrame(tick);
      });
      const t = store.getState().listTiming;
      return { firstPaintMs: firstPaint, endMs: (t.end as number) - t0 };
    },
    { driveId, path },
  );
}

export interface ScrollFigures {
  /** p95 of requestAnimationFrame intervals: quantized to the display's frame interval (16.7 ms at 60 Hz). */
  intervalP95: number;
  /** p95 of the main thread's work per frame: from the frame's rAF callback to the first task after it
   *  (style, layout, paint and any script in between), the figure to hold against the 16 ms budget. */
  workP95: number;
  /** Frames whose interval exceeded 1.5 display intervals (a frame was dropped). */
  dropped: number;
  frames: number;
}

/** Scrolls the list end to end (a fixed step per frame); frame intervals and per-frame work. */
async function scrollFigures(page: Page): Promise<ScrollFigures> {
  return page.evaluate(async () => {
    const g = globalThis as unknown as {
      document: { querySelector: (s: string) => { scrollTop: number; scrollHeight: number; clientHeight: number } | null };
      requestAnimationFrame: (f: (t: number) => void) => void;
      performance: { now: () => number };
      MessageChannel: new () => { port1: { onmessage: (() => void) | null }; port2: { postMessage: (m: unknown) => void } };
    };
    const el = g.document.querySelector('[data-testid="file-scroll"]');
    if (!el) return { intervalP95: NaN, workP95: NaN, dropped: 0, frames: 0 };
    el.scrollTop = 0;
    const intervals: number[] = [];
    const work: number[] = [];
    const step = Math.max(400, Math.ceil((el.scrollHeight - el.clientHeight) / 240));
    const channel = new g.MessageChannel();
    let frameStart = 0;
    // A message posted in the rAF callback runs as the first task after that frame's rendering.
    channel.port1.onmessage = () => work.push(g.performance.now() - frameStart);
    await new Promise<void>((resolve) => {
      let last = 0;
      const tick = (t: number): void => {
        frameStart = g.performance.now();
        if (last) intervals.push(t - last);
        last = t;
        if (el.scrollTop + el.clientHeight >= el.scrollHeight - 1) return resolve();
        el.scrollTop += step;
        channel.port2.postMessage(0);
        g.requestAnimationFrame(tick);
      };
      g.requestAnimationFrame(tick);
    });
    const p95 = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length * 0.95)] ?? NaN;
    const base = [...intervals].sort((a, b) => a - b)[Math.floor(intervals.length / 2)] ?? 16.7;
    return { intervalP95: p95(intervals), workP95: p95(work), dropped: intervals.filter((x) => x > base * 1.5).length, frames: intervals.length };
  });
}

interface LongFrame {
  duration: number;
  blocking: number;
  styleAndLayout: number;
  scripts: { invoker: string; source: string; duration: number; forcedLayout: number }[];
}

/** Long tasks (longtask) and long animation frames (with their scripts) from now on. */
async function observeLongWork(page: Page): Promise<void> {
  await page.evaluate(() => {
    type Script = { invoker: string; sourceURL: string; sourceFunctionName: string; sourceCharPosition: number; duration: number; forcedStyleAndLayoutDuration: number };
    type Frame = { duration: number; blockingDuration: number; startTime: number; styleAndLayoutStart: number; renderStart: number; scripts: Script[] };
    const g = globalThis as unknown as {
      __longest: number;
      __longCount: number;
      __frames: unknown[];
      PerformanceObserver: new (cb: (l: { getEntries: () => unknown[] }) => void) => { observe: (o: unknown) => void };
    };
    g.__longest = 0;
    g.__longCount = 0;
    g.__frames = [];
    new g.PerformanceObserver((list) => {
      for (const e of list.getEntries() as { duration: number }[]) {
        g.__longest = Math.max(g.__longest, e.duration);
        g.__longCount++;
      }
    }).observe({ type: 'longtask', buffered: false });
    new g.PerformanceObserver((list) => {
      for (const f of list.getEntries() as Frame[]) {
        g.__frames.push({
          duration: f.duration,
          blocking: f.blockingDuration,
          styleAndLayout: f.styleAndLayoutStart > 0 ? f.startTime + f.duration - f.styleAndLayoutStart : 0,
          scripts: f.scripts.map((s) => ({ invoker: s.invoker, source: `${s.sourceFunctionName || '(anonymous)'} ${s.sourceURL.split('/').pop() ?? ''}:${s.sourceCharPosition}`, duration: s.duration, forcedLayout: s.forcedStyleAndLayoutDuration })),
        });
      }
    }).observe({ type: 'long-animation-frame', buffered: false });
  });
}

async function takeLongWork(page: Page): Promise<{ longestMs: number; count: number; frames: LongFrame[] }> {
  return page.evaluate(() => {
    const g = globalThis as unknown as { __longest: number; __longCount: number; __frames: LongFrame[] };
    return { longestMs: g.__longest, count: g.__longCount, frames: g.__frames };
  });
}

function describeFrame(f: LongFrame | undefined): string {
  if (!f) return 'no long animation frame';
  const scripts = [...f.scripts].sort((a, b) => b.duration - a.duration).slice(0, 3);
  const parts = scripts.map((s) => `${s.invoker} -> ${s.source} ${s.duration.toFixed(0)} ms${s.forcedLayout > 1 ? ` (forced layout ${s.forcedLayout.toFixed(0)})` : ''}`);
  return `longest frame ${f.duration.toFixed(0)} ms (blocking ${f.blocking.toFixed(0)}, style+layout+paint ${f.styleAndLayout.toFixed(0)}): ${parts.join('; ') || 'no script'}`;
}

async function longestTaskWhileBrowsing(page: Page, goodId: string, ms: number): Promise<{ longestMs: number; count: number; opens: number; frames: LongFrame[] }> {
  await observeLongWork(page);
  const end = Date.now() + ms;
  let opens = 0;
  while (Date.now() < end) {
    await openFolder(page, goodId, opens % 2 === 0 ? 'docs' : '');
    opens++;
  }
  return { ...(await takeLongWork(page)), opens };
}

export interface TracedTasks {
  /** The longest task on the page's main thread, wall clock. */
  longestWall: number;
  /** The CPU time (thread time) of that task: what our code cost, whatever the machine's load. */
  longestWallCpu: number;
  /** The most CPU any one task took. */
  longestCpu: number;
  over50Wall: number;
  over50Cpu: number;
  /** All the main thread's CPU time in its tasks. */
  totalCpu: number;
}

/**
 * Chromium's own trace of the renderer's main thread (RunTask events, wall `dur` and thread
 * `tdur`) while `fn` runs. On a loaded machine a task can last 60 ms of wall clock for 10 ms of
 * work, the rest waiting for a core; the thread time says which it was.
 */
export async function tracedTasks(browser: Browser, page: Page, fn: () => Promise<void>): Promise<TracedTasks> {
  await browser.startTracing(page, { categories: ['disabled-by-default-devtools.timeline', 'toplevel'] });
  let trace: Buffer | undefined;
  try {
    await fn();
  } finally {
    trace = await browser.stopTracing();
  }
  const events = (JSON.parse(trace.toString('utf8')) as { traceEvents: { ph: string; name: string; pid: number; tid: number; dur?: number; tdur?: number; args?: { name?: string } }[] }).traceEvents;
  const main = new Set(events.filter((e) => e.ph === 'M' && e.name === 'thread_name' && e.args?.name === 'CrRendererMain').map((e) => `${e.pid}:${e.tid}`));
  const tasks = events.filter((e) => e.ph === 'X' && (e.name === 'RunTask' || e.name === 'ThreadControllerImpl::RunTask') && main.has(`${e.pid}:${e.tid}`) && e.dur !== undefined);
  const r: TracedTasks = { longestWall: 0, longestWallCpu: 0, longestCpu: 0, over50Wall: 0, over50Cpu: 0, totalCpu: 0 };
  for (const t of tasks) {
    const wall = (t.dur ?? 0) / 1000;
    const cpu = (t.tdur ?? 0) / 1000;
    if (wall > r.longestWall) {
      r.longestWall = wall;
      r.longestWallCpu = cpu;
    }
    r.longestCpu = Math.max(r.longestCpu, cpu);
    r.totalCpu += cpu;
    if (wall > 50) r.over50Wall++;
    if (cpu > 50) r.over50Cpu++;
  }
  return r;
}

/** BENCH_UI_PROFILE=1: Chromium's sampling profiler over the blackhole phase, top functions by self time. */
async function startProfile(page: Page): Promise<{ stop(): Promise<string> }> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
  await cdp.send('Profiler.start');
  return {
    async stop() {
      const { profile } = await cdp.send('Profiler.stop');
      const self = new Map<string, number>();
      const dt = (profile.endTime - profile.startTime) / 1000 / Math.max(1, profile.samples?.length ?? 1);
      const byId = new Map(profile.nodes.map((n) => [n.id, n]));
      for (const id of profile.samples ?? []) {
        const n = byId.get(id);
        if (!n) continue;
        const f = n.callFrame;
        if (f.functionName === '(idle)' || f.functionName === '(program)') continue;
        const key = `${f.functionName || '(anonymous)'} ${f.url.split('/').pop() ?? ''}:${f.lineNumber + 1}`;
        self.set(key, (self.get(key) ?? 0) + dt);
      }
      await cdp.detach();
      return [...self].sort((a, b) => b[1] - a[1]).slice(0, 10).map(([k, v]) => `${k} ${v.toFixed(0)} ms`).join('; ');
    },
  };
}

export async function runUiBench(log: (line: string) => void = (l) => process.stdout.write(`${l}\n`)): Promise<string[]> {
  const server = await startSamba();
  let proxy: Awaited<ReturnType<typeof blackholeProxy>> | undefined;
  let serve: Awaited<ReturnType<typeof startServe>> | undefined;
  let browser: Awaited<ReturnType<typeof launchBrowser>> | undefined;
  try {
    proxy = await blackholeProxy(server.port);
    serve = await startServe();
    browser = await launchBrowser();
    const pub = server.shareDir('public');
    mkdirSync(join(pub, 'docs'), { recursive: true });
    writeFileSync(join(pub, 'docs', 'a.txt'), 'a\n');
    await makeManyFiles(join(pub, 'many'), ENTRIES);
    const { page } = await openUi(browser, serve.url);
    const good = await addDrive(page, 'Good', `smb://127.0.0.1:${server.port}/public`);
    const first: number[] = [];
    const all: number[] = [];
    const scroll: ScrollFigures[] = [];
    const openLong: number[] = [];
    let openWorst: LongFrame | undefined;
    let openHot: string | undefined;
    for (let i = 0; i < RUNS; i++) {
      await openFolder(page, good, 'docs');
      await observeLongWork(page);
      const openProfile = process.env['BENCH_UI_PROFILE'] === '1' && i === RUNS - 1 ? await startProfile(page) : undefined;
      const t = await openFolder(page, good, 'many');
      if (openProfile) openHot = await openProfile.stop();
      const w = await takeLongWork(page);
      openLong.push(w.longestMs);
      for (const f of w.frames) if (!openWorst || f.duration > openWorst.duration) openWorst = f;
      first.push(t.firstPaintMs);
      all.push(t.endMs);
      scroll.push(await scrollFigures(page));
    }
    // One more open of the big folder under Chromium's tracing: its tasks' wall and CPU time.
    await openFolder(page, good, 'docs');
    const openTrace = await tracedTasks(browser, page, async () => void (await openFolder(page, good, 'many')));
    const dead = await addDrive(page, 'Dead', `smb://127.0.0.1:${proxy.port}/public`);
    proxy.blackhole();
    const stuck = page.evaluate((id) => {
      const g = globalThis as unknown as { __sharekeeper: { getState: () => { reconnect: (id: string) => Promise<void>; open: (l: unknown) => Promise<void> } } };
      void g.__sharekeeper.getState().reconnect(id);
      return 'ok';
    }, dead);
    await stuck;
    const profile = process.env['BENCH_UI_PROFILE'] === '1' ? await startProfile(page) : undefined;
    let lt: Awaited<ReturnType<typeof longestTaskWhileBrowsing>> | undefined;
    const b = browser;
    const blackholeTrace = await tracedTasks(b, page, async () => void (lt = await longestTaskWhileBrowsing(page, good, 8000)));
    if (lt === undefined) throw new Error('the browsing phase did not run');
    const hot = profile ? await profile.stop() : undefined;
    const worst = [...lt.frames].sort((a, b) => b.duration - a.duration)[0];
    const status = await page.evaluate(() => (globalThis as unknown as { __sharekeeper: StoreHandle }).__sharekeeper.getState().drives.map((d) => `${d.name}=${d.status.kind}`).join(', '));
    const fmt = (x: number) => (Number.isFinite(x) ? x.toFixed(0) : 'n/a');
    const traced = (t: TracedTasks) =>
      `traced: longest task ${fmt(t.longestWall)} ms wall / ${fmt(t.longestWallCpu)} ms CPU, most CPU in one task ${fmt(t.longestCpu)} ms; tasks over 50 ms: ${t.over50Wall} by wall clock, ${t.over50Cpu} by CPU; main-thread CPU in all ${fmt(t.totalCpu)} ms`;
    const lines = [
      `UI (Chromium on serve, real Samba, median of ${RUNS}):`,
      `  ${ENTRIES} entries, first rows painted: ${fmt(median(first))} ms (target <= 300; runs ${first.map(fmt).join(', ')})`,
      `  ${ENTRIES} entries, last row available: ${fmt(median(all))} ms (target <= 1500; runs ${all.map(fmt).join(', ')})`,
      `  scrolling end to end, main-thread work per frame p95: ${fmt(median(scroll.map((x) => x.workP95)))} ms (target <= 16; runs ${scroll.map((x) => fmt(x.workP95)).join(', ')})`,
      `    frame interval p95 ${fmt(median(scroll.map((x) => x.intervalP95)))} ms (60 Hz vsync: 16.7 is the floor; runs ${scroll.map((x) => fmt(x.intervalP95)).join(', ')}), ` +
        `dropped frames ${scroll.map((x) => `${x.dropped}/${x.frames}`).join(', ')}`,
      `    longest task while the 20,000 entries arrive: ${fmt(median(openLong))} ms (runs ${openLong.map((x) => (x === 0 ? '<50' : fmt(x))).join(', ')}); ${describeFrame(openWorst)}`,
      `    ${traced(openTrace)}`,
      ...(openHot ? [`    CPU profile of the last open, top self time: ${openHot}`] : []),
      `  longest main-thread task while a server is blackholed and another drive is browsed (${lt.opens} folder opens in 8 s): ` +
        `${lt.count === 0 ? 'none over 50 ms' : `${fmt(lt.longestMs)} ms (${lt.count} over 50 ms)`} (target: none over 50 ms; drives: ${status})`,
      ...(lt.frames.length > 0 ? [`    ${describeFrame(worst)}`] : []),
      `    ${traced(blackholeTrace)}`,
      ...(hot ? [`    CPU profile, top self time: ${hot}`] : []),
    ];
    for (const l of lines) log(l);
    return lines;
  } finally {
    await browser?.close();
    await serve?.stop();
    await proxy?.close();
    await server.stop();
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  runUiBench().catch((e: unknown) => {
    process.stderr.write(`ui bench failed: ${e instanceof Error ? e.stack : String(e)}\n`);
    process.exitCode = 1;
  });
}
