import { inspect } from 'node:util';
import { describe, expect, it, vi } from 'vitest';
import { CredentialError, credentialAccount } from './credential-store.js';
import { classifyKeychainError, KeytarCredentialStore, PROBE_ACCOUNT, type KeytarApi } from './keytar-credential-store.js';
import { MemoryCredentialStore } from './memory-credential-store.js';
import { PromptingCredentialStore, type CredentialPrompt } from './prompting-credential-store.js';

const SECRET = 'Tr0ub4dor&3-secret';

/** A fake keytar behaving like libsecret in each keychain state. */
function fakeKeytar(state: 'available' | 'locked' | 'no-daemon' | 'no-bus'): KeytarApi & { items: Map<string, string> } {
  const items = new Map<string, string>();
  const fail = (msg: string) => Promise.reject(new Error(msg));
  return {
    items,
    getPassword: (s, a) => (state === 'no-bus' ? fail('Cannot autolaunch D-Bus without X11 $DISPLAY') : Promise.resolve(state === 'available' ? (items.get(`${s}/${a}`) ?? null) : null)),
    setPassword: (s, a, p) => {
      if (state === 'locked') return fail('Cannot create an item in a locked collection');
      if (state === 'no-daemon') return fail('Object does not exist at path “/org/freedesktop/secrets/collection/login”');
      if (state === 'no-bus') return fail('Cannot autolaunch D-Bus without X11 $DISPLAY');
      items.set(`${s}/${a}`, p);
      return Promise.resolve();
    },
    deletePassword: (s, a) => Promise.resolve(items.delete(`${s}/${a}`)),
  };
}

describe('KeytarCredentialStore', () => {
  it('sets, gets and deletes under the sharekeeper service', async () => {
    const k = fakeKeytar('available');
    const store = new KeytarCredentialStore({ loader: async () => k });
    expect(await store.get('bob@nas')).toBeUndefined();
    await store.set('bob@nas', SECRET);
    expect(k.items.get('sharekeeper/bob@nas')).toBe(SECRET);
    expect(await store.get('bob@nas')).toBe(SECRET);
    expect(await store.delete('bob@nas')).toBe(true);
    expect(await store.delete('bob@nas')).toBe(false);
  });

  it.each([
    ['available', 'available'],
    ['locked', 'locked'],
    ['no-daemon', 'unavailable'],
    ['no-bus', 'unavailable'],
  ] as const)('status() tells a %s keychain: %s, and leaves no probe item', async (state, want) => {
    const k = fakeKeytar(state);
    expect(await new KeytarCredentialStore({ loader: async () => k }).status()).toBe(want);
    expect([...k.items.keys()]).not.toContain(`sharekeeper/${PROBE_ACCOUNT}`);
  });

  it('is unavailable, not broken, when keytar cannot be loaded; loads lazily and retries', async () => {
    const loader = vi.fn(async (): Promise<KeytarApi> => {
      throw new Error('Cannot find module keytar');
    });
    const store = new KeytarCredentialStore({ loader });
    expect(loader).not.toHaveBeenCalled();
    expect(await store.status()).toBe('unavailable');
    await expect(store.get('a@b')).rejects.toMatchObject({ code: 'unavailable' });
    expect(loader).toHaveBeenCalledTimes(2);
  });

  it('types failures of set: locked vs unavailable', async () => {
    await expect(new KeytarCredentialStore({ loader: async () => fakeKeytar('locked') }).set('a@b', SECRET)).rejects.toMatchObject({ code: 'locked' });
    await expect(new KeytarCredentialStore({ loader: async () => fakeKeytar('no-daemon') }).set('a@b', SECRET)).rejects.toMatchObject({
      code: 'unavailable',
    });
  });

  it('counts a keychain that never answers (an unlock prompt left open) as locked', async () => {
    const k = fakeKeytar('available');
    k.setPassword = () => new Promise(() => undefined);
    const store = new KeytarCredentialStore({ loader: async () => k, timeoutMs: 20 });
    expect(await store.status()).toBe('locked');
  });

  it('refuses empty accounts and secrets', async () => {
    const store = new KeytarCredentialStore({ loader: async () => fakeKeytar('available') });
    await expect(store.get('')).rejects.toMatchObject({ code: 'invalid' });
    await expect(store.set('a@b', '')).rejects.toMatchObject({ code: 'invalid' });
  });

  it('classifies libsecret messages', () => {
    expect(classifyKeychainError('Cannot create an item in a locked collection')).toBe('locked');
    expect(classifyKeychainError('The name org.freedesktop.secrets was not provided by any .service files')).toBe('unavailable');
    expect(classifyKeychainError('something else')).toBe('failed');
  });
});

