// Names the queue makes up: the temporary name a copy is written under, "name (2).ext" for
// keep-both conflicts, and distinct local names for remote names that map to the same one.
import { randomBytes } from 'node:crypto';

const PARTIAL_MARK = '.sharekeeper-partial-';
const MAX_KEEP_BOTH = 1000;

/**
 * `.NAME.sharekeeper-partial-RANDOM`, in the same folder as the final file so the rename is
 * atomic. The random part means nobody can plant a file or a link under the name beforehand (it
 * is also created exclusively); the job records it, and only a recorded partial is resumed.
 */
export function partialName(name: string, random = randomSuffix()): string {
  return `.${name}${PARTIAL_MARK}${random}`;
}

const SUFFIX_BYTES = 6;
/** Suffixes drawn per call to the CSPRNG: one call costs more than the name it is for (a getpid and a lock in OpenSSL, each time). */
const SUFFIXES_PER_DRAW = 256;
let pool = Buffer.alloc(0);
let poolAt = 0;

/** 12 hex digits of fresh CSPRNG output; every byte of the pool is used once, never again. */
function randomSuffix(): string {
  if (poolAt + SUFFIX_BYTES > pool.length) {
    pool = randomBytes(SUFFIX_BYTES * SUFFIXES_PER_DRAW);
    poolAt = 0;
  }
  const s = pool.toString('hex', poolAt, poolAt + SUFFIX_BYTES);
  poolAt += SUFFIX_BYTES;
  return s;
}

export function isPartialName(name: string): boolean {
  return name.startsWith('.') && name.includes(PARTIAL_MARK);
}

/** `report.pdf` → `report (n).pdf`; a leading dot is not an extension (`.bashrc` → `.bashrc (n)`). */
export function numberedName(name: string, n: number): string {
  const dot = name.lastIndexOf('.');
  if (dot <= 0) return `${name} (${n})`;
  return `${name.slice(0, dot)} (${n})${name.slice(dot)}`;
}

/** The first of `name (2).ext`, `name (3).ext`, … that `exists` says is free. */
export async function pickKeepBothName(name: string, exists: (candidate: string) => Promise<boolean>): Promise<string> {
  for (let n = 2; n < MAX_KEEP_BOTH; n++) {
    const candidate = numberedName(name, n);
    if (!(await exists(candidate))) return candidate;
  }
  throw new Error(`no free name for ${name} after ${MAX_KEEP_BOTH} tries`);
}

/** Joins share-relative path parts with `/` (protocol/ turns it into `\`, MS-SMB2 2.2.13). */
export function remoteJoin(dir: string, name: string): string {
  const d = dir.replace(/[\\/]+$/, '');
  return d === '' ? name : `${d}/${name}`;
}

export function remoteBaseName(path: string): string {
  const parts = path.split(/[\\/]+/).filter((p) => p !== '');
  return parts[parts.length - 1] ?? '';
}

export function remoteDirName(path: string): string {
  const parts = path.split(/[\\/]+/).filter((p) => p !== '');
  return parts.slice(0, -1).join('/');
}

/**
 * Gives each name of one folder a distinct local name. `names` are the mapped names in listing
 * order; `key` says when two are the same name to the local file system (case-folded where it
 * ignores case). The first holder of a name keeps it; later ones become `name (n).ext` with the
 * first n free among all the folder's names. Returns the chosen name per index.
 */
export function distinctNames(names: readonly string[], key: (name: string) => string): string[] {
  const taken = new Set<string>();
  const out = new Array<string>(names.length);
  const clashes: number[] = [];
  names.forEach((n, i) => {
    const k = key(n);
    if (taken.has(k)) clashes.push(i);
    else {
      taken.add(k);
      out[i] = n;
    }
  });
  for (const i of clashes) {
    const n = names[i] as string;
    let pick: string | undefined;
    for (let c = 2; c < MAX_KEEP_BOTH * 100 && pick === undefined; c++) {
      const candidate = numberedName(n, c);
      if (!taken.has(key(candidate))) pick = candidate;
    }
    if (pick === undefined) throw new Error(`no free name for ${n}`);
    taken.add(key(pick));
    out[i] = pick;
  }
  return out;
}
