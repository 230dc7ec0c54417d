// Large folders and files: complete listings, offsets past 4 GiB, byte-exact 256 MiB round trips.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { pipeline } from 'node:stream/promises';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSamba, type SambaServer } from '../harness/samba-server.js';
import { makeManyFiles, makeRandomFile, makeSparseFile, sha256File } from '../harness/fixtures.js';
import { openShare } from './client-helpers.js';

const MiB = 1024 * 1024;

describe('20,000-entry folder', () => {
  let server: SambaServer;
  beforeAll(async () => {
    server = await startSamba();
    await makeManyFiles(join(server.shareDir('public'), 'many'), 20_000);
  });
  afterAll(async () => server?.stop());

  it('lists every entry, the same set smbclient lists', async () => {
    const o = await openShare(server, 'public', { kind: 'anonymous' });
    const ours = (await o.tree.readdir('many')).map((e) => e.name).sort();
    await o.close();
    expect(ours.length).toBe(20_000);
    expect(new Set(ours).size).toBe(20_000);
    const ref = await server.smbclient(['//127.0.0.1/public', '-c', 'cd many; ls'], { auth: 'guest', timeoutMs: 60_000 });
    const theirs = ref.stdout
      .split('\n')
      .map((l) => /^ {2}(\S.*?)\s+[A-Z]*\s+\d+\s+\w{3} \w{3} +\d+ [\d:]+ \d{4}$/.exec(l)?.[1])
      .filter((n): n is string => n !== undefined && n !== '.' && n !== '..')
      .sort();
    expect(theirs).toEqual(ours);
  });
});

describe('files beyond 4 GiB and 256 MiB round trips', () => {
  for (const aio of [true, false]) {
    describe(`aio ${aio ? 'on (STATUS_PENDING interim responses)' : 'off'}`, () => {
      let server: SambaServer;
      let local: string;
      beforeAll(async () => {
        server = await startSamba({ aio });
        local = await mkdtemp(join(tmpdir(), 'sk-bulk-'));
      });
      afterAll(async () => {
        await server?.stop();
        await rm(local, { recursive: true, force: true });
      });

      it('reads a sparse 5 GiB file at offsets beyond 4 GiB', async () => {
        const marks = [
          { offset: 4 * 1024 * MiB + 12345, data: Buffer.from('past the 32-bit line') },
          { offset: 5 * 1024 * MiB - 10, data: Buffer.from('last bytes') },
        ];
        await makeSparseFile(join(server.shareDir('public'), 'sparse.bin'), 5 * 1024 * MiB, marks);
        const o = await openShare(server, 'public', { kind: 'anonymous' });
        expect((await o.tree.stat('sparse.bin')).size).toBe(5 * 1024 * MiB);
        for (const m of marks) {
          const chunks: Buffer[] = [];
          const rs = o.tree.createReadStream('sparse.bin', { start: m.offset, end: m.offset + m.data.length - 1 });
          for await (const c of rs) chunks.push(c as Buffer);
          expect(Buffer.concat(chunks).toString()).toBe(m.data.toString());
        }
        await o.close();
      });

      it('puts then gets 256 MiB byte-exact (sha256)', async () => {
        const src = join(local, 'src.bin');
        const want = await makeRandomFile(src, 256 * MiB);
        const o = await openShare(server, 'private');
        await pipeline(createReadStream(src, { highWaterMark: MiB }), o.tree.createWriteStream('big.bin'));
        expect(await sha256File(join(server.shareDir('private'), 'big.bin'))).toBe(want);
        const back = join(local, 'back.bin');
        await pipeline(o.tree.createReadStream('big.bin'), createWriteStream(back));
        expect(await sha256File(back)).toBe(want);
        // And once more straight from the stream, without touching the disk.
        const h = createHash('sha256');
        for await (const c of o.tree.createReadStream('big.bin')) h.update(c as Buffer);
        expect(h.digest('hex')).toBe(want);
        await o.close();
      }, 300_000);
    });
  }
});
