// Names the queue makes up: the temporary name a copy is written under, and "name (2).ext" for
// keep-both conflicts.

const PARTIAL_SUFFIX = '.sharekeeper-partial';
const MAX_KEEP_BOTH = 1000;

/** `.NAME.sharekeeper-partial`, in the same folder as the final file so the rename is atomic. */
export function partialName(name: string): string {
  return `.${name}${PARTIAL_SUFFIX}`;
}

export function isPartialName(name: string): boolean {
  return name.startsWith('.') && name.endsWith(PARTIAL_SUFFIX);
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
