import { describe, expect, it } from 'vitest';
import { SmbError } from '../../protocol/index.js';
import { SimpleTreeProvider, type ConnectedShare, type ShareConnector } from './simple-tree-provider.js';
import type { TransferTree } from './types.js';

/** A connection that only records whether it was closed (the slot bookkeeping is under test). */
function share(name: string): ConnectedShare & { wasClosed: boolean } {
  const s = {
    tree: { name } as unknown as TransferTree,
    wasClosed: false,
    get closed() {
      return s.wasClosed;
    },
    onClose: () => undefined,
    close: async () => {
      s.wasClosed = true;
    },
  };
  return s;
}

/** otherShare connectors that hand out the next of `made`'s connections, or wait on `gate`. */
function provider(opts: { gate?: Promise<void> } = {}) {
  const made: ReturnType<typeof share>[] = [];
  const asked: string[] = [];
  const p = new SimpleTreeProvider(
    {},
    {
      otherShare: (driveId, name): ShareConnector => {
        asked.push(`${driveId}/${name}`);
        return async () => {
          await opts.gate;
          const s = share(`${driveId}/${name}#${made.length}`);
          made.push(s);
          return s;
        };
      },
    },
  );
  return { p, made, asked };
}

describe('SimpleTreeProvider.forgetOtherShares', () => {
  it("closes only that drive's other-share connections; the next acquire makes a new connector", async () => {
    const { p, made, asked } = provider();
    const first = await p.acquire('d1', 'second');
    await p.acquire('d2', 'second');
    expect(await p.acquire('d1', 'SECOND')).toBe(first);
    await p.forgetOtherShares('d1');
    expect(made.map((s) => s.wasClosed)).toEqual([true, false]);
    const again = await p.acquire('d1', 'second');
    expect(again).not.toBe(first);
    expect(asked).toEqual(['d1/second', 'd2/second', 'd1/second']);
    await p.dispose();
  });

  it('a connection still being made when the drive is forgotten is closed, and its acquire fails as a drop', async () => {
    let open!: () => void;
    const { p, made } = provider({ gate: new Promise<void>((r) => (open = r)) });
    const pending = p.acquire('d1', 'second');
    await p.forgetOtherShares('d1');
    open();
    const err = await pending.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(SmbError);
    expect((err as SmbError).code).toBe('transport');
    expect(made).toHaveLength(1);
    expect(made[0]?.wasClosed).toBe(true);
    await p.dispose();
  });
});
