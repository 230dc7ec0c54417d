// copy with a mapped drive (NAME:/path) and the legacy switches: the drive's stored allowLegacy is
// what it connects with, so switches that would be ignored are refused (exit 2) with the way to
// change the drive; a //HOST/SHARE target still takes them for the run.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Drive } from '../../../main/index.js';
import { parseArgs } from '../args.js';
import { inProcessCli } from '../in-process-cli.test-helpers.js';
import { UsageError } from '../usage-error.js';
import { refuseLegacySwitchesForDrive, transientDriveOptions } from './copy.js';

const old: Drive = { id: 'id-1', name: 'Old', target: 'smb://nas/old', alternates: [], options: {}, persistent: true };
const opts = (...args: string[]) => parseArgs(['copy', 'Old:/f', '/tmp/f', ...args]).options;

describe('copy: legacy switches and a mapped drive', () => {
  it('refuses each legacy switch for a mapped drive, naming the drive, its setting and how to change it', () => {
    expect(() => refuseLegacySwitchesForDrive(opts(), old)).not.toThrow();
    expect(() => refuseLegacySwitchesForDrive(opts('--sign'), old)).not.toThrow();
    for (const args of [['--min-protocol', 'NT1'], ['--allow-legacy-auth'], ['--min-protocol', 'NT1', '--max-protocol', 'NT1', '--allow-legacy-auth']]) {
      const e = (() => {
        try {
          refuseLegacySwitchesForDrive(opts(...args), old);
        } catch (err) {
          return err;
        }
        return undefined;
      })();
      expect(e, args.join(' ')).toBeInstanceOf(UsageError);
      expect((e as Error).message).toMatch(/not for a mapped drive; 'Old' uses its own setting \(it does not allow/);
      expect((e as Error).message).toMatch(/map it again with/);
      expect((e as Error).message).not.toMatch(/again with .*--max-protocol NT1/);
    }
    expect(() => refuseLegacySwitchesForDrive(opts('--allow-legacy-auth'), { ...old, options: { allowLegacy: true } })).toThrow(/it allows the legacy/);
  });

  it('a target takes them for the run (allowLegacy)', () => {
    expect(transientDriveOptions(opts('--min-protocol', 'NT1'))).toEqual({ allowLegacy: true });
    expect(transientDriveOptions(opts('--allow-legacy-auth'))).toEqual({ allowLegacy: true });
  });
});

describe('copy in-process with a mapped drive (no server)', () => {
  const cli = inProcessCli('sk-cli-copy-unit-');
  const { run } = cli;

  it('exit 2 with the way to map it again; the drive record is left as it was', async () => {
    // Port 1 on localhost: nothing listens; map keeps the drive (exit 3).
    expect((await run(['map', 'Old', '//127.0.0.1:1/s', '-t', '2'])).code).toBe(3);
    const before = await readFile(join(cli.dir, 'sharekeeper', 'drives.json'), 'utf8');
    const r = await run(['copy', 'Old:/f.txt', join(cli.dir, 'f.txt'), '--min-protocol', 'NT1', '--allow-legacy-auth', '-t', '2']);
    expect(r.code).toBe(2);
    expect(r.err).toContain("'Old' uses its own setting (it does not allow the legacy protocol and sign-in)");
    expect(r.err).toContain("unmap 'Old' and map it again with --min-protocol NT1 --allow-legacy-auth");
    expect(await readFile(join(cli.dir, 'sharekeeper', 'drives.json'), 'utf8')).toBe(before);
  });
});
