// The preload (sandboxed, so CommonJS and only `electron` may be required): asks main for the
// contract's names once, and exposes one frozen object built from them — the same shape as
// serve's client — and nothing else: never ipcRenderer itself.
import { contextBridge, ipcRenderer } from 'electron';

// The transport prefix of port-bridge.ts (IPC_PREFIX); the names themselves come from main.
const PREFIX = 'sk:';
const names = ipcRenderer.sendSync(`${PREFIX}hello`) as { requests: string[]; events: string[] };

const root: Record<string, Record<string, unknown>> = {};
for (const name of names.requests) {
  const dot = name.indexOf('.');
  (root[name.slice(0, dot)] ??= {})[name.slice(dot + 1)] = (args?: unknown) => ipcRenderer.invoke(`${PREFIX}req:${name}`, args ?? {});
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
