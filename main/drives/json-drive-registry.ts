// DriveRegistry kept in <configDir>/drives.json as { schemaVersion: 1, drives: [...] }.
// Loaded lazily on first use; every change is validated, then written atomically, then announced.
// A file that does not parse or validate is moved aside to drives.json.corrupt-<timestamp> and
// reported (a 'corrupt' event and `loadProblem`), never overwritten in place.
import { randomUUID } from 'node:crypto';
import { access, mkdir, readFile, rename } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { Drive, DrivePatch, NewDrive } from './drive.js';
import { DriveError, DriveStoreCorruptError, DriveValidationError } from './drive-errors.js';
import type { DriveRegistry, DriveRegistryEvent, DriveRegistryListener } from './drive-registry.js';
import { validateDrive, validateDrivesFile, DRIVES_SCHEMA_VERSION } from './drive-validation.js';
import { writeFileAtomic } from './atomic-write.js';

export const DRIVES_FILE_NAME = 'drives.json';
export const APP_DIR_NAME = 'sharekeeper';

/**
 * The folder Electron's app.getPath('userData') gives for an app named "sharekeeper":
 * $XDG_CONFIG_HOME (default ~/.config) on Linux, %APPDATA% on Windows, Application Support on macOS.
 */
export function defaultConfigDir(
  env: NodeJS.ProcessEnv = process.env,
  home: string = homedir(),
  platform: NodeJS.Platform = process.platform,
): string {
  if (platform === 'win32') return join(env['APPDATA'] || join(home, 'AppData', 'Roaming'), APP_DIR_NAME);
  if (platform === 'darwin') return join(home, 'Library', 'Application Support', APP_DIR_NAME);
  const xdg = env['XDG_CONFIG_HOME'];
  // The XDG spec says a relative value is invalid and must be ignored.
  return join(xdg && xdg.startsWith('/') ? xdg : join(home, '.config'), APP_DIR_NAME);
}

export interface JsonDriveRegistryOptions {
  /** For the corrupt-file timestamp. */
  now?: () => Date;
  makeId?: () => string;
}

export class JsonDriveRegistry implements DriveRegistry {
  readonly file: string;
  private drives: Drive[] | undefined;
  private loading: Promise<Drive[]> | undefined;
  private queue: Promise<unknown> = Promise.resolve();
  private readonly listeners = new Set<DriveRegistryListener>();
  private readonly now: () => Date;
  private readonly makeId: () => string;
  private problem: DriveStoreCorruptError | undefined;

  constructor(
    readonly configDir: string,
    options: JsonDriveRegistryOptions = {},
  ) {
    this.file = join(configDir, DRIVES_FILE_NAME);
    this.now = options.now ?? (() => new Date());
    this.makeId = options.makeId ?? randomUUID;
  }

  /** Set when the last load found a corrupt file (also announced as a 'corrupt' event). */
  get loadProblem(): DriveStoreCorruptError | undefined {
    return this.problem;
  }

  async list(): Promise<Drive[]> {
    return (await this.load()).map((d) => structuredClone(d));
  }

  async get(id: string): Promise<Drive | undefined> {
    const d = (await this.load()).find((x) => x.id === id);
    return d === undefined ? undefined : structuredClone(d);
  }

  add(input: NewDrive): Promise<Drive> {
    return this.mutate((drives) => {
      const drive = validateDrive({ alternates: [], options: {}, persistent: true, ...input, id: input.id ?? this.makeId() });
      if (drives.some((d) => d.id === drive.id)) throw new DriveError('duplicate', `a drive with id "${drive.id}" already exists`);
      return { next: [...drives, drive], event: { type: 'added', drive }, result: drive };
    });
  }

