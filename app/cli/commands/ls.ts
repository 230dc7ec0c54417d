// `sharekeeper ls TARGET` — a folder's entries (or one file's), like smbclient's `ls`, printed as
// the listing arrives (app/cli/ls-output.ts), in the server's order.
import { withTree } from '../connection.js';
import { printListingJson, printListingTable } from '../ls-output.js';
import type { FileStat, Tree } from '../smb-api.js';
import type { Command } from './command.js';
import { UsageError } from '../usage-error.js';
import { remote } from './remote.js';

export const lsCommand: Command = {
  name: 'ls',
  usage: 'ls //HOST/SHARE[/PATH]',
  summary: 'list a folder (or show one file) on a share',
  details: [
    'Plain output: name, attribute letters (D folder, H hidden, S system, R read-only, A archive, N none), size, modified time.',
    'Entries come in the server\'s order, printed as they arrive (as smbclient does), so folders of any size list at once.',
    '--json prints [{name, type: "file"|"directory", size, modified, created, attributes}] (times in ISO-8601 UTC,',
    'attributes as the FILE_ATTRIBUTE_* bit mask).',
  ],
  minArgs: 1,
  maxArgs: 1,
  options: ['json'],
  async run(ctx, [where]) {
    const { target, path } = remote(where as string, { needPath: false });
    await withTree(ctx, target, async (tree) => {
      const batches = await listing(tree, path, maxEntries(ctx.io.env));
      await (ctx.options.json ? printListingJson : printListingTable)(batches, ctx.io.stdout);
    });
  },
};

/** A file lists as itself; a folder as its batches. The share root needs no stat to know. */
async function listing(tree: Tree, path: string, max: number | undefined): Promise<AsyncIterable<FileStat[]>> {
  if (path !== '') {
    const st = await tree.stat(path);
    if (st.type === 'file') return oneBatch([st]);
  }
  return tree.listDirectory(path, max === undefined ? {} : { maxEntries: max });
}

/**
 * SHAREKEEPER_MAX_LISTING_ENTRIES lowers (or raises) the client's bound on one listing, 10 million
 * entries by default (MAX_LISTING_ENTRIES): past it a server that never ends a listing is an error.
 */
function maxEntries(env: Record<string, string | undefined>): number | undefined {
  const text = env.SHAREKEEPER_MAX_LISTING_ENTRIES;
  if (text === undefined || text === '') return undefined;
  if (!/^\d{1,12}$/.test(text) || Number(text) < 1) throw new UsageError(`SHAREKEEPER_MAX_LISTING_ENTRIES must be a positive number, not '${text}'`);
  return Number(text);
}

async function* oneBatch(entries: FileStat[]): AsyncIterable<FileStat[]> {
  yield entries;
}
