// The serve entry point: the services and the API (main/api createApiHost) with serve's hooks,
// the HTTP + WebSocket server on 127.0.0.1, the URL printed (and opened with --open).
import { spawn } from 'node:child_process';
import { mkdir, readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { createApiHost, type ApiHost, type ApiHostOptions } from '../../main/index.js';
import { installRoot } from '../../main/platform/index.js';
import { startServer, type RunningServer } from './server.js';

export { startServer, type RunningServer, type ServeOptions } from './server.js';
export * from './security.js';
export { STREAM_ROUTES } from './stream-routes.js';

const ROOT = installRoot(import.meta.url);
/** The Vite build, found from the install root (this module may run from dist/app/serve or the bundled dist/cli). */
export const RENDERER_DIR = join(ROOT, 'dist', 'renderer');

export interface RunServeOptions {
  port?: number;
  /** Where downloads through the queue land (serve's answer to the folder picker). */
  downloadsDir?: string;
  staticDir?: string;
  env?: NodeJS.ProcessEnv;
  host?: Partial<ApiHostOptions>;
  log?: (line: string) => void;
}

export interface ServeHandle {
  server: RunningServer;
  api: ApiHost;
  close(): Promise<void>;
}

export function defaultDownloadsDir(env: NodeJS.ProcessEnv = process.env): string {
  return env['XDG_DOWNLOAD_DIR'] ?? join(env['HOME'] ?? homedir(), 'Downloads');
}

async function version(): Promise<string> {
  try {
    const pkg = JSON.parse(await readFile(join(ROOT, 'package.json'), 'utf8')) as { version?: string };
    return pkg.version ?? '0.0.0';
  } catch {
    return '0.0.0';
  }
}

export async function runServe(opts: RunServeOptions = {}): Promise<ServeHandle> {
  const env = opts.env ?? process.env;
  const downloads = opts.downloadsDir ?? defaultDownloadsDir(env);
  const api = await createApiHost({
    mode: 'serve',
    version: await version(),
    env,
    browserTransfers: true,
    pickFolder: async () => {
      await mkdir(downloads, { recursive: true });
      return downloads;
    },
    ...opts.host,
  });
  try {
    const server = await startServer({ api, staticDir: opts.staticDir ?? RENDERER_DIR, ...(opts.port === undefined ? {} : { port: opts.port }), ...(opts.log ? { log: opts.log } : {}) });
    return {
      server,
      api,
      async close() {
        await server.close();
        await api.dispose();
      },
    };
  } catch (e) {
    await api.dispose();
    throw e;
  }
}

/** Opens a URL in the person's browser (xdg-open, open, start); never waits for it. */
export function openInBrowser(url: string): void {
  const [cmd, args] = process.platform === 'darwin' ? ['open', [url]] : process.platform === 'win32' ? ['cmd', ['/c', 'start', '', url]] : ['xdg-open', [url]];
  try {
    const child = spawn(cmd, args, { detached: true, stdio: 'ignore' });
    child.on('error', () => undefined);
    child.unref();
  } catch {
    // No opener: the URL is printed anyway.
  }
}