  update(id: string, patch: DrivePatch): Promise<Drive> {
    return this.mutate((drives) => {
      const i = drives.findIndex((d) => d.id === id);
      const previous = drives[i];
      if (previous === undefined) throw new DriveError('not-found', `no drive with id "${id}"`);
      if (Object.hasOwn(patch, 'id')) throw new DriveValidationError('id', 'the id of a drive cannot change');
      // A key set to undefined in the patch removes an optional field (user, domain).
      const merged: Record<string, unknown> = { ...previous, ...patch };
      for (const k of Object.keys(merged)) if (merged[k] === undefined) delete merged[k];
      const drive = validateDrive(merged);
      const next = drives.slice();
      next[i] = drive;
      return { next, event: { type: 'updated', drive, previous }, result: drive };
    });
  }

  remove(id: string): Promise<boolean> {
    return this.mutate((drives) => {
      const drive = drives.find((d) => d.id === id);
      if (drive === undefined) return { next: drives, result: false };
      return { next: drives.filter((d) => d.id !== id), event: { type: 'removed', drive }, result: true };
    });
  }

  onDidChange(listener: DriveRegistryListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Runs one change at a time: load, compute, write, then swap the list and announce. */
  private mutate<T>(change: (drives: Drive[]) => { next: Drive[]; event?: DriveRegistryEvent; result: T }): Promise<T> {
    const run = async (): Promise<T> => {
      const { next, event, result } = change(await this.load());
      if (event !== undefined) {
        await this.save(next);
        this.drives = next;
        this.emit(event);
      }
      return typeof result === 'object' && result !== null ? structuredClone(result) : result;
    };
    const p = this.queue.then(run, run);
    this.queue = p.catch(() => undefined);
    return p;
  }

  private load(): Promise<Drive[]> {
    if (this.drives !== undefined) return Promise.resolve(this.drives);
    this.loading ??= this.readFromDisk().then(
      (d) => {
        this.drives = d;
        return d;
      },
      (e: unknown) => {
        this.loading = undefined; // an I/O error may pass (permissions fixed): try again next time
        throw e;
      },
    );
    return this.loading;
  }

  private async readFromDisk(): Promise<Drive[]> {
    let text: string;
    try {
      text = await readFile(this.file, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw new DriveError('io', `cannot read ${this.file}: ${(e as Error).message}`, { cause: e });
    }
    try {
      return validateDrivesFile(JSON.parse(text) as unknown).drives;
    } catch (e) {
      const detail = e instanceof SyntaxError ? `not JSON: ${e.message}` : (e as Error).message;
      const movedTo = await this.moveAside();
      this.problem = new DriveStoreCorruptError(this.file, detail, movedTo, e);
      this.emit({ type: 'corrupt', error: this.problem });
      if (movedTo === undefined) throw this.problem; // cannot keep it safe: refuse to go on
      return [];
    }
  }

  private async moveAside(): Promise<string | undefined> {
    const stamp = this.now().toISOString().replace(/[:.]/g, '-');
    for (let n = 0; n < 100; n++) {
      const aside = `${this.file}.corrupt-${stamp}${n === 0 ? '' : `-${n}`}`;
      const taken = await access(aside).then(
        () => true,
        () => false,
      );
      if (taken) continue;
      try {
        await rename(this.file, aside);
        return aside;
      } catch {
        return undefined;
      }
    }
    return undefined;
  }

  private async save(drives: Drive[]): Promise<void> {
    try {
      await mkdir(this.configDir, { recursive: true, mode: 0o700 });
      const body = JSON.stringify({ schemaVersion: DRIVES_SCHEMA_VERSION, drives }, null, 2) + '\n';
      await writeFileAtomic(this.file, body);
    } catch (e) {
      throw new DriveError('io', `cannot write ${this.file}: ${(e as Error).message}`, { cause: e });
    }
  }

  private emit(event: DriveRegistryEvent): void {
    for (const l of [...this.listeners]) {
      try {
        l(event);
      } catch {
        // A listener's failure must not undo a saved change or starve the other listeners.
      }
    }
  }
}
