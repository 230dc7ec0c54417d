// Which FUSE binding serves the mounts: ours (native-own.ts, libfuse 3) when it is built, otherwise
// npm fuse-native (native-fuse.ts, libfuse 2). SHAREKEEPER_FUSE=own or =fuse-native picks one and
// reports why it cannot load instead of falling back; SHAREKEEPER_FUSE_WRITEBACK=1 turns on the
// kernel's writeback cache in ours (off by default, see the note in native-own.ts).
import { existsSync } from 'node:fs';
import type { FuseBinding } from './fuse-binding.js';
import { loadFuseNative } from './native-fuse.js';
import { loadOwnAddon, OwnFuse } from './native-own.js';

export type FuseChoice = 'own' | 'fuse-native' | 'auto';

export function fuseChoice(env: NodeJS.ProcessEnv = process.env): FuseChoice | { problem: string } {
  const v = (env['SHAREKEEPER_FUSE'] ?? '').trim();
  if (v === '' || v === 'auto') return 'auto';
  if (v === 'own' || v === 'fuse-native') return v;
  return { problem: `SHAREKEEPER_FUSE=${v} is not one of own, fuse-native, auto` };
}

/** The binding that loads here, or why none does. */
export function loadFuseBinding(env: NodeJS.ProcessEnv = process.env): { binding: FuseBinding } | { problem: string } {
  if (!existsSync('/dev/fuse')) return { problem: 'this system has no /dev/fuse (the kernel needs FUSE; in a container, pass --device /dev/fuse)' };
  const choice = fuseChoice(env);
  if (typeof choice === 'object') return choice;
  const problems: string[] = [];
  if (choice !== 'fuse-native') {
    const own = loadOwnAddon();
    if ('addon' in own) return { binding: new OwnFuse(own.addon, { writeback: env['SHAREKEEPER_FUSE_WRITEBACK'] === '1' }) };
    if (choice === 'own') return { problem: `no FUSE addon loads (apt-get install fuse3 libfuse3-dev; npm run build:native): ${own.problem}` };
    problems.push(own.problem);
  }
  const native = loadFuseNative();
  if ('binding' in native) return native;
  return { problem: [...problems, native.problem].join('; ') };
}