describe('secrets never leak', () => {
  const printable = (x: unknown) => [String(x), JSON.stringify(x), inspect(x, { showHidden: true, depth: 10 })].join('\n');

  it('not through toString, JSON or inspect of the stores', async () => {
    const mem = new MemoryCredentialStore();
    await mem.set('bob@nas', SECRET);
    const keytar = new KeytarCredentialStore({ loader: async () => fakeKeytar('available') });
    await keytar.set('bob@nas', SECRET);
    const prompting = new PromptingCredentialStore(mem, async () => ({ secret: SECRET, remember: false }));
    await prompting.get('other@nas');
    for (const s of [mem, keytar, prompting]) expect(printable(s)).not.toContain(SECRET);
    expect(printable({ store: mem })).not.toContain(SECRET);
  });

  it('not through errors, even when the library echoes the secret', async () => {
    const k = fakeKeytar('available');
    k.setPassword = (_s, _a, p) => Promise.reject(new Error(`refused item with value ${p}`));
    const err = await new KeytarCredentialStore({ loader: async () => k }).set('bob@nas', SECRET).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CredentialError);
    expect(printable(err)).not.toContain(SECRET);
    expect((err as Error).message).toContain('[secret]');
  });
});

describe('MemoryCredentialStore', () => {
  it('plays locked and unavailable keychains', async () => {
    const mem = new MemoryCredentialStore();
    await mem.set('a@b', SECRET);
    mem.setStatus('locked');
    expect(await mem.get('a@b')).toBeUndefined();
    await expect(mem.set('a@b', 'x')).rejects.toMatchObject({ code: 'locked' });
    mem.setStatus('unavailable');
    await expect(mem.get('a@b')).rejects.toMatchObject({ code: 'unavailable' });
    expect(await mem.status()).toBe('unavailable');
  });
});

describe('PromptingCredentialStore', () => {
  it('returns the stored secret without asking', async () => {
    const mem = new MemoryCredentialStore();
    await mem.set('a@b', SECRET);
    const prompt = vi.fn<CredentialPrompt>();
    expect(await new PromptingCredentialStore(mem, prompt).get('a@b')).toBe(SECRET);
    expect(prompt).not.toHaveBeenCalled();
  });

  it('asks when missing and remembers when told to', async () => {
    const mem = new MemoryCredentialStore();
    const prompt = vi.fn<CredentialPrompt>(async () => ({ secret: SECRET, remember: true }));
    const store = new PromptingCredentialStore(mem, prompt);
    expect(await store.get('a@b')).toBe(SECRET);
    expect(prompt).toHaveBeenCalledWith({ account: 'a@b', reason: 'missing' });
    expect(await mem.get('a@b')).toBe(SECRET);
  });

  it('asks each time when the keychain cannot be used, keeping no copy', async () => {
    const mem = new MemoryCredentialStore();
    mem.setStatus('unavailable');
    const onNotSaved = vi.fn();
    const prompt = vi.fn<CredentialPrompt>(async () => ({ secret: SECRET, remember: true }));
    const store = new PromptingCredentialStore(mem, prompt, { onNotSaved });
    expect(await store.get('a@b')).toBe(SECRET);
    expect(await store.get('a@b')).toBe(SECRET);
    expect(prompt).toHaveBeenCalledTimes(2);
    expect(prompt).toHaveBeenLastCalledWith({ account: 'a@b', reason: 'unavailable' });
    expect(onNotSaved).toHaveBeenCalledTimes(2);
    expect(onNotSaved.mock.calls[0]?.[1]).toMatchObject({ code: 'unavailable' });
    expect(mem.size).toBe(0);
    await expect(store.set('a@b', SECRET)).rejects.toMatchObject({ code: 'unavailable' });
    expect(await store.delete('a@b')).toBe(false);
  });

  it('returns undefined on cancel and re-asks after a rejection', async () => {
    const mem = new MemoryCredentialStore();
    await mem.set('a@b', 'old');
    const answers = [undefined, { secret: 'new', remember: true }];
    const prompt = vi.fn<CredentialPrompt>(async () => answers.shift());
    const store = new PromptingCredentialStore(mem, prompt);
    expect(await store.askAgain('a@b')).toBeUndefined();
    expect(await store.askAgain('a@b')).toBe('new');
    expect(prompt).toHaveBeenCalledWith({ account: 'a@b', reason: 'rejected' });
    expect(await mem.get('a@b')).toBe('new');
  });
});

describe('credentialAccount', () => {
  it('names user@host and DOMAIN\\user@host', () => {
    expect(credentialAccount('bob', 'NAS.local')).toBe('bob@nas.local');
    expect(credentialAccount('bob', 'nas', 'CORP')).toBe('CORP\\bob@nas');
    expect(() => credentialAccount('', 'nas')).toThrow(CredentialError);
  });
});
