// The preload's dropped files, in Node: preload-electron.cts compiled as Electron would load it
// (CommonJS) and run with a fake `electron`, so the code that runs in the window is the code tested.
// Dropped Files become paths through webUtils.getPathForFile; Files with no path, repeats and
// failures are left out; nothing reaches main when nothing was really dropped.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const SOURCE = join(dirname(fileURLToPath(import.meta.url)), 'preload-electron.cts');

type Exposed = { local: { dropped: (a: { files: unknown[] }) => Promise<unknown>; pickFiles: () => Promise<unknown> }; on: object };

function loadPreload(asRenderer: boolean, paths: Map<unknown, string | Error> = new Map()) {
  const code = ts.transpileModule(readFileSync(SOURCE, 'utf8'), { compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 } }).outputText;
  const invokes: { channel: string; args: unknown }[] = [];
  let exposed: Exposed | undefined;
  const electron = {
    contextBridge: { exposeInMainWorld: (_k: string, v: Exposed) => void (exposed = v) },
    ipcRenderer: {
      sendSync: () => ({ requests: ['local.pickFiles', 'local.dropped', 'transfers.upload'], events: ['folder.batch'] }),
      invoke: async (channel: string, args: unknown) => (invokes.push({ channel, args }), { ok: true, value: 'from main' }),
      on: () => undefined,
      removeListener: () => undefined,
    },
    webUtils: {
      getPathForFile: (f: unknown) => {
        const p = paths.get(f);
        if (p instanceof Error) throw p;
        return p ?? '';
      },
    },
  };
  const module = { exports: {} as Record<string, unknown> };
  const fakeRequire = (id: string) => {
    if (id !== 'electron') throw new Error(`a sandboxed preload cannot require ${id}`);
    return electron;
  };
  new Function('require', 'module', 'exports', 'process', code)(fakeRequire, module, module.exports, asRenderer ? { type: 'renderer' } : {});
  return { exports: module.exports as { droppedPaths: (f: ArrayLike<unknown>, g: (f: never) => string, max?: number) => { paths: string[]; skipped: number } }, exposed, invokes };
}

describe('the preload and dropped files', () => {
  it('droppedPaths: drop order, each path once, Files with no path or a failing lookup left out, bounded', () => {
    const { exports, exposed } = loadPreload(false);
    expect(exposed).toBeUndefined(); // in Node nothing is exposed and electron is not required
    const a = {}, b = {}, web = {}, bad = {};
    const look = new Map<unknown, string | Error>([[a, '/home/p/a.txt'], [b, '/home/p/Photos'], [bad, new Error('not a File')]]);
    const get = (f: never) => {
      const p = look.get(f);
      if (p instanceof Error) throw p;
      return p ?? '';
    };
    expect(exports.droppedPaths([b, a, web, a, bad], get)).toEqual({ paths: ['/home/p/Photos', '/home/p/a.txt'], skipped: 3 });
    expect(exports.droppedPaths([a, b], get, 1)).toEqual({ paths: ['/home/p/a.txt'], skipped: 1 });
    expect(exports.droppedPaths([], get)).toEqual({ paths: [], skipped: 0 });
  });

  it('local.dropped takes Files and asks main with their paths; with no real drop main is not asked', async () => {
    const f1 = {}, f2 = {}, made = {};
    const { exposed, invokes } = loadPreload(true, new Map([[f1, 'C:\\Users\\p\\a.txt'], [f2, 'C:\\Users\\p\\Folder']]));
    expect(exposed).toBeDefined();
    expect(Object.isFrozen(exposed) && Object.isFrozen(exposed?.local)).toBe(true);
    expect(await exposed?.local.dropped({ files: [f1, made, f2] })).toEqual({ ok: true, value: 'from main' });
    expect(invokes).toEqual([{ channel: 'sk:req:local.dropped', args: { paths: ['C:\\Users\\p\\a.txt', 'C:\\Users\\p\\Folder'] } }]);
    expect(await exposed?.local.dropped({ files: [made] })).toEqual({ ok: true, value: [] });
    expect(invokes).toHaveLength(1);
    // A path handed in instead of a File is not a path to main.
    expect(await exposed?.local.dropped({ files: ['/etc/passwd' as unknown as object] })).toEqual({ ok: true, value: [] });
    expect(invokes).toHaveLength(1);
    // The other requests are the plain bridge.
    await exposed?.local.pickFiles();
    expect(invokes.at(-1)).toEqual({ channel: 'sk:req:local.pickFiles', args: {} });
  });
});
