// The benchmark's building blocks: the statistics and table are right, and the smbclient runner
// really moves the bytes it times.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeManyFiles, makeRandomFile, sha256File } from '../harness/fixtures.js';
import { startSamba, type SambaServer } from '../harness/samba-server.js';
import { timeSmbclientGet, timeSmbclientList, timeSmbclientPut } from './smbclient-runner.js';
import { formatTable, makeRow, median, sampleTimes } from './stats.js';

describe('stats', () => {
  it('takes the median of odd and even sample counts', () => {
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(() => median([])).toThrow(RangeError);
  });

  it('makes rows with a ratio, or none when our side is missing', () => {
    expect(makeRow('get', [10, 30, 20], [40, 40, 40])).toEqual({ name: 'get', oursMs: 20, smbclientMs: 40, ratio: 0.5 });
    expect(makeRow('ls', null, [7])).toEqual({ name: 'ls', oursMs: null, smbclientMs: 7, ratio: null });
  });

  it('formats an aligned table', () => {
    const table = formatTable([makeRow('get 100 MiB', [812], [950.3]), makeRow('ls 20000', null, [1234.5])]);
    expect(table).toBe(
      [
        'name         ours ms  smbclient ms  ratio',
        'get 100 MiB      812           950  0.85x',
        'ls 20000           -          1235      -',
        '',
      ].join('\n'),
    );
  });

  it('samples after a warm-up', async () => {
    let calls = 0;
    const times = await sampleTimes(async () => ++calls, 3, 2);
    expect(times).toEqual([3, 4, 5]);
  });
});

describe('smbclient runner', () => {
  let server: SambaServer;
  beforeAll(async () => {
    server = await startSamba();
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('times a get, a put and a folder listing that really happen', async () => {
    const digest = await makeRandomFile(join(server.shareDir('public'), 'big.bin'), 4 << 20);
    const local = join(server.stateDir, 'big.local');
    const get = await timeSmbclientGet(server, 'public', 'big.bin', local, { auth: 'guest' });
    expect(get.ms).toBeGreaterThan(0);
    expect(await sha256File(local)).toBe(digest);

    const put = await timeSmbclientPut(server, 'private', local, 'copy.bin');
    expect(put.ms).toBeGreaterThan(0);
    expect(await sha256File(join(server.shareDir('private'), 'copy.bin'))).toBe(digest);

    await makeManyFiles(join(server.shareDir('public'), 'many dir'), 300);
    const ls = await timeSmbclientList(server, 'public', 'many dir', { auth: 'guest' });
    expect(ls.entries).toBe(300);
  });

  it('throws instead of timing a failure', async () => {
    await expect(timeSmbclientGet(server, 'public', 'missing.bin', join(server.stateDir, 'x'), { auth: 'guest' })).rejects.toThrow(
      /NT_STATUS_OBJECT_NAME_NOT_FOUND/,
    );
  });
});
