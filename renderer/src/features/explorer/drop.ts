// Files and folders dropped from the desktop, as (file, relative path) pairs: folders are walked
// through the File System entries API so a dropped folder keeps its structure.
import type { UploadItem } from '../../store/transfers-slice.js';

interface Entry {
  isFile: boolean;
  isDirectory: boolean;
  name: string;
  file?: (ok: (f: File) => void, fail: (e: unknown) => void) => void;
  createReader?: () => { readEntries: (ok: (es: Entry[]) => void, fail: (e: unknown) => void) => void };
}

async function walk(entry: Entry, prefix: string, out: UploadItem[]): Promise<void> {
  if (entry.isFile && entry.file) {
    const file = await new Promise<File>((ok, fail) => entry.file?.(ok, fail));
    out.push({ file, relativePath: prefix + entry.name });
    return;
  }
  if (!entry.isDirectory || !entry.createReader) return;
  const reader = entry.createReader();
  for (;;) {
    const batch = await new Promise<Entry[]>((ok, fail) => reader.readEntries(ok, fail));
    if (batch.length === 0) break;
    for (const child of batch) await walk(child, `${prefix}${entry.name}/`, out);
  }
}

export async function droppedItems(dt: DataTransfer): Promise<UploadItem[]> {
  const out: UploadItem[] = [];
  const entries = [...dt.items].map((i) => (i as unknown as { webkitGetAsEntry?: () => Entry | null }).webkitGetAsEntry?.() ?? null);
  if (entries.some((e) => e !== null)) {
    for (const e of entries) if (e) await walk(e, '', out);
    return out;
  }
  for (const f of [...dt.files]) out.push({ file: f, relativePath: f.name });
  return out;
}
