// `ls` prints a folder as the listing arrives, one batch (one QUERY_DIRECTORY answer) at a time, so
// memory stays flat for a folder of any size and the first rows show at once, as with smbclient.
// Writes wait for the pipe to drain: a slow reader (`| less`) holds the listing back instead of
// letting output pile up in memory.
import { once } from 'node:events';
import { stringifyForTerminal } from '../../main/text/index.js';
import { lsColumns, lsJsonEntry, lsRows, visibleEntries, type LsColumns } from './format.js';
import type { OutputLike } from './io.js';
import type { FileStat } from './smb-api.js';

async function put(out: OutputLike, text: string): Promise<void> {
  if (text === '') return;
  // A reader that went away (EPIPE) must end the listing, never leave it waiting for a 'drain' that
  // will not come: once() rejects on 'error', and a stream already torn down is checked first.
  if (out.destroyed) throw out.errored ?? new Error('the output was closed');
  if (!out.write(text)) await once(out, 'drain');
}

/** The plain table: column widths from the first batch with entries in it. */
export async function printListingTable(batches: AsyncIterable<readonly FileStat[]>, out: OutputLike): Promise<void> {
  let cols: LsColumns | undefined;
  for await (const batch of batches) {
    const rows = visibleEntries(batch);
    if (rows.length === 0) continue;
    cols ??= lsColumns(rows);
    await put(out, lsRows(rows, cols));
  }
}

/**
 * --json, written entry by entry in exactly the bytes `json(lsJson(all))` would print (an array
 * pretty-printed with two spaces). A listing that fails half way leaves the array unclosed: a
 * script sees invalid JSON and the exit code, never a short listing that looks complete.
 */
export async function printListingJson(batches: AsyncIterable<readonly FileStat[]>, out: OutputLike): Promise<void> {
  let first = true;
  for await (const batch of batches) {
    let text = '';
    for (const e of visibleEntries(batch)) {
      text += `${first ? '[\n  ' : ',\n  '}${stringifyForTerminal(lsJsonEntry(e), 2).replace(/\n/g, '\n  ')}`;
      first = false;
    }
    await put(out, text);
  }
  await put(out, first ? '[]\n' : '\n]\n');
}
