// The preload (sandboxed, so CommonJS and only `electron` may be required): asks main for the
// contract's names once, and exposes one frozen object built from them — the same shape as
// serve's client — and nothing else: never ipcRenderer itself.
//
// Dropped files: `local.dropped` here takes the dropped File objects, not paths. Their paths come
// from webUtils.getPathForFile, which knows only Files the person really dropped (a File a page
// builds has none), so a renderer can hand main nothing but what was dropped. The decision is the
// plain `droppedPaths` below; the test runs this file in Node with a fake `electron`.
import type * as ElectronModule from 'electron';

// The transport prefix of port-bridge.ts (IPC_PREFIX); the names themselves come from main.
const PREFIX = 'sk:';
/** As many as local.dropped takes in one request (main/api/contract.ts). */
export const MAX_DROPPED = 5000;

/**
 * The paths of dropped Files, in drop order, each once: a File with no path on this computer (from
 * a web page, or built by script) or whose lookup throws is left out and counted.
 */
export function droppedPaths(files: ArrayLike<unknown>, getPathForFile: (file: never) => string, max = MAX_DROPPED): { paths: string[]; skipped: number } {
  const paths: string[] = [];
  const seen = new Set<string>();
  let skipped = 0;
  for (let i = 0; i < files.length; i++) {
    let path: unknown;
    try {
      path = getPathForFile(files[i] as never);
    } catch {
      path = undefined;
    }
    if (typeof path !== 'string' || path === '' || seen.has(path) || paths.length >= max) {
      skipped++;
      continue;
    }
    seen.add(path);
    paths.push(path);
  }
  return { paths, skipped };
}

function expose({ contextBridge, ipcRenderer, webUtils }: typeof ElectronModule): void {
  const names = ipcRenderer.sendSync(`${PREFIX}hello`) as { requests: string[]; events: string[] };
  const root: Record<string, Record<string, unknown>> = {};
  for (const name of names.requests) {
    const dot = name.indexOf('.');
    (root[name.slice(0, dot)] ??= {})[name.slice(dot + 1)] = (args?: unknown) => ipcRenderer.invoke(`${PREFIX}req:${name}`, args ?? {});
  }
  if (root['local'] && names.requests.includes('local.dropped')) {
    root['local']['dropped'] = async (args?: { files?: ArrayLike<unknown> }) => {
      const { paths } = droppedPaths(args?.files ?? [], (f: File) => webUtils.getPathForFile(f));
      if (paths.length === 0) return { ok: true, value: [] };
      return ipcRenderer.invoke(`${PREFIX}req:local.dropped`, { paths });
    };
  }
  const on: Record<string, Record<string, unknown>> = {};
  for (const name of names.events) {
    const dot = name.indexOf('.');
    (on[name.slice(0, dot)] ??= {})[name.slice(dot + 1)] = (listener: (payload: unknown) => void) => {
      const wrapped = (_e: unknown, payload: unknown): void => listener(payload);
      ipcRenderer.on(`${PREFIX}evt:${name}`, wrapped);
      return () => ipcRenderer.removeListener(`${PREFIX}evt:${name}`, wrapped);
    };
  }
  for (const o of [...Object.values(root), ...Object.values(on)]) Object.freeze(o);
  contextBridge.exposeInMainWorld('sharekeeper', Object.freeze({ ...root, on: Object.freeze(on) }));
}

// In Electron's renderer only: in Node (the test) requiring `electron` would name its binary.
if ((process as { type?: string }).type === 'renderer') {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- a sandboxed preload is CommonJS; required here, not at the top, so Node can load this file
  expose(require('electron') as typeof ElectronModule);
}
