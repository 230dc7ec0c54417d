// `sharekeeper serve [--port N] [--open] [--downloads DIR]` — the UI over localhost: the same
// renderer and API contract as the desktop app, on 127.0.0.1 only, behind a random token in the
// printed URL. Runs until Ctrl-C.
import { openInBrowser, runServe } from '../../serve/index.js';
import type { Command } from './command.js';

export const serveCommand: Command = {
  name: 'serve',
  usage: 'serve [--port N] [--open] [--downloads DIR]',
  summary: 'serve the ShareKeeper UI on http://127.0.0.1 (token in the printed URL)',
  details: [
    'Listens on 127.0.0.1 only, on a free port unless --port is given. The printed URL holds a random token;',
    'requests without it, with another Host header or from another origin are refused. --open opens the URL.',
    'Downloads through the transfer queue go to --downloads DIR (default ~/Downloads); the browser can also',
    'download and upload directly (streamed). Stop with Ctrl-C.',
  ],
  minArgs: 0,
  maxArgs: 0,
  options: ['open', 'downloads'],
  handlesSignals: true,
  async run(ctx) {
    const handle = await runServe({
      ...(ctx.options.port === undefined ? {} : { port: ctx.options.port }),
      ...(ctx.options.downloads === undefined ? {} : { downloadsDir: ctx.options.downloads }),
      env: ctx.io.env,
      log: (line) => ctx.logger.log(1, line),
    });
    ctx.io.stdout.write(`ShareKeeper is served at ${handle.server.url}\n`);
    if (ctx.options.open) openInBrowser(handle.server.url);
    await new Promise<void>((resolve) => {
      const stop = (): void => {
        process.off('SIGINT', stop);
        process.off('SIGTERM', stop);
        resolve();
      };
      process.on('SIGINT', stop);
      process.on('SIGTERM', stop);
    });
    ctx.io.stderr.write('sharekeeper: stopping\n');
    await handle.close();
  },
};
