// The UI section of `npm run bench` (also `npm run bench:ui` alone): Debian's Chromium on
// `sharekeeper serve` against a real Samba, median of 5 runs. It reports, it never fails:
//   - opening a 20,000-entry folder: first rows painted, and the last row available;
//   - the frame time p95 while scrolling that folder end to end;
//   - the longest main-thread task while another drive's server is blackholed (a proxy that stops
//     forwarding, like a dead VPN path) and the person keeps browsing the good drive.
// Targets (issue 9): first rows <= 300 ms, whole listing <= 1.5 s, scroll p95 <= 16 ms, no task over 50 ms.
import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer, connect, type Server, type Socket } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
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

/** Scrolls the list end to end (a fixed step per frame) and returns the frame intervals' p95. */
async function scrollP95(page: Page): Promise<number> {
  return page.evaluate(async () => {
    const g = globalThis as unknown as { document: { querySelector: (s: string) => { scrollTop: number; scrollHeight: number; clientHeight: number } | null }; requestAnimationFrame: (f: (t: number) => void) => void };
    const el = g.document.querySelector('[data-testid="file-scroll"]');
    if (!el) return NaN;
    el.scrollTop = 0;
    const frames: number[] = [];
    const step = Math.max(400, Math.ceil((el.scrollHeight - el.clientHeight) / 240));
    await new Promise<void>((resolve) => {
      let last = 0;
      const tick = (t: number): void => {
        if (last) frames.push(t - last);
        last = t;
        if (el.scrollTop + el.clientHeight >= el.scrollHeight - 1) return resolve();
        el.scrollTop += step;
        g.requestAnimationFrame(tick);
      };
      g.requestAnimationFrame(tick);
    });
    frames.sort((a, b) => a - b);
    return frames[Math.floor(frames.length * 0.95)] ?? NaN;
  });
}

async function longestTaskWhileBrowsing(page: Page, goodId: string, ms: number): Promise<{ longestMs: number; count: number; opens: number }> {
  await page.evaluate(() => {
    const g = globalThis as unknown as { __longest: number; __longCount: number; PerformanceObserver: new (cb: (l: { getEntries: () => { duration: number }[] }) => void) => { observe: (o: unknown) => void } };
    g.__longest = 0;
    g.__longCount = 0;
    new g.PerformanceObserver((list) => {
      for (const e of list.getEntries()) {
        g.__longest = Math.max(g.__longest, e.duration);
        g.__longCount++;
      }
    }).observe({ type: 'longtask', buffered: false });
  });
  const end = Date.now() + ms;
  let opens = 0;
  while (Date.now() < end) {
    await openFolder(page, goodId, opens % 2 === 0 ? 'docs' : '');
    opens++;
  }
  const r = await page.evaluate(() => {
    const g = globalThis as unknown as { __longest: number; __longCount: number };
    return { longestMs: g.__longest, count: g.__longCount };
  });
  return { ...r, opens };
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
    const scroll: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      await openFolder(page, good, 'docs');
      const t = await openFolder(page, good, 'many');
      first.push(t.firstPaintMs);
      all.push(t.endMs);
      scroll.push(await scrollP95(page));
    }
    const dead = await addDrive(page, 'Dead', `smb://127.0.0.1:${proxy.port}/public`);
    proxy.blackhole();
    const stuck = page.evaluate((id) => {
      const g = globalThis as unknown as { __sharekeeper: { getState: () => { reconnect: (id: string) => Promise<void>; open: (l: unknown) => Promise<void> } } };
      void g.__sharekeeper.getState().reconnect(id);
      return 'ok';
    }, dead);
    await stuck;
    const lt = await longestTaskWhileBrowsing(page, good, 8000);
    const status = await page.evaluate(() => (globalThis as unknown as { __sharekeeper: StoreHandle }).__sharekeeper.getState().drives.map((d) => `${d.name}=${d.status.kind}`).join(', '));
    const fmt = (x: number) => (Number.isFinite(x) ? x.toFixed(0) : 'n/a');
    const lines = [
      `UI (Chromium on serve, real Samba, median of ${RUNS}):`,
      `  ${ENTRIES} entries, first rows painted: ${fmt(median(first))} ms (target <= 300; runs ${first.map(fmt).join(', ')})`,
      `  ${ENTRIES} entries, last row available: ${fmt(median(all))} ms (target <= 1500; runs ${all.map(fmt).join(', ')})`,
      `  scrolling end to end, frame time p95: ${fmt(median(scroll))} ms (target <= 16; runs ${scroll.map(fmt).join(', ')})`,
      `  longest main-thread task while a server is blackholed and another drive is browsed (${lt.opens} folder opens in 8 s): ` +
        `${lt.count === 0 ? 'none over 50 ms' : `${fmt(lt.longestMs)} ms (${lt.count} over 50 ms)`} (target: none over 50 ms; drives: ${status})`,
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
