// A listing is driven by the server, so it is bounded: a server that never says NO_MORE_FILES,
// repeats itself or sends impossible names ends the listing with a typed error.
import { describe, expect, it } from 'vitest';
import { encodeCloseResponse } from '../smb2/commands/close.js';
import { encodeCreateResponse } from '../smb2/commands/create.js';
import { encodeQueryDirectoryResponse } from '../smb2/commands/query-directory.js';
import { Smb2Command } from '../smb2/constants.js';
import { decodeHeader } from '../smb2/header.js';
import { NtStatus } from '../smb2/nt-status.js';
import { encodeFileDirectoryInformation, type DirectoryEntry } from '../fscc/directory-info.js';
import { SESSION, TREE, answer, grant, setup } from '../smb2/scripted-transport.test-helpers.js';
import { listDirectory, readDirectory } from './directory-listing.js';
import type { TreeContext } from './tree-context.js';

const FILE_ID = Buffer.alloc(16, 4);

function entry(name: string, i = 0): DirectoryEntry {
  return { fileIndex: i, creationTime: 0n, lastAccessTime: 0n, lastWriteTime: 0n, changeTime: 0n, endOfFile: i, allocationSize: 0, fileAttributes: 0x20, fileName: name };
}

/** A server whose QUERY_DIRECTORY answers are `page(n)` for the n-th request (undefined: NO_MORE_FILES). */
async function serve(page: (n: number) => DirectoryEntry[] | undefined): Promise<{ t: TreeContext; closes: () => number; classes: number[] }> {
  const { transport, conn } = setup({ signRequests: false });
  await grant(transport, conn, 100);
  let n = 0;
  let closes = 0;
  const classes: number[] = [];
  transport.onSend = (msg) => {
    const h = decodeHeader(msg);
    let body: Buffer;
    let status = 0;
    if (h.command === Smb2Command.CREATE) {
      body = encodeCreateResponse({ oplockLevel: 0, flags: 0, createAction: 1, creationTime: 0n, lastAccessTime: 0n, lastWriteTime: 0n, changeTime: 0n, allocationSize: 0, endOfFile: 0, fileAttributes: 0x10, fileId: FILE_ID, contexts: [] });
    } else if (h.command === Smb2Command.CLOSE) {
      closes++;
      body = encodeCloseResponse({ flags: 0, creationTime: 0n, lastAccessTime: 0n, lastWriteTime: 0n, changeTime: 0n, allocationSize: 0, endOfFile: 0, fileAttributes: 0 });
    } else if (h.command === Smb2Command.QUERY_DIRECTORY) {
      classes.push(msg.readUInt8(64 + 2)); // FileInformationClass (MS-SMB2 2.2.33), after the 64-byte header
      const entries = page(n++);
      if (entries === undefined) {
        status = NtStatus.STATUS_NO_MORE_FILES;
        body = Buffer.from([9, 0, 0, 0, 0, 0, 0, 0, 0]);
      } else body = encodeQueryDirectoryResponse({ buffer: encodeFileDirectoryInformation(entries) });
    } else body = Buffer.from([4, 0, 0, 0]);
    queueMicrotask(() => conn.receive(answer(msg, { flags: 1, status, body })));
  };
  const t: TreeContext = { conn, sessionId: SESSION, treeId: TREE, share: 'share', maxRead: 1 << 20, maxWrite: 1 << 20, maxTransact: 1 << 16, dialect: 0x311, encrypt: false, sealed: false };
  return { t, closes: () => closes, classes };
}

describe('listing a folder', () => {
  it('yields one batch per answer, without . and ..', async () => {
    const { t, closes } = await serve((n) => (n === 0 ? [entry('.'), entry('..'), entry('a')] : n === 1 ? [entry('b'), entry('c')] : undefined));
    const batches: string[][] = [];
    for await (const b of listDirectory(t, 'dir')) batches.push(b.map((e) => e.name));
    expect(batches).toEqual([['a'], ['b', 'c']]);
    expect(closes()).toBe(1);
  });

  it('asks for FileDirectoryInformation (1), the cheapest class that holds every field it shows', async () => {
    const { t, classes } = await serve((n) => (n === 0 ? [entry('a')] : undefined));
    expect((await readDirectory(t, 'dir')).map((e) => e.name)).toEqual(['a']);
    expect(classes.length).toBeGreaterThan(0);
    expect(new Set(classes)).toEqual(new Set([1]));
  });

  it('a server that never says NO_MORE_FILES stops at the bound, and memory follows the caller', async () => {
    const { t, closes } = await serve((n) => Array.from({ length: 100 }, (_, i) => entry(`f${n}-${i}`, i)));
    let seen = 0;
    const err = await (async () => {
      for await (const b of listDirectory(t, '', { maxEntries: 5000 })) seen += b.length;
    })().catch((e) => e);
    expect(err).toMatchObject({ code: 'malformed' });
    expect(err.message).toMatch(/more than 5000 entries/);
    expect(seen).toBeLessThanOrEqual(5000);
    expect(closes()).toBe(1);
  });

  it('the same page twice is malformed', async () => {
    const { t } = await serve(() => [entry('same')]);
    await expect(readDirectory(t, '')).rejects.toThrow(/same page/);
  });

  it('a run of empty answers is malformed', async () => {
    const { t } = await serve((n) => (n === 0 ? [entry('x')] : []));
    await expect(readDirectory(t, '')).rejects.toMatchObject({ code: 'malformed' });
  });

  for (const bad of ['a/b', 'a\\b', 'nul\0', '']) {
    it(`a name like ${JSON.stringify(bad)} is malformed`, async () => {
      const { t } = await serve((n) => (n === 0 ? [entry('ok'), entry(bad)] : undefined));
      await expect(readDirectory(t, '')).rejects.toMatchObject({ code: 'malformed', field: 'FileName' });
    });
  }

  it('a caller that stops early still closes the handle', async () => {
    const { t, closes } = await serve((n) => [entry(`p${n}`)]);
    for await (const b of listDirectory(t, '')) if (b.length > 0) break;
    expect(closes()).toBe(1);
  });
});
